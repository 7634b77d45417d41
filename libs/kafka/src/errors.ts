import { AppError, AuthError, TransportError, errorMessage } from '@tickerflow/core';
import type { KafkaSettings } from './settings';

/** Stable codes of the errors below; each app maps them to a hint naming its own flags. */
export const KafkaErrorCode = Object.freeze({
  /** The cluster did not answer (addresses, TLS, SASL, or no broker running). */
  unreachable: 'KAFKA_UNREACHABLE',
  /** SASL authentication or an ACL refused access. */
  auth: 'KAFKA_AUTH',
  /** The topic does not exist and the caller may not create it (TopicNotFoundError). */
  topicNotFound: 'TOPIC_NOT_FOUND',
} as const);

/** The topic does not exist and the caller may not create it. */
export class TopicNotFoundError extends AppError {
  readonly topic: string;

  constructor(topic: string, brokers: readonly string[]) {
    super(KafkaErrorCode.topicNotFound, `topic '${topic}' does not exist on ${brokers.join(',')}`, { retriable: false });
    this.topic = topic;
  }
}

const UNREACHABLE_HINT = 'check the broker addresses, TLS and SASL settings; for the local broker run tools/kafka start';

/**
 * Could not reach the cluster: `timedOut` when the connect timeout ran out,
 * otherwise kafkajs gave up first (its retries fit within the timeout).
 */
export function unreachableError(
  settings: KafkaSettings,
  detail: string | undefined,
  options: { cause?: unknown; timedOut?: boolean } = {},
): TransportError {
  const within = options.timedOut ? ` within ${settings.connectTimeoutMs / 1_000}s` : '';
  return new TransportError(
    `cannot reach Kafka at ${settings.brokers.join(',')}${within}${detail ? `: ${detail}` : ''}`,
    { code: KafkaErrorCode.unreachable, hint: UNREACHABLE_HINT, cause: options.cause },
  );
}

interface KafkaJsErrorShape {
  name?: string;
  message?: string;
  type?: string;
  retriable?: boolean;
  cause?: unknown;
  originalError?: unknown;
}

/** The error and every cause under it (kafkajs nests them in `cause` or `originalError`). */
function chain(error: unknown): KafkaJsErrorShape[] {
  const out: KafkaJsErrorShape[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && out.length < 8) {
    const shape = current as KafkaJsErrorShape;
    out.push(shape);
    current = shape.cause ?? shape.originalError;
  }
  return out;
}

const CONNECTION_ERRORS = new Set(['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSBrokerNotFound', 'KafkaJSRequestTimeoutError']);
const AUTHORIZATION_TYPES = new Set(['TOPIC_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED', 'GROUP_AUTHORIZATION_FAILED', 'SASL_AUTHENTICATION_FAILED']);

/**
 * Maps whatever kafkajs threw into our error hierarchy: SASL or ACL refusals become
 * AuthError (never retried), connection trouble a TransportError with code
 * KAFKA_UNREACHABLE, anything else a TransportError with code KAFKA that keeps
 * kafkajs's own `retriable`. AppErrors pass through.
 */
export function toKafkaAppError(error: unknown, settings: KafkaSettings): AppError {
  if (error instanceof AppError) return error;
  const errors = chain(error);
  const innermost = errors[errors.length - 1];
  const detail = errorMessage(innermost ?? error);
  if (errors.some((e) => e.name === 'KafkaJSSASLAuthenticationError' || AUTHORIZATION_TYPES.has(e.type ?? ''))) {
    const who = settings.sasl ? ` (${settings.sasl.mechanism} as '${settings.sasl.username}')` : '';
    return new AuthError(`Kafka refused access${who}: ${detail}`, {
      code: KafkaErrorCode.auth,
      cause: error,
      hint: 'check the SASL mechanism, user name and password, and the ACLs',
    });
  }
  if (errors.some((e) => CONNECTION_ERRORS.has(e.name ?? ''))) return unreachableError(settings, detail, { cause: error });
  const retriable = errors[0]?.retriable ?? false;
  return new TransportError(`Kafka: ${detail}`, { code: 'KAFKA', retriable, cause: error });
}

/**
 * True for the errors by which kafkajs learns that its group is rebalancing (from a
 * heartbeat or a commit): the member must rejoin, and may commit under its current
 * generation only until it does.
 */
export function isRebalanceError(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return type === 'REBALANCE_IN_PROGRESS' || type === 'NOT_COORDINATOR_FOR_GROUP' || type === 'ILLEGAL_GENERATION';
}
