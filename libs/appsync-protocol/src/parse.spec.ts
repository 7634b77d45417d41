import { describe, expect, it } from 'vitest';
import { ProtocolError } from '@tickerflow/core';
import {
  completeMessage,
  connectionAckMessage,
  connectionErrorMessage,
  connectionInitMessage,
  dataMessage,
  errorMessage,
  keepAliveMessage,
  startAckMessage,
  startMessage,
  stopMessage,
} from './messages';
import { parseClientMessage, parseGraphQLRequest, parseServerMessage, ProtocolErrorCode } from './parse';

function thrown(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

const auth = { host: 'example.com', 'x-api-key': 'da2-key' };

describe('parseClientMessage', () => {
  it.each([
    ['connection_init', connectionInitMessage()],
    ['start', startMessage('1', { query: 'subscription { s }', variables: { a: 1 } }, auth)],
    ['stop', stopMessage('1')],
  ])('round-trips %s built by its constructor', (_name, message) => {
    expect(parseClientMessage(JSON.stringify(message))).toEqual(message);
  });

  it('keeps a start without extensions so the server can refuse it', () => {
    expect(parseClientMessage('{"type":"start","id":"a","payload":{"data":"{}"}}')).toEqual({
      type: 'start',
      id: 'a',
      payload: { data: '{}' },
    });
  });

  it.each([
    ['not json', 'meow', ProtocolErrorCode.InvalidJson, 'client message is not JSON: meow'],
    ['an array', '[]', ProtocolErrorCode.InvalidMessage, 'client message must be a JSON object, got an array'],
    ['no type', '{}', ProtocolErrorCode.InvalidMessage, "client message has no string 'type', got nothing"],
    ['unknown type', '{"type":"subscribe"}', ProtocolErrorCode.UnknownMessageType, "unknown client message type 'subscribe'"],
    ['a server type', '{"type":"ka"}', ProtocolErrorCode.UnknownMessageType, "unknown client message type 'ka'"],
    ['stop without id', '{"type":"stop"}', ProtocolErrorCode.InvalidMessage, "'stop' message: id must be a non-empty string, got nothing"],
    [
      'start with object data',
      '{"type":"start","id":"x","payload":{"data":{}}}',
      ProtocolErrorCode.InvalidMessage,
      "'start' message: payload.data must be a non-empty string, got an object",
    ],
    [
      'start without payload',
      '{"type":"start","id":"x"}',
      ProtocolErrorCode.InvalidMessage,
      "'start' message: payload must be an object, got nothing",
    ],
    [
      'start with a numeric header',
      '{"type":"start","id":"x","payload":{"data":"{}","extensions":{"authorization":{"host":1}}}}',
      ProtocolErrorCode.InvalidAuthHeader,
      "start: authorization header 'host' must be a string, got number 1",
    ],
  ])('rejects %s', (_name, raw, code, message) => {
    const error = thrown(() => parseClientMessage(raw));
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });
});

describe('parseServerMessage', () => {
  it.each([
    ['connection_ack', connectionAckMessage(300000)],
    ['ka', keepAliveMessage()],
    ['start_ack', startAckMessage('1')],
    ['data', dataMessage('1', { tickerlocal: { ticker: 'BTC' } })],
    ['error with id', errorMessage('1', [{ errorType: 'UnauthorizedException', message: 'no' }])],
    ['error without id', errorMessage(undefined, [{ message: 'bad' }])],
    ['complete', completeMessage('1')],
    ['connection_error', connectionErrorMessage([{ errorType: 'UnauthorizedException', errorCode: 401, message: 'no' }])],
  ])('round-trips %s built by its constructor', (_name, message) => {
    expect(parseServerMessage(JSON.stringify(message))).toEqual(message);
  });

  it.each([
    ['ack without timeout', '{"type":"connection_ack","payload":{}}', "'connection_ack' message: payload.connectionTimeoutMs must be a positive number, got nothing"],
    ['data with a string', '{"type":"data","id":"1","payload":{"data":"x"}}', "'data' message: payload.data must be an object or null, got 'x'"],
    ['error without errors', '{"type":"error","payload":{}}', "'error' message: payload.errors must be an array, got nothing"],
    ['a client type', '{"type":"start"}', "unknown server message type 'start'"],
  ])('rejects %s', (_name, raw, message) => {
    expect(thrown(() => parseServerMessage(raw)).message).toBe(message);
  });

  it('keeps an error entry without message readable', () => {
    const parsed = parseServerMessage('{"type":"connection_error","payload":{"errors":[{"errorCode":400}]}}');
    expect(parsed).toEqual({ type: 'connection_error', payload: { errors: [{ message: '{"errorCode":400}', errorCode: 400 }] } });
  });
});

describe('parseGraphQLRequest', () => {
  it('parses query, variables and operationName', () => {
    expect(parseGraphQLRequest('{"query":"q","variables":{"a":1},"operationName":"Op"}')).toEqual({
      query: 'q',
      variables: { a: 1 },
      operationName: 'Op',
    });
  });
  it.each([
    ['x', 'start payload.data is not JSON: x'],
    ['[]', 'start payload.data must be a JSON object, got an array'],
    ['{"query":""}', "start payload.data.query must be a non-empty string, got ''"],
    ['{"query":"q","variables":[1]}', 'start payload.data.variables must be an object, got an array'],
  ])('rejects %s', (raw, message) => {
    const error = thrown(() => parseGraphQLRequest(raw));
    expect(error.code).toBe(ProtocolErrorCode.InvalidRequest);
    expect(error.message).toBe(message);
  });
});
