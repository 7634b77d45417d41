import { Pool } from 'undici';
import {
  describeErrorEntry,
  type GraphQLErrorEntry,
  type GraphQLRequest,
  type GraphQLResult,
  type Publisher,
  type PublishOptions,
} from '@tickerflow/appsync-protocol';
import { AuthError, GraphQLResponseError, TransportError, UsageError, errorMessageWithCode } from '@tickerflow/core';
import { AppSyncClientErrorCode } from '@tickerflow/appsync-protocol';

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

/** appsync-protocol's {@link Publisher} on a connection pool, which `close()` releases. */
export interface HttpPublisher extends Publisher {
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
export function createPublisher(options: PublisherOptions): HttpPublisher {
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
    async publish(request: GraphQLRequest, publishOptions: PublishOptions = {}): Promise<GraphQLResult> {
      let answer: HttpAnswer;
      try {
        const response = await pool.request({
          path,
          method: 'POST',
          headers,
          body: JSON.stringify(request),
          signal: publishOptions.signal,
        });
        answer = {
          status: response.statusCode,
          contentType: firstHeader(response.headers['content-type']),
          retryAfter: firstHeader(response.headers['retry-after']),
          text: await response.body.text(),
        };
      } catch (error) {
        if (publishOptions.signal?.aborted) throw error;
        throw new RetryableHttpError(`POST ${where} failed: ${errorMessageWithCode(error)}`, {
          cause: error,
          code: 'HTTP_NETWORK',
        });
      }
      return interpretResponse(answer, where);
    },
    async close() {
      await pool.close();
    },
  };
}

/** The parts of an HTTP answer that decide what it means. */
export interface HttpAnswer {
  readonly status: number;
  readonly contentType?: string | undefined;
  readonly retryAfter?: string | undefined;
  readonly text: string;
}

/** Statuses that say "try again later" (RFC 9110, RFC 8470, RFC 6585): 408, 425, 429 and every 5xx. */
export function isRetriableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * Maps an HTTP answer to a result or to the error class the caller's retry loop understands:
 * 401/403 AuthError; 408/425/429/5xx RetryableHttpError (with Retry-After); a 200 whose body is
 * a GraphQL JSON answer (`application/json` or `application/graphql-response+json`, an object
 * with `data` and/or `errors`, `data` an object or null) is the result; anything else (another
 * status, HTML, another content type, a JSON body that is no GraphQL answer) a
 * GraphQLResponseError carrying the status.
 */
export function interpretResponse(answer: HttpAnswer, where: string): GraphQLResult {
  const { status, text } = answer;
  const json = isJsonContentType(answer.contentType);
  const body = json ? parseBody(text) : undefined;
  const first = body?.errors?.[0];
  const detail = first ? describeErrorEntry(first) : snippet(text);
  if (status === 401 || status === 403) {
    throw new AuthError(`${where} refused the API key (HTTP ${status}${detail ? `: ${detail}` : ''})`, {
      code: AppSyncClientErrorCode.apiKeyRefused,
      hint: 'check the API key and that it belongs to this API',
    });
  }
  if (isRetriableStatus(status)) {
    const retryAfterMs = parseRetryAfter(answer.retryAfter);
    throw new RetryableHttpError(`${where} answered HTTP ${status}${detail ? `: ${detail}` : ''}`, {
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      code: status === 429 ? 'HTTP_THROTTLED' : status >= 500 ? 'HTTP_SERVER_ERROR' : 'HTTP_RETRYABLE',
    });
  }
  if (status !== 200) {
    throw new GraphQLResponseError(`${where} answered HTTP ${status}${detail ? `: ${detail}` : ''}`, {
      status,
      ...(first?.errorType === undefined ? {} : { errorType: first.errorType }),
    });
  }
  if (body === undefined) {
    const what = json ? 'a body that is not a GraphQL answer' : `content-type ${answer.contentType ?? '(none)'}`;
    throw new GraphQLResponseError(`${where} answered HTTP 200 with ${what}${text ? `: ${snippet(text)}` : ''}`, { status });
  }
  const data = body.data ?? null;
  return body.errors === undefined ? { data } : { data, errors: body.errors };
}

interface RawBody {
  data?: Record<string, unknown> | null;
  errors?: GraphQLErrorEntry[];
}

/** A GraphQL answer: a JSON object with `data` (an object or null) and/or an `errors` array. */
function parseBody(text: string): RawBody | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const body = value as { data?: unknown; errors?: unknown };
  const hasData = 'data' in body;
  if (hasData && body.data !== null && (typeof body.data !== 'object' || Array.isArray(body.data))) return undefined;
  if (body.errors !== undefined && !Array.isArray(body.errors)) return undefined;
  if (!hasData && body.errors === undefined) return undefined;
  const errors = Array.isArray(body.errors) ? body.errors.map((entry: unknown) => toErrorEntry(entry)) : undefined;
  return { data: (body.data ?? null) as Record<string, unknown> | null, ...(errors === undefined ? {} : { errors }) };
}

/** `application/json` or `application/graphql-response+json`, with any parameters (AppSync adds `charset=UTF-8`). */
function isJsonContentType(value: string | undefined): boolean {
  const type = value?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json' || type === 'application/graphql-response+json';
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function snippet(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
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
