import { AuthError, GraphQLResponseError, backoffDelay, isRetriable, type BackoffPolicy } from '@tickerflow/core';

/** Backoff for retried publishes: from 100 ms, doubling, capped at 10 s, full jitter. */
export const DEFAULT_RETRY_POLICY: BackoffPolicy = { initialMs: 100, maxMs: 10_000, factor: 2 };

/** What to do after a failed publish. */
export type FailureAction =
  /** Network error, 429, 5xx: try the same request again later. */
  | 'retry'
  /** The endpoint refused this request (4xx, GraphQL validation): isolate the bad quote(s). */
  | 'reject'
  /** Nothing will get better by retrying or splitting (bad key, a bug): stop the bridge. */
  | 'fatal';

export function classifyFailure(error: unknown): FailureAction {
  if (error instanceof AuthError) return 'fatal';
  if (isRetriable(error)) return 'retry';
  if (error instanceof GraphQLResponseError) return 'reject';
  return 'fatal';
}

/** The server's Retry-After in ms, when the error carries one (appsync-client's RetryableHttpError does). */
export function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const value = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * How long to wait before retry number `attempt` (0 = first retry): capped exponential
 * backoff with full jitter, but never less than what the server asked for in Retry-After.
 */
export function retryDelay(
  error: unknown,
  attempt: number,
  policy: BackoffPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): number {
  const backoff = backoffDelay(policy, attempt, random);
  const after = retryAfterOf(error);
  return after === undefined ? backoff : Math.max(after, backoff);
}
