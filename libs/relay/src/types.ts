import type { Quote } from '@tickerflow/quote';

/**
 * The small interfaces the relay core is written against, so it runs the same under
 * the kafkajs consumer (`bridge run`), the Lambda handler and unit tests with fakes.
 */

/** One Kafka record as the relay sees it: kafkajs and the MSK event both map onto this. */
export interface SourceRecord {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset as a decimal string (offsets are 64-bit). */
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** When the bridge received the record (epoch ms), to measure the latency it adds. Optional. */
  readonly receivedAt?: number;
  /** The record's Kafka timestamp (epoch ms; the broker's append time on LogAppendTime topics). Optional. */
  readonly timestamp?: number;
}

/** One GraphQL request as POSTed to AppSync. */
export interface GraphQLRequest {
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>>;
  readonly operationName?: string;
}

/** One entry of a GraphQL `errors` array (AppSync adds `errorType`). */
export interface GraphQLErrorEntry {
  readonly message: string;
  readonly errorType?: string;
  readonly path?: readonly (string | number)[] | null;
}

/** A parsed 200 answer. */
export interface GraphQLResult {
  readonly data: Readonly<Record<string, unknown>> | null;
  readonly errors?: readonly GraphQLErrorEntry[];
}

/**
 * Sends one GraphQL request. Resolves with the parsed answer when the endpoint answered
 * (per-field errors included). Throws an error with `retriable: true` (and optionally
 * `retryAfterMs`) for 429/5xx/network failures, an AuthError for a refused key, and a
 * non-retriable error (GraphQLResponseError) when the request itself was refused.
 * `@tickerflow/appsync-client`'s createPublisher fits this interface.
 */
export interface Publisher {
  publish(request: GraphQLRequest, options?: { readonly signal?: AbortSignal }): Promise<GraphQLResult>;
}

/** A record bound for the dead-letter topic. */
export interface DeadLetterRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** Writes dead letters durably; resolves only once they are stored (acks=all). */
export interface DeadLetterSink {
  send(records: readonly DeadLetterRecord[]): Promise<void>;
}

/**
 * Why a record was dead-lettered; the `reason` label of the metric and the `x-error-code` header.
 * `invalid-quote`: a tickerflow quote breaking the quote rules; `invalid-record`: a record lacking
 * a required argument of the mutation, or holding a value that cannot be coerced to its type.
 */
export type DeadLetterReason = 'not-json' | 'invalid-quote' | 'invalid-record' | 'rejected-by-appsync' | 'empty-value';

/**
 * One record's values for the mutation's variables, by variable name: a Quote on the
 * tickerflow-quote path, the mutation's arguments otherwise. A missing key sends no variable.
 */
export type MutationValues = Quote | Readonly<Record<string, unknown>>;

/** Where the relay reports what it does; the bridge backs it with prom-client. */
export interface RelayMetrics {
  consumed(partition: number, count: number): void;
  published(count: number): void;
  retried(reason: string): void;
  failed(reason: string): void;
  deadLettered(reason: DeadLetterReason, count: number): void;
  conflated(count: number): void;
  batchSize(size: number): void;
  publishLatency(seconds: number): void;
  endToEndLatency(seconds: number): void;
  lag(partition: number, lag: number): void;
}

/** The few logger methods the relay uses (pino fits). */
export interface RelayLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** Metrics that count nothing: for tests and callers that do not care. */
export const noMetrics: RelayMetrics = {
  consumed() {},
  published() {},
  retried() {},
  failed() {},
  deadLettered() {},
  conflated() {},
  batchSize() {},
  publishLatency() {},
  endToEndLatency() {},
  lag() {},
};

/** A logger that writes nothing. */
export const silentLogger: RelayLogger = { debug() {}, info() {}, warn() {}, error() {} };
