import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { AppError, LOCAL_API_KEY, LOCAL_APPSYNC_HOST, LOCAL_APPSYNC_PORT } from '@tickerflow/core';
import { createDocumentCache } from './documents';
import type { FaultOptions } from './faults';
import { createGraphQLHttpHandler, type HttpAnswer } from './graphql-http';
import { silentLogger, type ServerLogger } from './logger';
import { APPSYNC_LIMITS, AppSyncErrorType } from '@tickerflow/appsync-protocol';
import { createRealtimeCore, type RealtimeStats, type Timers } from './realtime';
import { loadAppSyncSchema, DEFAULT_SCHEMA_SDL } from './schema';
import { parseRequestTarget } from './request-target';
import { createWsAdapter } from './ws-adapter';

/** Defaults of the options below; the figures and their AppSync sources live in APPSYNC_LIMITS. */
export const DEFAULT_KEEP_ALIVE_INTERVAL_MS = APPSYNC_LIMITS.keepAliveIntervalMs;
export const DEFAULT_CONNECTION_TIMEOUT_MS = APPSYNC_LIMITS.connectionTimeoutMs;
export const DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION = APPSYNC_LIMITS.maxSubscriptionsPerConnection;
export const DEFAULT_MAX_MESSAGE_BYTES = APPSYNC_LIMITS.maxMessageBytes;
export const DEFAULT_MAX_EVENT_BYTES = APPSYNC_LIMITS.maxEventBytes;
export const DEFAULT_MAX_BUFFERED_BYTES = APPSYNC_LIMITS.maxBufferedBytes;
export const DEFAULT_MAX_BODY_BYTES = APPSYNC_LIMITS.maxBodyBytes;

export interface AppSyncServerOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** Port; 0 picks a free one (read it from `listen()`'s answer). Default 4000. */
  readonly port?: number;
  /** The API key clients must send. Default {@link LOCAL_API_KEY}. */
  readonly apiKey?: string;
  /** Schema SDL. Default: the reference design's `tickerlocal` API ({@link DEFAULT_SCHEMA_SDL}). */
  readonly schema?: string;
  /** Name of the schema's source in error messages (e.g. the file name). */
  readonly schemaSource?: string;
  /** PEM certificate and key: serve https/wss instead of http/ws. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** `ka` period. Default 60000. */
  readonly keepAliveIntervalMs?: number;
  /** `connectionTimeoutMs` announced in `connection_ack`. Default 300000. */
  readonly connectionTimeoutMs?: number;
  /** A socket that sends no `connection_init` within this long is closed. Default: `connectionTimeoutMs`. */
  readonly connectionInitTimeoutMs?: number;
  /** Default 100. */
  readonly maxSubscriptionsPerConnection?: number;
  /** Largest client WebSocket frame answered normally. Default 128 KiB. */
  readonly maxMessageBytes?: number;
  /** Largest subscription event delivered. Default 240 KiB. */
  readonly maxEventBytes?: number;
  /** Unsent bytes per connection before it is closed as a slow consumer. Default 8 MiB. */
  readonly maxBufferedBytes?: number;
  /** Largest HTTP request body. Default 5 MiB. */
  readonly maxBodyBytes?: number;
  /** Injected failures and latency for mutation requests. */
  readonly faults?: FaultOptions;
  /** Run mutations through compiled plans where they apply (same answers, less work). Default true. */
  readonly mutationPlans?: boolean;
  readonly logger?: ServerLogger;
  /** Timer functions (tests may pass fakes). */
  readonly timers?: Timers;
}

export interface AppSyncServerUrls {
  /** e.g. `http://127.0.0.1:4000/graphql` */
  readonly graphqlUrl: string;
  /** e.g. `ws://127.0.0.1:4000/graphql/realtime` */
  readonly realtimeUrl: string;
  readonly host: string;
  readonly port: number;
  readonly apiKey: string;
}

export interface AppSyncServerStats extends RealtimeStats {
  httpRequests: number;
  mutationFields: number;
  injectedFailures: number;
}

