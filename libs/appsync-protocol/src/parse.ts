import { ProtocolError } from '@tickerflow/core';
import {
  MessageType,
  type AuthHeader,
  type ClientMessage,
  type ServerMessage,
} from './messages';
import type { AppSyncErrorEntry, GraphQLRequest } from './graphql';

/** Stable `code`s of the ProtocolErrors thrown by the parsers. */
export const ProtocolErrorCode = {
  /** The frame is not JSON text. */
  InvalidJson: 'INVALID_JSON',
  /** The frame is JSON but its `type` is not one this direction of the protocol knows. */
  UnknownMessageType: 'UNKNOWN_MESSAGE_TYPE',
  /** A known message type with a missing or mistyped field. */
  InvalidMessage: 'INVALID_MESSAGE',
  /** `start.payload.data` is not a JSON GraphQL request. */
  InvalidRequest: 'INVALID_GRAPHQL_REQUEST',
  /** An auth header that is not base64/base64url of a JSON object of strings. */
  InvalidAuthHeader: 'INVALID_AUTH_HEADER',
} as const;

const CLIENT_TYPES: ReadonlySet<string> = new Set([MessageType.ConnectionInit, MessageType.Start, MessageType.Stop]);
const SERVER_TYPES: ReadonlySet<string> = new Set([
  MessageType.ConnectionAck,
  MessageType.KeepAlive,
  MessageType.StartAck,
  MessageType.Data,
  MessageType.Error,
  MessageType.Complete,
  MessageType.ConnectionError,
]);

type JsonObject = Record<string, unknown>;

/**
 * Parses one frame a client sent. The only place (with {@link parseServerMessage}) that casts
 * from `unknown`. Throws a ProtocolError (see {@link ProtocolErrorCode}) naming the message
 * type, the field and what arrived.
 */
export function parseClientMessage(raw: string): ClientMessage {
  const message = parseObject(raw, 'client');
  const type = messageType(message, CLIENT_TYPES, 'client');
  switch (type) {
    case MessageType.ConnectionInit:
      return { type };
    case MessageType.Stop:
      return { type, id: requireString(message, 'id', type) };
    case MessageType.Start: {
      const id = requireString(message, 'id', type);
      const payload = requireObject(message, 'payload', type);
      const data = requireString(payload, 'data', type, 'payload.data');
      const extensions = optionalObject(payload, 'extensions', type, 'payload.extensions');
      if (extensions === undefined) return { type, id, payload: { data } };
      const authorization = optionalObject(extensions, 'authorization', type, 'payload.extensions.authorization');
      return {
        type,
        id,
        payload: {
          data,
          extensions: authorization === undefined ? {} : { authorization: toAuthHeader(authorization, type) },
        },
      };
    }
    default:
      throw unknownType(type, 'client');
  }
}

/** Parses one frame a server sent; see {@link parseClientMessage}. */
export function parseServerMessage(raw: string): ServerMessage {
  const message = parseObject(raw, 'server');
  const type = messageType(message, SERVER_TYPES, 'server');
  switch (type) {
    case MessageType.KeepAlive:
      return { type };
    case MessageType.ConnectionAck: {
      const payload = requireObject(message, 'payload', type);
      const timeout = payload['connectionTimeoutMs'];
      if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
        throw invalid(type, 'payload.connectionTimeoutMs', 'a positive number', timeout);
      }
      return { type, payload: { connectionTimeoutMs: timeout } };
    }
    case MessageType.StartAck:
    case MessageType.Complete:
      return { type, id: requireString(message, 'id', type) };
    case MessageType.Data: {
      const id = requireString(message, 'id', type);
      const payload = requireObject(message, 'payload', type);
      const data = payload['data'];
      if (data !== null && !isObject(data)) throw invalid(type, 'payload.data', 'an object or null', data);
      const errors = payload['errors'] === undefined ? undefined : parseErrors(payload['errors'], type, 'payload.errors');
      return { type, id, payload: errors === undefined ? { data } : { data, errors } };
    }
    case MessageType.Error: {
      const id = message['id'];
      if (id !== undefined && id !== null && typeof id !== 'string') throw invalid(type, 'id', 'a string', id);
      const errors = parseErrors(requireObject(message, 'payload', type)['errors'], type, 'payload.errors');
      return typeof id === 'string' ? { type, id, payload: { errors } } : { type, payload: { errors } };
    }
    case MessageType.ConnectionError: {
      const errors = parseErrors(requireObject(message, 'payload', type)['errors'], type, 'payload.errors');
      return { type, payload: { errors } };
    }
    default:
      throw unknownType(type, 'server');
  }
}

