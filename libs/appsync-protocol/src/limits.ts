/**
 * Every limit appsync-local applies to what a client sends, in one place, each with where the
 * figure comes from. The emulator (libs/appsync-server) and the appsync-local CLI import these;
 * nothing else spells a limit out. Sources:
 *
 * - [quotas]  AWS General Reference, "AWS AppSync endpoints and quotas"
 *             (docs.aws.amazon.com/general/latest/gr/appsync.html)
 * - [realtime] AWS AppSync Developer Guide, "Building a real-time WebSocket client in AWS AppSync"
 *             (docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html)
 * - [api]     AWS AppSync API Reference, CreateGraphqlApi `resolverCountLimit` / `queryDepthLimit`,
 *             and the Developer Guide's "Configuring GraphQL run complexity, query depth, and
 *             introspection" (docs.aws.amazon.com/appsync/latest/devguide/configuration-limits.html)
 * - [gj]      graphql-java's ParserOptions (AppSync answers with graphql-java's wording, e.g.
 *             "Validation error of type FieldUndefined", so it parses with graphql-java)
 * - [notes]   ../shared/appsync-realtime-protocol.md §7 (figures marked unverified there)
 */
export const APPSYNC_LIMITS = Object.freeze({
  /** [realtime] `connectionTimeoutMs` AppSync announces in `connection_ack`: 300000 ms. */
  connectionTimeoutMs: 300_000,
  /** [realtime] AppSync sends `ka` "periodically"; observed about once a minute. */
  keepAliveIntervalMs: 60_000,
  /**
   * How long a socket may stay open without sending `connection_init`. AppSync's guide bounds
   * the silence a connection may keep by `connectionTimeoutMs`; a socket that never initialises
   * is closed after the same period, so idle sockets cannot pile up.
   */
  connectionInitTimeoutMs: 300_000,
  /** [notes] subscriptions per connection: 100 by default (adjustable on AWS). */
  maxSubscriptionsPerConnection: 100,
  /** [notes] WebSocket message from a client: 128 KB (unverified); larger get LimitExceededError. */
  maxMessageBytes: 128 * 1024,
  /** [quotas] subscription event payload: 240 KB; larger events are not delivered. */
  maxEventBytes: 240 * 1024,
  /** [notes] HTTP request body: about 5 MB (unverified); larger get 413 before being read. */
  maxBodyBytes: 5 * 1024 * 1024,
  /**
   * [api] `resolverCountLimit`: at most 10000 resolvers run per request (the default and the
   * maximum). On appsync-local every root field has a resolver, so this bounds root fields.
   */
  maxResolversPerRequest: 10_000,
  /** [api] `queryDepthLimit`: at most 75 nested levels (the largest depth AppSync can be set to). */
  maxQueryDepth: 75,
  /**
   * [gj] graphql-java cancels parsing after 15000 grammar tokens by default; AppSync does not
   * publish its own figure. appsync-local allows more so that the bridge's largest batch
   * (1000 quotes of about 41 tokens each) still parses; it still bounds parse work, which is
   * linear in tokens, so no document can hold the event loop.
   */
  maxDocumentTokens: 50_000,
  /**
   * Not AppSync figures: graphql-js's OverlappingFieldsCanBeMerged validation is quadratic in
   * the fragments of a document and in the fields sharing one response key, so both are bounded
   * to keep any one document's validation to a few tens of milliseconds.
   */
  maxFragments: 100,
  maxFieldsPerResponseKey: 100,
  /**
   * Not an AppSync figure: unsent bytes per connection before it is closed as a slow consumer,
   * so one subscriber that stops reading cannot exhaust the emulator's memory.
   */
  maxBufferedBytes: 8 * 1024 * 1024,
  /**
   * Not an AppSync figure: the largest WebSocket frame ws will buffer at all. Frames between
   * `maxMessageBytes` and this are answered with a LimitExceededError and the connection lives;
   * beyond it ws closes the connection (1009) without buffering the whole frame.
   */
  maxFrameBytes: 1024 * 1024,
  /**
   * Node's HTTP server limits, set explicitly (Node's defaults): request headers (URL included)
   * larger than 16 KiB are refused with 431, headers must arrive within 60 s and a whole request
   * within 300 s, so slow senders cannot hold sockets forever.
   */
  maxHeaderBytes: 16 * 1024,
  headersTimeoutMs: 60_000,
  requestTimeoutMs: 300_000,
} as const);

export type AppSyncLimits = typeof APPSYNC_LIMITS;
