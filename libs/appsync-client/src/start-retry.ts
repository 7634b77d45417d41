import { AppSyncErrorType, type AppSyncErrorEntry } from '@tickerflow/appsync-protocol';

/** AppSync `error` types for a start that say "not now" rather than "never". */
const TRANSIENT_START_ERRORS: ReadonlySet<string> = new Set([
  AppSyncErrorType.LimitExceeded,
  AppSyncErrorType.Internal,
  AppSyncErrorType.DuplicatedOperation,
]);

/** Why a start did not become active. */
export type StartFailure =
  | { readonly kind: 'timeout' }
  | { readonly kind: 'refused'; readonly errors: readonly AppSyncErrorEntry[] };

/**
 * Whether a failed start is tried again. A missing `start_ack` always is (the server did not
 * answer); a refusal is when its error type is transient, or when the same document was
 * already accepted once (after a reconnect the refusal is about the moment, not the query).
 * Either way only while `attempts` (failures in a row so far, this one included) stay within
 * `maxRetries`.
 */
export function shouldRetryStart(failure: StartFailure, everStarted: boolean, attempts: number, maxRetries: number): boolean {
  if (attempts > maxRetries) return false;
  if (failure.kind === 'timeout' || everStarted) return true;
  return failure.errors.length > 0 && failure.errors.every((entry) => entry.errorType !== undefined && TRANSIENT_START_ERRORS.has(entry.errorType));
}