export interface AppSyncServer {
  /** Starts listening; resolves with the URLs actually served (the real port when 0 was asked). */
  listen(): Promise<AppSyncServerUrls>;
  /** Closes every connection and stops listening. Safe to call twice. */
  close(): Promise<void>;
  /** The URLs; throws before `listen()` resolved. */
  readonly urls: AppSyncServerUrls;
  stats(): AppSyncServerStats;
}

/**
 * A local AWS AppSync endpoint: GraphQL over HTTP at `/graphql`, the realtime WebSocket protocol
 * at `/graphql/realtime` and `/graphql` (subprotocol `graphql-ws`), `GET /healthz`.
 * Throws ConfigError for a schema that cannot be served.
 */
export function createAppSyncServer(options: AppSyncServerOptions = {}): AppSyncServer {
  const logger = options.logger ?? silentLogger;
  const apiKey = options.apiKey ?? LOCAL_API_KEY;
  const api = loadAppSyncSchema(options.schema ?? DEFAULT_SCHEMA_SDL, options.schemaSource ?? 'schema');
  const documents = createDocumentCache(api.schema);
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const core = createRealtimeCore(api, documents, {
    apiKey,
    keepAliveIntervalMs: options.keepAliveIntervalMs ?? DEFAULT_KEEP_ALIVE_INTERVAL_MS,
    connectionTimeoutMs: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    connectionInitTimeoutMs: options.connectionInitTimeoutMs ?? options.connectionTimeoutMs ?? APPSYNC_LIMITS.connectionInitTimeoutMs,
    maxSubscriptionsPerConnection: options.maxSubscriptionsPerConnection ?? DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION,
    maxMessageBytes,
    maxEventBytes: options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES,
    maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
    logger,
    ...(options.timers === undefined ? {} : { timers: options.timers }),
  });
  const graphqlOptions = {
    apiKey,
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    ...(options.mutationPlans === undefined ? {} : { mutationPlans: options.mutationPlans }),
  };
  const graphql = createGraphQLHttpHandler(api, documents, graphqlOptions, (field, result) => {
    core.publish(field, result);
  });
  const ws = createWsAdapter(core, { maxPayloadBytes: Math.max(maxMessageBytes * 8, APPSYNC_LIMITS.maxFrameBytes), logger });

  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    route(request, response).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (!response.headersSent) reply(response, { status: 500, body: { errors: [{ errorType: AppSyncErrorType.Internal, message: 'Internal failure.' }] } });
    });
  };
  const httpOptions = { maxHeaderSize: APPSYNC_LIMITS.maxHeaderBytes };
  const server: Server =
    options.tls === undefined ? createHttpServer(httpOptions, onRequest) : createHttpsServer({ ...httpOptions, cert: options.tls.cert, key: options.tls.key }, onRequest);
  server.headersTimeout = APPSYNC_LIMITS.headersTimeoutMs;
  server.requestTimeout = APPSYNC_LIMITS.requestTimeoutMs;
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => ws.handleUpgrade(request, socket, head));
  server.on('clientError', answerClientError);

  let urls: AppSyncServerUrls | undefined;
  let closing: Promise<void> | undefined;

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Publishers post to exactly /graphql thousands of times a second: skip URL parsing for it.
    const path = request.url === '/graphql' ? '/graphql' : parseRequestTarget(request.url)?.path;
    if (path === undefined) {
      reply(response, { status: 400, body: { errors: [{ errorType: AppSyncErrorType.MalformedHttpRequest, message: 'The request target is not a path.' }] } });
      return;
    }
    if (request.method === 'OPTIONS') {
      reply(response, { status: 204, body: undefined });
      return;
    }
    if (path === '/healthz' && (request.method === 'GET' || request.method === 'HEAD')) {
      reply(response, { status: 200, body: { status: 'ok', ...stats() } });
      return;
    }
    if (path !== '/graphql') {
      reply(response, { status: 404, body: { errors: [{ message: `No route for ${request.method ?? ''} ${path}` }] } });
      return;
    }
    if (request.method !== 'POST') {
      reply(response, { status: 405, headers: { allow: 'POST' }, body: { errors: [{ errorType: 'MethodNotAllowedException', message: 'Use POST for GraphQL requests.' }] } });
      return;
    }
    const header = request.headers['x-api-key'];
    const key = Array.isArray(header) ? header[0] : header;
    // The key is checked before a byte of the body is read: an unauthorised client cannot make
    // the server receive (or wait for) a large or endless body.
    const refusal = graphql.authorize(key);
    if (refusal !== undefined) {
      reply(response, refusal);
      return;
    }
    const body = await readBody(request, maxBodyBytes);
    if (body === undefined) {
      reply(response, { status: 413, body: { errors: [{ errorType: 'PayloadTooLargeException', message: `Request body exceeds ${maxBodyBytes} bytes.` }] } });
      return;
    }
    reply(response, await graphql.handle(body, key));
  }

  function stats(): AppSyncServerStats {
    return { ...core.stats(), httpRequests: graphql.stats.requests, mutationFields: graphql.stats.mutationFields, injectedFailures: graphql.stats.injectedFailures };
  }

  return {
    get urls(): AppSyncServerUrls {
      if (urls === undefined) throw new AppError('NOT_LISTENING', 'appsync-local server is not listening yet');
      return urls;
    },
    stats,
    listen() {
      return new Promise((resolve, reject) => {
        const host = options.host ?? LOCAL_APPSYNC_HOST;
        server.once('error', reject);
        server.listen(options.port ?? LOCAL_APPSYNC_PORT, host, () => {
          server.off('error', reject);
          const port = (server.address() as AddressInfo).port;
          const secure = options.tls !== undefined;
          const urlHost = hostForUrl(host);
          urls = {
            graphqlUrl: `${secure ? 'https' : 'http'}://${urlHost}:${port}/graphql`,
            realtimeUrl: `${secure ? 'wss' : 'ws'}://${urlHost}:${port}/graphql/realtime`,
            host,
            port,
            apiKey,
          };
          logger.info({ graphqlUrl: urls.graphqlUrl, realtimeUrl: urls.realtimeUrl }, 'appsync-local listening');
          resolve(urls);
        });
      });
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        core.closeAll(1001, 'server shutting down');
        ws.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Reads the body; undefined as soon as it is known to exceed the limit (declared or counted),
 * without reading the rest: the answer then closes the connection, so an endless body ends there.
 */
function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        request.off('data', onData);
        request.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * Answers a request Node's parser refused (bad request line, headers too large, timeouts) in
 * AppSync's error shape, then drops the connection. Node's own answer carries no body.
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  const response = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
  if (!socket.writable || error.code === 'ECONNRESET' || response?.headersSent === true) {
    socket.destroy();
    return;
  }
  const [status, reason] =
    error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout'] : [400, 'Bad Request'];
  const body = JSON.stringify({ errors: [{ errorType: AppSyncErrorType.MalformedHttpRequest, message: `${reason}.` }] });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`, () =>
    socket.destroy(),
  );
}

function reply(response: ServerResponse, answer: HttpAnswer): void {
  const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
  // A body left unread (refused before or while reading it) is not drained: the connection closes.
  // A request without a body is not complete yet while its handler runs either, so look at what it declared.
  const { headers } = response.req;
  const declaresBody = headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
  const unread = declaresBody && !response.req.complete;
  if (unread && response.socket) lingerOnClose(response.socket);
  response.writeHead(answer.status, {
    'content-type': 'application/json; charset=UTF-8',
    'x-amzn-requestid': randomUUID(),
    'access-control-allow-origin': '*',
    'access-control-allow-headers': 'content-type, x-api-key, authorization, x-amz-date, x-amz-security-token, x-amz-user-agent',
    'access-control-allow-methods': 'POST, GET, OPTIONS',
    'content-length': String(Buffer.byteLength(body)),
    ...(unread ? { connection: 'close' } : {}),
    ...answer.headers,
  });
  response.end(body);
}

/** How long a connection refused mid-body keeps discarding what the client still sends. */
const LINGER_MS = 1_000;

/**
 * A lingering close (as Apache's): Node destroys the socket as soon as the refusal is written,
 * and a client still sending its body then gets a reset that can wipe the refusal from its
 * receive buffer before it reads it. Ending the write side, then discarding input for a bounded
 * time before destroying, lets the client read the status first.
 */
function lingerOnClose(socket: Duplex & { destroySoon?: () => void }): void {
  socket.destroySoon = () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}
