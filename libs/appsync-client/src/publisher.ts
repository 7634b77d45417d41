import { Pool } from 'undici';
import type { GraphQLRequest } from '@tickerflow/appsync-protocol';
import { AuthError, GraphQLResponseError, TransportError, UsageError, errorMessage } from '@tickerflow/core';

/** One GraphQL request, as POSTed to AppSync (the same shape a realtime `start` carries). */
export type { GraphQLRequest };

/** One entry of a GraphQL `errors` array, with AppSync's extra `errorType`. */
export interface GraphQLErrorEntry {
  readonly message: string;
  readonly errorType?: string;
  readonly path?: readonly (string | number)[] | null;
  readonly locations?: readonly unknown[] | null;
  readonly [key: string]: unknown;
}

/** A parsed 200 answer: `data` and, when some fields failed, `errors` for the caller to judge per field. */
export interface GraphQLResponse<TData = Record<string, unknown>> {
  readonly data: TData | null;
  readonly errors?: readonly GraphQLErrorEntry[];
}

export interface PublisherOptions {
  /** The GraphQL API URL, e.g. `https://<id>.appsync-api.<region>.amazonaws.com/graphql`. */
  readonly url: string;
  /** AppSync API key, sent as `x-api-key`. */
  readonly apiKey: string;
  /** Keep-alive connections in the pool. Default 4. */
  readonly connections?: number;
  /** Requests in flight per connection (HTTP/1.1 pipelining). Default 1 (no pipelining). */
  readonly pipelining?: number;
  /** Bound on waiting for the response headers and between body chunks, in ms. Default 10000. */
  readonly timeoutMs?: number;
  /** Idle keep-alive time of a pooled connection, in ms. Default 30000. */
  readonly keepAliveTimeoutMs?: number;
}

export interface Publisher {
  /**
   * POSTs one GraphQL request. Resolves with `{data, errors?}` when the endpoint answered 200
   * (field errors included: the caller judges them). Throws AuthError on 401/403,
   * TransportError (retriable, `retryAfterMs` when the server said) on 429, 5xx, network
   * failures and timeouts, GraphQLResponseError on other 4xx answers.
   */
  publish<TData = Record<string, unknown>>(
    request: GraphQLRequest,
    options?: { readonly signal?: AbortSignal },
  ): Promise<GraphQLResponse<TData>>;
  /** Waits for requests in flight, then closes the pooled connections. */
  close(): Promise<void>;
}

/** A TransportError that carries the server's `Retry-After`, when it sent one. */
export class RetryableHttpError extends TransportError {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { status?: number; retryAfterMs?: number; cause?: unknown; code?: string }) {
    super(message, { code: options.code ?? 'HTTP_RETRYABLE', cause: options.cause });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * GraphQL-over-HTTP publisher for AppSync on an undici Pool with keep-alive:
 * one origin, a fixed number of connections, optional pipelining.
 */
export function createPublisher(options: PublisherOptions): Publisher {
  let endpoint: URL;
  try {
    endpoint = new URL(options.url);
  } catch (error) {
    throw new UsageError(`not a valid GraphQL URL: '${options.url}'`, { cause: error });
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
    throw new UsageError(`the GraphQL URL must be http:// or https://, got '${options.url}'`);
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pool = new Pool(endpoint.origin, {
    connections: options.connections ?? 4,
    pipelining: options.pipelining ?? 1,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connectTimeout: timeoutMs,
  });
  const path = `${endpoint.pathname}${endpoint.search}`;
  const headers = { 'content-type': 'application/json', 'x-api-key': options.apiKey };
  const where = `${endpoint.origin}${endpoint.pathname}`;

  return {
    async publish<TData>(request: GraphQLRequest, publishOptions: { signal?: AbortSignal } = {}) {
      let status: number;
      let text: string;
      let retryAfter: string | string[] | undefined;
      try {
        const response = await pool.request({
          path,
          method: 'POST',
          headers,
          body: JSON.stringify(request),
          signal: publishOptions.signal,
        });
        status = response.statusCode;
        retryAfter = response.headers['retry-after'];
        text = await response.body.text();
      } catch (error) {
        if (publishOptions.signal?.aborted) throw error;
        throw new RetryableHttpError(`POST ${where} failed: ${describeNetworkError(error)}`, {
          cause: error,
          code: 'HTTP_NETWORK',
        });
      }
      return interpretResponse<TData>(status, text, retryAfter, where);
    },
    async close() {
      await pool.close();
    },
  };
}

/** Maps an HTTP answer to a result or to the error class the caller's retry loop understands. */
export function interpretResponse<TData>(
  status: number,
  text: string,
  retryAfter: string | readonly string[] | undefined,
  where: string,
): GraphQLResponse<TData> {
  const body = parseBody(text);
  const first = body?.errors?.[0];
  const detail = first ? `${first.errorType ? `${first.errorType}: ` : ''}${first.message}` : text.slice(0, 200);
  if (status === 401 || status === 403) {
    throw new AuthError(`${where} refused the API key (HTTP ${status}${detail ? `: ${detail}` : ''})`, {
      hint: 'check --api-key / APPSYNC_API_KEY and that the key belongs to this API',
    });
  }
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : (retryAfter as string | undefined));
    throw new RetryableHttpError(`${where} answered HTTP ${status}${detail ? `: ${detail}` : ''}`, {
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      code: status === 429 ? 'HTTP_THROTTLED' : 'HTTP_SERVER_ERROR',
    });
  }
  if (status !== 200 || body === undefined) {
    throw new GraphQLResponseError(
      `${where} answered HTTP ${status}${detail ? `: ${detail}` : ''}`,
      { status, ...(first?.errorType === undefined ? {} : { errorType: first.errorType }) },
    );
  }
  const data = (body.data ?? null) as TData | null;
  return body.errors === undefined ? { data } : { data, errors: body.errors };
}

interface RawBody {
  data?: unknown;
  errors?: GraphQLErrorEntry[];
}

function parseBody(text: string): RawBody | undefined {
  if (text === '') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const body = value as { data?: unknown; errors?: unknown };
    const errors = Array.isArray(body.errors)
      ? body.errors.map((entry: unknown) => toErrorEntry(entry))
      : undefined;
    return { data: body.data, ...(errors === undefined ? {} : { errors }) };
  } catch {
    return undefined;
  }
}

function toErrorEntry(entry: unknown): GraphQLErrorEntry {
  if (entry === null || typeof entry !== 'object') return { message: String(entry) };
  const record = entry as Record<string, unknown>;
  return {
    ...record,
    message: typeof record['message'] === 'string' ? record['message'] : JSON.stringify(entry),
    ...(typeof record['errorType'] === 'string' ? { errorType: record['errorType'] } : {}),
  };
}

/** `Retry-After` as delta-seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function describeNetworkError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = errorMessage(error);
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
}
