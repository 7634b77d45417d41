import { Command, Option } from 'commander';
import { APPSYNC_LIMITS } from '@tickerflow/appsync-protocol';
import { handleShutdownSignals, jsonOption, verboseOption, withExamples } from '@tickerflow/cli';
import {
  LOCAL_API_KEY,
  LOCAL_APPSYNC_HOST,
  LOCAL_APPSYNC_PORT,
  UsageError,
  parseFraction,
  parseNonNegativeInteger,
  parsePositiveInteger,
} from '@tickerflow/core';
import type { AppSyncLocalOptions } from './run';


function parsePort(raw: string): number {
  const port = parseNonNegativeInteger('--port', raw);
  if (port > 65535) throw new UsageError(`--port must be from 0 to 65535, got '${raw}'`);
  return port;
}

function parseStatus(raw: string): number {
  const status = parsePositiveInteger('--fail-status', raw);
  if (status < 400 || status > 599) throw new UsageError(`--fail-status must be an HTTP error status 400-599, got '${raw}'`);
  return status;
}

/** The appsync-local command line: options → config → the server (loaded lazily to keep --help fast). */
export function buildProgram(): Command {
  const program = new Command('appsync-local')
    .description(
      'Serve a local AWS AppSync endpoint: GraphQL over HTTP at /graphql and the realtime WebSocket protocol\n' +
        'at /graphql/realtime (and /graphql with subprotocol graphql-ws). Default schema: the tickerlocal quote API.\n' +
        'Prints the GraphQL URL, realtime URL and API key on stdout (--json: one JSON line).\n' +
        'Exit codes: 0 stopped cleanly (Ctrl-C/SIGTERM), 1 runtime failure (e.g. port in use), 2 bad usage or config.',
    )
    .addOption(new Option('--host <host>', 'interface to listen on').env('APPSYNC_LOCAL_HOST').default(LOCAL_APPSYNC_HOST))
    .addOption(
      new Option('-p, --port <port>', 'port to listen on; 0 picks a free one (printed)')
        .env('APPSYNC_LOCAL_PORT')
        .argParser(parsePort)
        .default(LOCAL_APPSYNC_PORT),
    )
    .addOption(
      new Option('--api-key <key>', 'API key clients must send').env('APPSYNC_API_KEY').default(LOCAL_API_KEY, 'the fixed development key'),
    )
    .addOption(new Option('--schema <file>', 'serve this AppSync schema (SDL) instead of the tickerlocal API'))
    .addOption(new Option('--tls-cert <file>', 'PEM certificate: serve https/wss (needs --tls-key)'))
    .addOption(new Option('--tls-key <file>', 'PEM private key for --tls-cert'))
    .addOption(
      new Option('--ka-interval <ms>', 'period of keep-alive (ka) messages')
        .argParser((raw) => parsePositiveInteger('--ka-interval', raw))
        .default(APPSYNC_LIMITS.keepAliveIntervalMs),
    )
    .addOption(
      new Option('--connection-timeout <ms>', 'connectionTimeoutMs announced in connection_ack; sockets sending no connection_init within it are closed')
        .argParser((raw) => parsePositiveInteger('--connection-timeout', raw))
        .default(APPSYNC_LIMITS.connectionTimeoutMs),
    )
    .addOption(
      new Option('--max-subscriptions <n>', 'active subscriptions allowed per connection')
        .argParser((raw) => parsePositiveInteger('--max-subscriptions', raw))
        .default(APPSYNC_LIMITS.maxSubscriptionsPerConnection),
    )
    .addOption(
      new Option('--max-buffer <bytes>', 'unsent bytes per connection before it is closed as a slow consumer')
        .argParser((raw) => parsePositiveInteger('--max-buffer', raw))
        .default(APPSYNC_LIMITS.maxBufferedBytes, '8 MiB'),
    )
    .addOption(
      new Option('--fail-rate <fraction>', 'fraction (0-1) of mutation requests answered with --fail-status')
        .argParser((raw) => parseFraction('--fail-rate', raw))
        .default(0),
    )
    .addOption(new Option('--fail-status <status>', 'HTTP status of injected failures').argParser(parseStatus).default(500))
    .addOption(
      new Option('--retry-after <seconds>', 'Retry-After sent with injected 429/503')
        .argParser((raw) => parseNonNegativeInteger('--retry-after', raw))
        .default(1),
    )
    .addOption(
      new Option('--latency <ms>', 'delay every mutation request by this long')
        .argParser((raw) => parseNonNegativeInteger('--latency', raw))
        .default(0),
    )
    .addOption(
      new Option('--seed <n>', 'seed of the failure draw, for repeatable fault runs').argParser((raw) =>
        parseNonNegativeInteger('--seed', raw),
      ),
    )
    .addOption(jsonOption())
    .addOption(verboseOption())
    .action(async (options: AppSyncLocalOptions) => {
      const { runAppSyncLocal } = await import('./run');
      const shutdown = handleShutdownSignals();
      try {
        await runAppSyncLocal(options, { stdout: process.stdout, signal: shutdown.signal });
      } finally {
        shutdown.dispose();
      }
    });
  return withExamples(program, [
    'appsync-local',
    'appsync-local --port 0 --json            # pick a free port; print {"graphqlUrl",...} as one line',
    'APPSYNC_LOCAL_PORT=4100 APPSYNC_API_KEY=da2-mykey appsync-local',
    'appsync-local --schema ./schema.graphql --ka-interval 5000',
    'appsync-local --tls-cert cert.pem --tls-key key.pem    # https:// and wss://',
    'appsync-local --fail-rate 0.1 --fail-status 429 --retry-after 2 --seed 7 --latency 20',
  ]);
}
