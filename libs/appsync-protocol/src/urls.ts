import { ConfigError, LOCAL_GRAPHQL_URL, ProtocolError } from '@tickerflow/core';
import type { ApiKeyAuthHeader, AuthHeader } from './messages';
import { ProtocolErrorCode, toAuthHeader } from './parse';

/** The WebSocket subprotocol of AppSync realtime (AppSync's own dialect, not graphql-transport-ws). */
export const REALTIME_SUBPROTOCOL = 'graphql-ws';

/** Prefix of the `Sec-WebSocket-Protocol` entry that carries the auth header. */
export const HEADER_SUBPROTOCOL_PREFIX = 'header-';

/** `payload` query parameter of the connect URL: base64 of `{}`. */
export const EMPTY_PAYLOAD = 'e30=';

const AWS_API_HOST = /\.appsync-api\./;

/**
 * The realtime WebSocket URL for a GraphQL URL: on AWS hosts `appsync-api` becomes
 * `appsync-realtime-api` (path unchanged); on any other host (custom domain, appsync-local)
 * `/realtime` is appended to the path. `https`→`wss`, `http`→`ws`. Throws ConfigError for a
 * URL that does not parse or has another scheme.
 */
export function deriveRealtimeUrl(graphqlUrl: string): string {
  const url = parseUrl(graphqlUrl);
  url.protocol = url.protocol === 'https:' || url.protocol === 'wss:' ? 'wss:' : 'ws:';
  if (AWS_API_HOST.test(url.hostname)) {
    url.hostname = url.hostname.replace(AWS_API_HOST, '.appsync-realtime-api.');
  } else {
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/realtime`;
  }
  return url.toString();
}

/** The API-key auth header for a GraphQL URL: `{host: <GraphQL API host[:port]>, 'x-api-key'}`. */
export function apiKeyAuthHeader(graphqlUrl: string, apiKey: string): ApiKeyAuthHeader {
  return { host: parseUrl(graphqlUrl).host, 'x-api-key': apiKey };
}

/**
 * The URL to dial with query-parameter auth: `?header=<base64 JSON>&payload=e30=`. The base64
 * is written raw (not percent-encoded), as AWS's documentation and Amplify do.
 */
export function realtimeConnectUrl(realtimeUrl: string, header: AuthHeader): string {
  const url = parseUrl(realtimeUrl);
  url.searchParams.delete('header');
  url.searchParams.delete('payload');
  const base = url.toString();
  const separator = url.search === '' ? '?' : '&';
  return `${base}${separator}header=${encodeAuthHeader(header)}&payload=${EMPTY_PAYLOAD}`;
}

/** The `Sec-WebSocket-Protocol` entry carrying the auth header: `header-<base64url, no padding>`. */
export function headerSubprotocol(header: AuthHeader): string {
  return `${HEADER_SUBPROTOCOL_PREFIX}${Buffer.from(JSON.stringify(header), 'utf8').toString('base64url')}`;
}

/** Standard base64 (with padding) of the auth header's JSON, for the `header` query parameter. */
export function encodeAuthHeader(header: AuthHeader): string {
  return Buffer.from(JSON.stringify(header), 'utf8').toString('base64');
}

/**
 * Decodes an auth header from base64 or base64url (padding optional). A `+` that a query string
 * turned into a space is restored. Throws ProtocolError (code INVALID_AUTH_HEADER) on garbage.
 */
export function decodeAuthHeader(encoded: string): AuthHeader {
  const text = encoded.trim().replace(/ /g, '+');
  if (text === '' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(text) || text.length % 4 === 1) {
    throw new ProtocolError(`auth header is not base64: '${text.slice(0, 40)}'`, {
      code: ProtocolErrorCode.InvalidAuthHeader,
    });
  }
  const json = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ProtocolError('auth header is base64 but not of JSON', { code: ProtocolErrorCode.InvalidAuthHeader });
  }
  return toAuthHeader(value, 'auth header');
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`not a URL: '${text}'`, { hint: `e.g. ${LOCAL_GRAPHQL_URL}` });
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
    throw new ConfigError(`URL scheme must be http, https, ws or wss, got '${url.protocol}' in '${text}'`);
  }
  return url;
}
