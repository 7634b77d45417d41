import { aliasIndex, ALIAS_PREFIX } from './mutation';
import { describeErrorEntries, describeErrorEntry } from '@tickerflow/appsync-protocol';
import type { GraphQLErrorEntry, GraphQLResult, UnexpectedAnswerKind } from './types';

/**
 * What AppSync's answer to a batched mutation means for each quote in it. A quote is accepted
 * only when its alias is in `data` with a non-null value: AppSync ran the mutation for it.
 * Anything else (no `data`, a null alias, an alias missing) is not acceptance.
 */

/** How an AppSync `errorType` is handled. */
export type ErrorClass =
  /** May pass: throttling, timeouts, internal failures. The quote is sent again. */
  | 'transient'
  /** Will fail the same way again: validation, the resolver's own error. The quote is dead-lettered. */
  | 'permanent'
  /** The credentials may not run the mutation: nothing will get better. The bridge stops. */
  | 'auth';

/**
 * AppSync's error types that say "try again". AppSync sends its own types (`InternalFailure`,
 * `ExecutionTimeout`) and, from a data source, the source's error code prefixed with the source
 * (`DynamoDB:ProvisionedThroughputExceededException`, `Lambda:TooManyRequestsException`); the
 * throttling and timeout codes are those the AWS SDKs retry (smithy's service-error-classification).
 */
const TRANSIENT_ERROR_TYPES: ReadonlySet<string> = new Set([
  // internal failures
  'InternalFailure',
  'InternalFailureException',
  'InternalServerError',
  'InternalServerErrorException',
  'ServiceException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  // throttling
  'ApiLimitExceededException',
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
  // timeouts
  'ExecutionTimeout',
  'RequestTimeout',
  'RequestTimeoutException',
  'Timeout',
  'TimeoutError',
]);

/** AppSync's error types for refused credentials (the key, or the key's access to a field). */
const AUTH_ERROR_TYPES: ReadonlySet<string> = new Set(['UnauthorizedException', 'Unauthorized', 'AccessDeniedException']);

/**
 * Classifies an AppSync `errorType`. Unknown types, and errors without one (a resolver's
 * `util.error(message)`), are permanent: retrying a resolver's own refusal would never end.
 */
export function classifyErrorType(errorType: string | undefined): ErrorClass {
  if (errorType === undefined) return 'permanent';
  const code = errorType.slice(errorType.indexOf(':') + 1);
  if (AUTH_ERROR_TYPES.has(code)) return 'auth';
  return TRANSIENT_ERROR_TYPES.has(code) ? 'transient' : 'permanent';
}

/** What happens to one quote of the request. */
export type QuoteVerdict =
  | { readonly kind: 'accepted' }
  /** A permanent error at its alias: dead-letter it. */
  | { readonly kind: 'rejected'; readonly message: string }
  /** No data for it, and no permanent error of its own: send it again. */
  | { readonly kind: 'retry'; readonly message: string };

export interface AnswerVerdict {
  /** One verdict per quote sent, in request order. */
  readonly quotes: readonly QuoteVerdict[];
  /** Set when AppSync refused the credentials: stop. */
  readonly fatal?: string;
  /**
   * Set when quotes are sent again for no reason AppSync documents as passing: an answer
   * without data and without errors, or a request-level error that is not transient.
   * Retried with backoff, and surfaced loudly rather than dead-lettered.
   */
  readonly unexpected?: { readonly kind: Extract<UnexpectedAnswerKind, 'no-data' | 'request-error'>; readonly message: string };
}

/**
 * Judges a 200 answer to a request of `count` aliased mutation calls (`q0` … `q<count-1>`):
 * - an alias with a non-null value in `data` is accepted, whatever else the answer says;
 * - an alias without data but with its own error (a `path` starting at the alias) is rejected
 *   when that error is permanent and sent again when it is transient;
 * - an alias without data and without an error of its own is sent again: a request-level
 *   error (no `path`, or naming no alias), or a non-null mutation type whose error at another
 *   alias nulled `data` as a whole, or stopped the aliases after it.
 */
export function judgeAnswer(result: GraphQLResult, count: number): AnswerVerdict {
  // Defensive: a Publisher other than appsync-client's may hand over any parsed JSON.
  const data = typeof result.data === 'object' && result.data !== null && !Array.isArray(result.data) ? result.data : null;
  const errors = Array.isArray(result.errors) ? result.errors : [];
  const own = new Map<number, GraphQLErrorEntry>();
  const general: GraphQLErrorEntry[] = [];
  let auth: GraphQLErrorEntry | undefined;
  for (const entry of errors) {
    if (auth === undefined && classifyErrorType(entry.errorType) === 'auth') auth = entry;
    const index = aliasIndex(entry.path);
    if (index !== undefined && index < count) {
      if (!own.has(index)) own.set(index, entry);
    } else general.push(entry);
  }

  const generalText = describeErrorEntries(general);
  const missing =
    general.length > 0
      ? `the request failed: ${generalText}`
      : own.size > 0
        ? 'no data: an error at another quote of the request nulled or stopped it'
        : 'the answer carries no data for it and no error';
  const quotes: QuoteVerdict[] = [];
  let unexplained = 0;
  for (let index = 0; index < count; index += 1) {
    const value = data === null ? undefined : data[`${ALIAS_PREFIX}${index}`];
    if (value !== undefined && value !== null) {
      quotes.push({ kind: 'accepted' });
      continue;
    }
    const error = own.get(index);
    if (error === undefined) {
      quotes.push({ kind: 'retry', message: missing });
      unexplained += 1;
    } else if (classifyErrorType(error.errorType) === 'transient') {
      quotes.push({ kind: 'retry', message: describeErrorEntry(error) });
    } else {
      quotes.push({ kind: 'rejected', message: describeErrorEntry(error) });
    }
  }

  if (auth !== undefined) return { quotes, fatal: describeErrorEntry(auth) };
  const generalTransient = general.length > 0 && general.every((entry) => classifyErrorType(entry.errorType) === 'transient');
  if (unexplained > 0 && own.size === 0 && !generalTransient) {
    const unexpected =
      general.length > 0
        ? { kind: 'request-error' as const, message: `the request failed: ${generalText}` }
        : { kind: 'no-data' as const, message: `the answer carries no data for ${unexplained} of ${count} quotes and no error (${describeData(data)})` };
    return { quotes, unexpected };
  }
  return { quotes };
}

function describeData(data: GraphQLResult['data']): string {
  if (data === null) return 'data is null or missing';
  const keys = Object.keys(data);
  return keys.length === 0 ? 'data is {}' : `data has ${keys.slice(0, 3).join(', ')}${keys.length > 3 ? ', …' : ''}`;
}
