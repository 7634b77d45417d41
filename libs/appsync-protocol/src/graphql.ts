/**
 * GraphQL over HTTP as AppSync speaks it: the request a client POSTs (and a realtime `start`
 * carries), the parsed answer, its `errors` entries, and the `Publisher` contract that the
 * relay is written against and appsync-client's `createPublisher` implements.
 */

/** A GraphQL request: POSTed to the API, or carried (JSON-encoded) in a realtime `start.payload.data`. */
export interface GraphQLRequest {
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>>;
  readonly operationName?: string;
}

/** One entry of an `errors` array in realtime `error`, `connection_error` and `data` payloads. */
export interface AppSyncErrorEntry {
  readonly errorType?: string;
  readonly message: string;
  readonly errorCode?: number;
}

/** One entry of a GraphQL-over-HTTP `errors` array (AppSync adds `errorType`). Other keys are kept as sent. */
export interface GraphQLErrorEntry extends AppSyncErrorEntry {
  readonly path?: readonly (string | number)[] | null;
  readonly locations?: readonly unknown[] | null;
  readonly [key: string]: unknown;
}

/** A parsed GraphQL answer: `data` and, when some fields failed, `errors` for the caller to judge per field. */
export interface GraphQLResult<TError extends AppSyncErrorEntry = GraphQLErrorEntry> {
  readonly data: Readonly<Record<string, unknown>> | null;
  readonly errors?: readonly TError[];
}

export interface PublishOptions {
  /** Aborts the request; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Sends one GraphQL request. Resolves with `{data, errors?}` when the endpoint answered 200 with a
 * GraphQL JSON answer (field errors included: the caller judges each alias, and `data` may be
 * null). Rejects with an AuthError on 401/403; an error with `retriable: true` (and `retryAfterMs`
 * when the server said) on 408, 425, 429, 5xx, network failures and timeouts; a
 * GraphQLResponseError (with `status`) on any other answer (another 4xx, a 200 that is not a
 * GraphQL JSON answer). `@tickerflow/appsync-client`'s createPublisher implements it.
 */
export interface Publisher {
  publish(request: GraphQLRequest, options?: PublishOptions): Promise<GraphQLResult>;
}

/** The part of an error entry (HTTP `errors` or realtime `error` payloads) that is shown to people. */
export interface DescribableError {
  readonly errorType?: string | undefined;
  readonly message: string;
}

/** One error entry as one line: `errorType: message`, or the message alone when there is no type. */
export function describeErrorEntry(entry: DescribableError): string {
  return entry.errorType ? `${entry.errorType}: ${entry.message}` : entry.message;
}

/** Error entries as one line, each as {@link describeErrorEntry}, joined by `; `. */
export function describeErrorEntries(entries: readonly DescribableError[]): string {
  return entries.map(describeErrorEntry).join('; ');
}
