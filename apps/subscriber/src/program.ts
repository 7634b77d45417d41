import { Command, Option } from 'commander';
import { handleShutdownSignals, jsonOption, verboseOption, withErrorHints, withExamples } from '@tickerflow/cli';
import {
  DEFAULT_SUBSCRIPTION_FIELD,
  LOCAL_API_KEY,
  LOCAL_GRAPHQL_URL,
  parseNonNegativeInteger,
  parseNonNegativeNumber,
  parsePositiveInteger,
} from '@tickerflow/core';
import {
  DEFAULT_TICKER_ARG,
  collectTickers,
  parseFields,
  resolveConfig,
  type SubOptions,
} from './config';
import { collectFilters } from './filter-args';
import { SUB_HINTS } from './hints';

/** The `sub` command line: options → validated config → runSub (loaded lazily to keep --help fast). */
export function buildProgram(): Command {
  const program = new Command('sub')
    .description(
      'Subscribe to quotes over the AWS AppSync realtime WebSocket protocol and show them as they arrive.\n' +
        'Works with AWS AppSync and appsync-local, tickerflow\'s schema or any other:\n' +
        'choose --subscription-field, --fields; filter with --ticker / --filter.\n' +
        'Gaps and duplicates need a `seq` field, latency a `ts` (epoch ms): else n/a.\n' +
        'On a terminal: a live table; with --json or a pipe: NDJSON.\n' +
        'Exit codes: 0 done (incl. Ctrl-C), 1 runtime failure (e.g. every subscription rejected), 2 bad usage,\n' +
        '3 credentials rejected, 4 cannot connect after retries.',
    )
    .addOption(new Option('--url <url>', 'GraphQL API URL').env('APPSYNC_URL').default(LOCAL_GRAPHQL_URL))
    .addOption(
      new Option('--api-key <key>', 'AppSync API key').env('APPSYNC_API_KEY').default(LOCAL_API_KEY, "appsync-local's dev key"),
    )
    .addOption(new Option('--realtime-url <url>', 'realtime WebSocket URL (default: derived from --url as AWS documents)'))
    .addOption(
      new Option('--auth-transport <how>', 'how the auth header travels on connect')
        .choices(['query', 'subprotocol'])
        .default('query'),
    )
    .addOption(
      new Option('-t, --ticker <list>', 'ticker to receive (repeatable or comma list; one subscription each, filtered server-side on --ticker-arg)')
        .env('SUB_TICKER')
        .argParser(collectTickers),
    )
    .addOption(
      new Option('--ticker-arg <name>', 'subscription argument --ticker sets, and the event field the table and gap counts are keyed by')
        .env('SUB_TICKER_ARG')
        .default(DEFAULT_TICKER_ARG),
    )
    .addOption(
      new Option('--filter <name=value>', 'filter on any argument of the subscription field (repeatable or comma list); numbers and true/false as is, "…" forces a string')
        .env('SUB_FILTER')
        .argParser(collectFilters),
    )
    .addOption(
      new Option('--fields <list>', 'fields to select, comma list (default: the scalar fields the schema declares, by introspection; else every tickerflow quote field)').env('SUB_FIELDS').argParser(parseFields),
    )
    .addOption(
      new Option('--subscription-field <name>', 'subscription field of the schema').env('SUB_SUBSCRIPTION_FIELD').default(DEFAULT_SUBSCRIPTION_FIELD),
    )
    .addOption(new Option('--query <document>', 'raw subscription document (added next to any --ticker subscriptions)'))
    .addOption(new Option('--variables <json>', 'variables for --query, a JSON object'))
    .addOption(jsonOption())
    .addOption(new Option('-n, --count <n>', 'stop after N events').argParser((raw) => parsePositiveInteger('--count', raw)))
    .addOption(
      new Option('-d, --duration <seconds>', 'stop after S seconds').argParser((raw) => parseNonNegativeNumber('--duration', raw)),
    )
    .addOption(new Option('--stats', 'on exit print events, latency p50/p99/max, gaps, duplicates, reconnects to stderr'))
    .addOption(
      new Option('--ack-timeout <ms>', 'wait at most this long for connection_ack (and the handshake)')
        .argParser((raw) => parsePositiveInteger('--ack-timeout', raw))
        .default(10_000),
    )
    .addOption(
      new Option('--max-retries <n>', 'connection attempts to retry in a row before exiting 4 (also: failed starts of one subscription)')
        .argParser((raw) => parseNonNegativeInteger('--max-retries', raw))
        .default(10),
    )
    .addOption(
      new Option('--retry-initial <ms>', 'first backoff delay ceiling (full jitter, doubling)')
        .argParser((raw) => parseNonNegativeInteger('--retry-initial', raw))
        .default(500),
    )
    .addOption(
      new Option('--retry-max <ms>', 'largest backoff delay ceiling')
        .argParser((raw) => parseNonNegativeInteger('--retry-max', raw))
        .default(15_000),
    )
    .addOption(verboseOption())
    .action(async (options: SubOptions) => {
      const config = resolveConfig(options, process.stdout.isTTY === true);
      const { runSub } = await import('./run');
      const shutdown = handleShutdownSignals();
      try {
        await runSub(config, {
          stdout: process.stdout,
          stderr: process.stderr,
          signal: shutdown.signal,
          color: process.stdout.hasColors?.() === true,
        });
      } finally {
        shutdown.dispose();
      }
    });
  withErrorHints(program, SUB_HINTS);
  return withExamples(program, [
    'sub --ticker BTC',
    'sub --ticker BTC,ETH --ticker SOL --stats',
    'sub --ticker BTC --count 10 --json | jq .price',
    'sub --fields ticker,price,ts --duration 30 --stats --json',
    '# the reference design\'s schema (no seq/ts: gaps and latency show n/a)',
    'sub --subscription-field tickerlocal --fields id,ticker,price,matchtime --ticker BTC',
    'sub --fields id,ticker,price --filter ticker=BTC --filter price=106.5 --json',
    'sub --ticker-arg symbol --fields symbol,last --ticker BTC --subscription-field onQuote',
    'APPSYNC_URL=https://abc.appsync-api.eu-west-1.amazonaws.com/graphql APPSYNC_API_KEY=da2-… sub --ticker BTC',
    "sub --query 'subscription { onQuote { symbol last } }'",
  ]);
}
