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

/**
 * The GraphQL wire types and the Publisher contract are appsync-protocol's; re-exported so the
 * relay's callers (the bridge, the Lambda handler, tests with fake publishers) import one package.
 */
export type { GraphQLErrorEntry, GraphQLRequest, GraphQLResult, Publisher, PublishOptions } from '@tickerflow/appsync-protocol';

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

/**
 * Why an answer accepted nothing without a documented reason: `no-data` (200 JSON without data
 * for the quotes and without errors), `request-error` (a request-level GraphQL error that is not
 * transient), `http-status` (a 4xx other than 401/403/408/425/429), `not-graphql` (a 200 that
 * is not a GraphQL JSON answer: HTML, another content type).
 */
export type UnexpectedAnswerKind = 'no-data' | 'request-error' | 'http-status' | 'not-graphql';

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
  /** One unexpected answer (retried with backoff, never dead-lettered). */
  unexpectedAnswer(kind: UnexpectedAnswerKind): void;
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
  unexpectedAnswer() {},
};

/** A logger that writes nothing. */
export const silentLogger: RelayLogger = { debug() {}, info() {}, warn() {}, error() {} };