/** Parses `start.payload.data`: JSON text of `{query, variables?, operationName?}`. */
export function parseGraphQLRequest(data: string): GraphQLRequest {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw new ProtocolError(`start payload.data is not JSON: ${preview(data)}`, { code: ProtocolErrorCode.InvalidRequest });
  }
  if (!isObject(value)) {
    throw new ProtocolError(`start payload.data must be a JSON object, got ${describe(value)}`, {
      code: ProtocolErrorCode.InvalidRequest,
    });
  }
  const query = value['query'];
  if (typeof query !== 'string' || query.trim() === '') {
    throw new ProtocolError(`start payload.data.query must be a non-empty string, got ${describe(query)}`, {
      code: ProtocolErrorCode.InvalidRequest,
    });
  }
  const variables = value['variables'];
  if (variables !== undefined && variables !== null && !isObject(variables)) {
    throw new ProtocolError(`start payload.data.variables must be an object, got ${describe(variables)}`, {
      code: ProtocolErrorCode.InvalidRequest,
    });
  }
  const operationName = value['operationName'];
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    throw new ProtocolError(`start payload.data.operationName must be a string, got ${describe(operationName)}`, {
      code: ProtocolErrorCode.InvalidRequest,
    });
  }
  return {
    query,
    ...(isObject(variables) ? { variables } : {}),
    ...(typeof operationName === 'string' ? { operationName } : {}),
  };
}

/** Checks that a value is an object whose values are all strings, i.e. an {@link AuthHeader}. */
export function toAuthHeader(value: unknown, where = 'auth header'): AuthHeader {
  if (!isObject(value)) {
    throw new ProtocolError(`${where}: authorization must be a JSON object, got ${describe(value)}`, {
      code: ProtocolErrorCode.InvalidAuthHeader,
    });
  }
  for (const [name, field] of Object.entries(value)) {
    if (typeof field !== 'string') {
      throw new ProtocolError(`${where}: authorization header '${name}' must be a string, got ${describe(field)}`, {
        code: ProtocolErrorCode.InvalidAuthHeader,
      });
    }
  }
  return value as AuthHeader;
}

// ---- helpers ------------------------------------------------------------------------------

function parseObject(raw: string, side: 'client' | 'server'): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ProtocolError(`${side} message is not JSON: ${preview(raw)}`, { code: ProtocolErrorCode.InvalidJson });
  }
  if (!isObject(value)) {
    throw new ProtocolError(`${side} message must be a JSON object, got ${describe(value)}`, {
      code: ProtocolErrorCode.InvalidMessage,
    });
  }
  return value;
}

function messageType(message: JsonObject, known: ReadonlySet<string>, side: 'client' | 'server'): string {
  const type = message['type'];
  if (typeof type !== 'string') {
    throw new ProtocolError(`${side} message has no string 'type', got ${describe(type)}`, {
      code: ProtocolErrorCode.InvalidMessage,
    });
  }
  if (!known.has(type)) throw unknownType(type, side);
  return type;
}

function unknownType(type: string, side: 'client' | 'server'): ProtocolError {
  return new ProtocolError(`unknown ${side} message type '${preview(type)}'`, {
    code: ProtocolErrorCode.UnknownMessageType,
  });
}

function parseErrors(value: unknown, type: string, field: string): AppSyncErrorEntry[] {
  if (!Array.isArray(value)) throw invalid(type, field, 'an array', value);
  return value.map((entry: unknown, index) => {
    if (!isObject(entry)) throw invalid(type, `${field}[${index}]`, 'an object', entry);
    const { errorType, message, errorCode } = entry;
    return {
      // Real AppSync errors sometimes lack a message; keep whatever identifies the failure.
      message: typeof message === 'string' ? message : JSON.stringify(entry),
      ...(typeof errorType === 'string' ? { errorType } : {}),
      ...(typeof errorCode === 'number' ? { errorCode } : {}),
    };
  });
}

function requireString(message: JsonObject, key: string, type: string, field = key): string {
  const value = message[key];
  if (typeof value !== 'string' || value === '') throw invalid(type, field, 'a non-empty string', value);
  return value;
}

function requireObject(message: JsonObject, key: string, type: string, field = key): JsonObject {
  const value = message[key];
  if (!isObject(value)) throw invalid(type, field, 'an object', value);
  return value;
}

function optionalObject(message: JsonObject, key: string, type: string, field = key): JsonObject | undefined {
  const value = message[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw invalid(type, field, 'an object', value);
  return value;
}

function invalid(type: string, field: string, expected: string, got: unknown): ProtocolError {
  return new ProtocolError(`'${type}' message: ${field} must be ${expected}, got ${describe(got)}`, {
    code: ProtocolErrorCode.InvalidMessage,
  });
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `'${preview(value)}'`;
  return `${typeof value} ${String(value)}`;
}

function preview(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
