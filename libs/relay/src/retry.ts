import { AuthError, GraphQLResponseError, backoffDelay, isRetriable, type RetryPolicy } from '@tickerflow/core';

/** Backoff for retried publishes: without end, from 100 ms, doubling, capped at 10 s, full jitter. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  retries: Number.POSITIVE_INFINITY,
  initialRetryTime: 100,
  multiplier: 2,
  maxRetryTime: 10_000,
  factor: 1,
});

/**
 * Longest wait a server's Retry-After can ask for. Beyond it the wait is capped: a far-future
 * date must neither park a partition for hours nor overflow a timer (Node fires a setTimeout
 * of more than 2^31-1 ms at once, which would turn it into a tight loop).
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/** What to do after a failed publish. */
export type FailureAction =
  /** Network error, 408, 425, 429, 5xx: try the same request again later. */
  | 'retry'
  /**
   * An answer AppSync does not document as passing (another 4xx, a 200 that is not a GraphQL
   * JSON answer): nothing says the quotes are bad, so nothing is dead-lettered; retry with
   * backoff and surface it loudly.
   */
  | 'retry-loudly'
  /** Nothing will get better by retrying (a refused key, a bug): stop the bridge. */
  | 'fatal';

export function classifyFailure(error: unknown): FailureAction {
  if (error instanceof AuthError) return 'fatal';
  if (isRetriable(error)) return 'retry';
  if (error instanceof GraphQLResponseError) return 'retry-loudly';
  return 'fatal';
}

/** The server's Retry-After in ms, when the error carries one (appsync-client's RetryableHttpError does). */
export function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const value = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === 'number' && !Number.isNaN(value) && value >= 0 ? value : undefined;
}

/**
 * How long to wait before retry number `attempt` (0 = first retry): capped exponential
 * backoff with full jitter, but never less than what the server asked for in Retry-After,
 * itself capped at {@link MAX_RETRY_AFTER_MS}.
 */
export function retryDelay(
  error: unknown,
  attempt: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): number {
  const backoff = backoffDelay(policy, attempt, random);
  const after = retryAfterOf(error);
  return after === undefined ? backoff : Math.max(Math.min(after, MAX_RETRY_AFTER_MS), backoff);
}
