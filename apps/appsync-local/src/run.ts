import { readFileSync } from 'node:fs';
import { createLogger } from '@tickerflow/cli';
import { ConfigError, LOCAL_API_KEY, TransportError } from '@tickerflow/core';
import { createAppSyncServer, type AppSyncServerOptions } from '@tickerflow/appsync-server';

/** The options commander hands to the action. */
export interface AppSyncLocalOptions {
  host: string;
  port: number;
  apiKey: string;
  schema?: string;
  tlsCert?: string;
  tlsKey?: string;
  kaInterval: number;
  connectionTimeout: number;
  maxSubscriptions: number;
  maxBuffer: number;
  failRate: number;
  failStatus: number;
  retryAfter: number;
  latency: number;
  seed?: number;
  json?: boolean;
  verbose?: boolean;
}

export interface RunContext {
  readonly stdout: NodeJS.WritableStream;
  readonly signal: AbortSignal;
}

function readConfigFile(option: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${option} ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
}

/** Validates the options into server options (ConfigError/usage problems before anything listens). */
export function serverOptionsFrom(options: AppSyncLocalOptions): AppSyncServerOptions {
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) {
    throw new ConfigError('--tls-cert and --tls-key go together', { hint: 'give both files, or neither for plain http/ws' });
  }
  if (options.apiKey.trim() === '') throw new ConfigError('--api-key must not be empty');
  return {
    host: options.host,
    port: options.port,
    apiKey: options.apiKey,
    ...(options.schema === undefined ? {} : { schema: readConfigFile('--schema', options.schema), schemaSource: options.schema }),
    ...(options.tlsCert === undefined || options.tlsKey === undefined
      ? {}
      : { tls: { cert: readConfigFile('--tls-cert', options.tlsCert), key: readConfigFile('--tls-key', options.tlsKey) } }),
    keepAliveIntervalMs: options.kaInterval,
    connectionTimeoutMs: options.connectionTimeout,
    maxSubscriptionsPerConnection: options.maxSubscriptions,
    maxBufferedBytes: options.maxBuffer,
    faults: {
      failRate: options.failRate,
      failStatus: options.failStatus,
      retryAfterSeconds: options.retryAfter,
      latencyMs: options.latency,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    },
    // A switch for measuring the plans against plain execution, not an option (docs/appsync-protocol.md).
    mutationPlans: process.env['APPSYNC_LOCAL_MUTATION_PLAN'] !== '0',
  };
}

/** Starts the server, prints where it listens, runs until the signal aborts, then closes cleanly. */
export async function runAppSyncLocal(options: AppSyncLocalOptions, context: RunContext): Promise<void> {
  const logger = createLogger({
    name: 'appsync-local',
    level: options.verbose === true ? 'debug' : 'info',
    json: options.json === true,
  });
  let server;
  try {
    server = createAppSyncServer({ ...serverOptionsFrom(options), logger });
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`cannot start: ${(error as Error).message}`, { cause: error });
  }
  let urls;
  try {
    urls = await server.listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new TransportError(`port ${options.port} on ${options.host} is already in use`, {
        code: 'PORT_IN_USE',
        retriable: false,
        hint: 'stop the other server, or use --port 0 to pick a free port',
        cause: error,
      });
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES') {
      throw new ConfigError(`cannot listen on ${options.host}:${options.port} (${code})`, { cause: error });
    }
    if (error instanceof Error && /PEM|key|cert/i.test(error.message)) {
      throw new ConfigError(`TLS certificate/key not usable: ${error.message}`, { cause: error });
    }
    throw error;
  }
  // The development key is public; a key the user chose is a secret and never printed.
  const showKey = options.apiKey === LOCAL_API_KEY;
  if (options.json === true) {
    context.stdout.write(
      `${JSON.stringify({ event: 'listening', graphqlUrl: urls.graphqlUrl, realtimeUrl: urls.realtimeUrl, host: urls.host, port: urls.port, ...(showKey ? { apiKey: urls.apiKey } : {}) })}\n`,
    );
  } else {
    context.stdout.write(
      `appsync-local listening\n  GraphQL:  ${urls.graphqlUrl}\n  Realtime: ${urls.realtimeUrl}\n  API key:  ${showKey ? urls.apiKey : '(from --api-key / APPSYNC_API_KEY)'}\n`,
    );
  }
  await new Promise<void>((resolve) => {
    if (context.signal.aborted) resolve();
    else context.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  logger.info({ stats: server.stats() }, 'shutting down');
  await server.close();
  logger.flush?.();
}
