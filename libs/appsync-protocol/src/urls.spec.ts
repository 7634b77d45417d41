import { describe, expect, it } from 'vitest';
import { ConfigError, ProtocolError } from '@tickerflow/core';
import {
  apiKeyAuthHeader,
  decodeAuthHeader,
  deriveRealtimeUrl,
  encodeAuthHeader,
  headerSubprotocol,
  realtimeConnectUrl,
} from './urls';

describe('deriveRealtimeUrl', () => {
  it.each([
    ['https://xyz.appsync-api.us-east-1.amazonaws.com/graphql', 'wss://xyz.appsync-realtime-api.us-east-1.amazonaws.com/graphql'],
    ['https://api.example.com/graphql', 'wss://api.example.com/graphql/realtime'],
    ['https://api.example.com/graphql/', 'wss://api.example.com/graphql/realtime'],
    ['http://127.0.0.1:4000/graphql', 'ws://127.0.0.1:4000/graphql/realtime'],
    ['ws://localhost:4000/graphql', 'ws://localhost:4000/graphql/realtime'],
  ])('%s → %s', (input, expected) => {
    expect(deriveRealtimeUrl(input)).toBe(expected);
  });

  it.each(['not a url', 'ftp://x/graphql'])('refuses %s with a ConfigError', (input) => {
    expect(() => deriveRealtimeUrl(input)).toThrow(ConfigError);
  });
});

describe('auth headers', () => {
  const header = apiKeyAuthHeader('http://127.0.0.1:4000/graphql', 'da2-key');

  it('uses the GraphQL host with its port', () => {
    expect(header).toEqual({ host: '127.0.0.1:4000', 'x-api-key': 'da2-key' });
  });

  it('builds the query-parameter connect URL with raw base64', () => {
    const url = realtimeConnectUrl('ws://127.0.0.1:4000/graphql/realtime', header);
    expect(url).toBe(`ws://127.0.0.1:4000/graphql/realtime?header=${encodeAuthHeader(header)}&payload=e30=`);
  });

  it('replaces existing header/payload parameters and keeps others', () => {
    const url = realtimeConnectUrl('wss://h/graphql?x=1&header=old&payload=old', header);
    expect(url).toBe(`wss://h/graphql?x=1&header=${encodeAuthHeader(header)}&payload=e30=`);
  });

  it('builds a base64url subprotocol without padding', () => {
    // '?' and '>' in the value force '/' and '+' in plain base64, '_' and '-' in base64url.
    const tricky = { host: 'h', 'x-api-key': '??>>~~a' };
    const entry = headerSubprotocol(tricky);
    expect(entry).toMatch(/^header-[A-Za-z0-9_-]+$/);
    expect(decodeAuthHeader(entry.slice('header-'.length))).toEqual(tricky);
  });

  it.each([
    ['base64', encodeAuthHeader({ host: 'h', 'x-api-key': '??>>~~a' })],
    ['base64 with + turned into space by a query string', encodeAuthHeader({ host: 'h', 'x-api-key': '??>>~~a' }).replace(/\+/g, ' ')],
    ['base64url', headerSubprotocol({ host: 'h', 'x-api-key': '??>>~~a' }).slice(7)],
  ])('decodes %s', (_name, encoded) => {
    expect(decodeAuthHeader(encoded)).toEqual({ host: 'h', 'x-api-key': '??>>~~a' });
  });

  it.each([
    ['empty', ''],
    ['not base64', '%%%not-base64%%%'],
    ['base64 of text', Buffer.from('hello').toString('base64')],
    ['base64 of an array', Buffer.from('[1]').toString('base64')],
    ['base64 of numbers', Buffer.from('{"host":1}').toString('base64')],
  ])('refuses %s', (_name, encoded) => {
    const run = () => decodeAuthHeader(encoded);
    expect(run).toThrow(ProtocolError);
    try {
      run();
    } catch (error) {
      expect((error as ProtocolError).code).toBe('INVALID_AUTH_HEADER');
    }
  });
});
