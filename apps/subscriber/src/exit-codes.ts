import { AuthError, TransportError } from '@tickerflow/core';
import { ExitCode } from '@tickerflow/cli';

/** sub's exit codes: the shared ones plus the two the issue names. */
export const SubExitCode = {
  ...ExitCode,
  /** The endpoint refused the credentials (connect, or every subscription). */
  authRejected: 3,
  /** No connection after the last retry. */
  cannotConnect: 4,
} as const;

/** Maps sub's errors to its specific exit codes; undefined falls back to 1 / 2. */
export function subExitCodeFor(error: unknown): number | undefined {
  if (error instanceof AuthError) return SubExitCode.authRejected;
  if (error instanceof TransportError && error.code === 'CONNECT_FAILED') return SubExitCode.cannotConnect;
  return undefined;
}
