import { Command } from 'commander';
import { METRICS_PORT } from '@tickerflow/core';
import { createLogger, handleShutdownSignals, verboseOption, withErrorHints, withExamples } from '@tickerflow/cli';
import { addBridgeOptions, applyConfigFile, resolveConfig } from './config';
import { BRIDGE_HINTS } from './hints';

/** Exit codes of `bridge` (besides 0 ok, 1 runtime failure, 2 usage). */
export const BRIDGE_EXIT_CODES = { ok: 0, failure: 1, usage: 2 } as const;

function configured(command: Command) {
  applyConfigFile(command, command.opts<{ config?: string }>().config);
  return resolveConfig(command);
}

/** The bridge command line: `bridge run` relays, `bridge check` verifies the settings. */

export function buildProgram(): Command {
  const program = new Command('bridge').description(
    'Relay market quotes from a Kafka topic to AWS AppSync GraphQL mutations (AppSync or appsync-local)',
  );

  const run = addBridgeOptions(new Command('run'))
    .description('consume the topic in a consumer group and publish every quote to AppSync, at least once, in order per partition')
    .addOption(verboseOption())
    .action(async (_options, command: Command) => {
      const config = configured(command);
      const verbose = command.opts<{ verbose?: boolean }>().verbose === true;
      const { runBridge, createTerminalStatus } = await import('@tickerflow/bridge-runtime');
      // On a terminal: a live status line, with log lines written above it.
      const terminal = process.stderr.isTTY === true ? createTerminalStatus(process.stderr) : undefined;
      const logger = createLogger({ name: 'bridge', level: verbose ? 'debug' : 'info', destination: terminal?.logStream });
      const shutdown = handleShutdownSignals();
      try {
        await runBridge(config, logger, { signal: shutdown.signal, verbose, status: terminal?.reporter });
      } finally {
        shutdown.dispose();
        logger.flush();
      }
    });
  run.addHelpText(
    'after',
    `
Exit codes:
  0  stopped cleanly by SIGTERM/SIGINT: requests in flight finished (or abandoned after
     --shutdown-timeout), accepted offsets committed
  1  runtime failure: Kafka unreachable or topic missing at start, AppSync refused the key
     or the mutation, or refused 100 quotes in a row
  2  invalid option, config file or option combination`,
  );
  withExamples(run, [
    'bridge run                                   # local broker and appsync-local, topic multipartition',
    `bridge run --from-beginning --metrics-port ${METRICS_PORT}`,
    'APPSYNC_URL=https://abc.appsync-api.eu-west-1.amazonaws.com/graphql APPSYNC_API_KEY=da2-... bridge run --brokers b-1.msk:9096 --ssl --sasl-mechanism scram-sha-512',
    'bridge run --config bridge.json --conflate --conflate-lag 50000',
    "bridge run --topic ticks --mutation tickerlocal --map 'ticker=symbol,price=quote.last'   # any schema: arguments read from the API",
  ]);

  const check = addBridgeOptions(new Command('check'))
    .description('verify the settings: Kafka reachable, topic exists, group describable, AppSync accepts the key and the mutation and returns its data for a probe quote')
    .addOption(verboseOption())
    .action(async (_options, command: Command) => {
      const config = configured(command);
      const verbose = command.opts<{ verbose?: boolean }>().verbose === true;
      const logger = createLogger({ name: 'bridge', level: verbose ? 'debug' : 'error' });
      const { runChecks, formatCheck, CheckFailedError } = await import('@tickerflow/bridge-runtime');
      const results = await runChecks(config, logger, (result) => process.stdout.write(`${formatCheck(result)}\n`));
      const failed = results.find((result) => result.ok === false);
      if (failed) throw new CheckFailedError(failed);
    });
  check.addHelpText(
    'after',
    `
Prints one line per check (✓ passed, ✗ failed, - skipped) on stdout.
The publish check sends one probe quote (ticker BRIDGE-CHECK) through the mutation:
subscribers of every ticker receive it.
Exit codes: 0 every check passed, 1 a check failed (named on stderr), 2 invalid options.`,
  );
  withExamples(check, [
    'bridge check',
    'APPSYNC_API_KEY=da2-... bridge check --url https://abc.appsync-api.eu-west-1.amazonaws.com/graphql --topic quotes',
  ]);

  program.addCommand(run);
  program.addCommand(check);
  withExamples(program, ['bridge run --from-beginning', 'bridge check', 'bridge run --help']);
  return withErrorHints(program, BRIDGE_HINTS);
}
