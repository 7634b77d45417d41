/**
 * The AWS AppSync realtime (WebSocket, subprotocol `graphql-ws`) messages, one readonly
 * interface per message, modelled after graphql-ws's `common.ts`. Outgoing messages are built
 * with the typed constructors below, never by string concatenation.
 */
import type { AppSyncErrorEntry, GraphQLRequest, GraphQLResult } from './graphql';

/** Every message type of the protocol, by its wire name. */
export const MessageType = {
  ConnectionInit: 'connection_init',
  ConnectionAck: 'connection_ack',
  ConnectionError: 'connection_error',
  KeepAlive: 'ka',
  Start: 'start',
  StartAck: 'start_ack',
  Data: 'data',
  Error: 'error',
  Complete: 'complete',
  Stop: 'stop',
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Error types AppSync puts into `errorType` (names as AppSync sends them). */
export const AppSyncErrorType = {
  Unauthorized: 'UnauthorizedException',
  UnsupportedOperation: 'UnsupportedOperation',
  Validation: 'ValidationError',
  MaxSubscriptionsReached: 'MaxSubscriptionsReachedError',
  DuplicatedOperation: 'DuplicatedOperationError',
  LimitExceeded: 'LimitExceededError',
  BadRequest: 'BadRequestException',
  MalformedHttpRequest: 'MalformedHttpRequestException',
  Internal: 'InternalFailure',
} as const;
export type AppSyncErrorType = (typeof AppSyncErrorType)[keyof typeof AppSyncErrorType];

/**
 * The authorization object of a connection or a `start` (HTTP-header-like names to values),
 * e.g. `{host, 'x-api-key'}` for API keys or `{host, Authorization}` for tokens.
 */
export type AuthHeader = Readonly<Record<string, string>>;

/** The API-key form of {@link AuthHeader}. */
export interface ApiKeyAuthHeader extends AuthHeader {
  readonly host: string;
  readonly 'x-api-key': string;
}

// ---- client -> server ---------------------------------------------------------------------

export interface ConnectionInitMessage {
  readonly type: typeof MessageType.ConnectionInit;
}

export interface StartPayload {
  /** JSON text of a {@link GraphQLRequest}: a string, not an object. */
  readonly data: string;
  /** Always sent by clients; optional here because a server must answer its absence. */
  readonly extensions?: { readonly authorization?: AuthHeader };
}

export interface StartMessage {
  readonly type: typeof MessageType.Start;
  readonly id: string;
  readonly payload: StartPayload;
}

export interface StopMessage {
  readonly type: typeof MessageType.Stop;
  readonly id: string;
}

export type ClientMessage = ConnectionInitMessage | StartMessage | StopMessage;

// ---- server -> client ---------------------------------------------------------------------

export interface ConnectionAckMessage {
  readonly type: typeof MessageType.ConnectionAck;
  readonly payload: { readonly connectionTimeoutMs: number };
}

export interface KeepAliveMessage {
  readonly type: typeof MessageType.KeepAlive;
}

export interface StartAckMessage {
  readonly type: typeof MessageType.StartAck;
  readonly id: string;
}

/** A subscription event: a GraphQL result, its errors in the realtime form. */
export type DataPayload = GraphQLResult<AppSyncErrorEntry>;

export interface DataMessage {
  readonly type: typeof MessageType.Data;
  readonly id: string;
  readonly payload: DataPayload;
}

export interface ErrorMessage {
  readonly type: typeof MessageType.Error;
  /** Absent when the error is not about one subscription (e.g. an unknown message type). */
  readonly id?: string;
  readonly payload: { readonly errors: readonly AppSyncErrorEntry[] };
}

export interface CompleteMessage {
  readonly type: typeof MessageType.Complete;
  readonly id: string;
}

export interface ConnectionErrorMessage {
  readonly type: typeof MessageType.ConnectionError;
  readonly payload: { readonly errors: readonly AppSyncErrorEntry[] };
}

export type ServerMessage =
  | ConnectionAckMessage
  | KeepAliveMessage
  | StartAckMessage
  | DataMessage
  | ErrorMessage
  | CompleteMessage
  | ConnectionErrorMessage;

// ---- constructors -------------------------------------------------------------------------

export function connectionInitMessage(): ConnectionInitMessage {
  return { type: MessageType.ConnectionInit };
}

/** A `start`: `request` is JSON-encoded into `payload.data`; `authorization` goes into the extensions. */
export function startMessage(id: string, request: GraphQLRequest, authorization: AuthHeader): StartMessage {
  return {
    id,
    type: MessageType.Start,
    payload: { data: JSON.stringify(request), extensions: { authorization } },
  };
}

export function stopMessage(id: string): StopMessage {
  return { type: MessageType.Stop, id };
}

export function connectionAckMessage(connectionTimeoutMs: number): ConnectionAckMessage {
  return { type: MessageType.ConnectionAck, payload: { connectionTimeoutMs } };
}

export function keepAliveMessage(): KeepAliveMessage {
  return { type: MessageType.KeepAlive };
}

export function startAckMessage(id: string): StartAckMessage {
  return { type: MessageType.StartAck, id };
}

export function dataMessage(id: string, data: DataPayload['data'], errors?: readonly AppSyncErrorEntry[]): DataMessage {
  return { type: MessageType.Data, id, payload: errors === undefined ? { data } : { data, errors } };
}

export function errorMessage(id: string | undefined, errors: readonly AppSyncErrorEntry[]): ErrorMessage {
  return id === undefined
    ? { type: MessageType.Error, payload: { errors } }
    : { type: MessageType.Error, id, payload: { errors } };
}

export function completeMessage(id: string): CompleteMessage {
  return { type: MessageType.Complete, id };
}

export function connectionErrorMessage(errors: readonly AppSyncErrorEntry[]): ConnectionErrorMessage {
  return { type: MessageType.ConnectionError, payload: { errors } };
}
