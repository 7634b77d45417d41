import { Command, Option } from 'commander';
import { DEFAULT_TOPIC, parsePositiveInteger } from '@tickerflow/core';
import { createLogger, handleShutdownSignals, jsonOption, verboseOption, withErrorHints, withExamples } from '@tickerflow/cli';
import { addKafkaOptions } from '@tickerflow/kafka';
import { TICKER_GEN_HINTS, repeatWithSeed } from './hints';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_PARTITIONS,
  DEFAULT_RATE,
  MAX_BATCH_SIZE,
} from '@tickerflow/producer-runtime/config';
import {
  DEFAULT_TICKERS,
  configFromOptions,
  parseAcks,
  parseBoundedInteger,
  parseCompression,
  parseRate,
  parseSeed,
  parseTickers,
  parseTopic,
  type TickerGenOptionValues,
} from './options';

/** Streams and signal for a run; tests pass their own to drive the program in-process. */
export interface ProgramIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Replaces Ctrl-C handling: aborting it stops the run like SIGINT would. */
  readonly signal?: AbortSignal;
}

const EXIT_CODES = `
Exit codes:
  0  done, or stopped with Ctrl-C / SIGTERM after flushing what was in flight
  1  runtime failure: Kafka unreachable within --connect-timeout, credentials refused,
     topic missing with --no-create-topic, or quotes that could not be sent
  2  invalid option or option combination`;

/**
 * The ticker-gen command line. Options are parsed and checked before kafkajs is
 * even loaded (it loads with the run), so --help and bad options answer at once.
 */
export function buildProgram(io: Partial<ProgramIo> = {}): Command {
  const program = new Command('ticker-gen')
    .description('Publish synthetic market quotes (JSON, key = ticker) to a Kafka topic until Ctrl-C or --count')
    .addOption(
      new Option('--topic <name>', 'topic to publish to').default(DEFAULT_TOPIC).argParser((raw: string) => parseTopic('--topic', raw)),
    )
    .addOption(
      new Option('--count <n>', 'stop after n quotes (default: until Ctrl-C)').argParser((raw: string) =>
        parsePositiveInteger('--count', raw),
      ),
    )
    .addOption(
      new Option('--rate <r>', 'quotes per second in total, 0 = as fast as possible')
        .default(DEFAULT_RATE)
        .argParser((raw: string) => parseRate('--rate', raw)),
    )
    .addOption(
      new Option('--tickers <list>', 'comma-separated tickers (A-Z 0-9 . _ -)')
        .default([...DEFAULT_TICKERS], DEFAULT_TICKERS.join(','))
        .argParser((raw: string) => parseTickers('--tickers', raw)),
    )
    .addOption(
      new Option('--seed <s>', 'seed of the price model: same seed, same stream (default: random, printed)').argParser(
        (raw: string) => parseSeed('--seed', raw),
      ),
    )
    .addOption(
      new Option('--partitions <p>', 'partitions when the topic has to be created')
        .default(DEFAULT_PARTITIONS)
        .argParser((raw: string) => parseBoundedInteger('--partitions', raw, 10_000)),
    )
    .addOption(new Option('--no-create-topic', 'fail if the topic does not exist instead of creating it'))
    .addOption(
      new Option('--acks <acks>', 'acknowledgement: all (-1), 1 (leader only) or 0 (none)')
        .default(-1, 'all')
        .argParser((raw: string) => parseAcks('--acks', raw)),
    )
    .addOption(
      new Option('--compression <codec>', 'none | gzip').default('none').argParser((raw: string) => parseCompression('--compression', raw)),
    )
    .addOption(
      new Option('--batch-size <n>', `most quotes per Kafka request (1-${MAX_BATCH_SIZE})`)
        .default(DEFAULT_BATCH_SIZE)
        .argParser((raw: string) => parseBoundedInteger('--batch-size', raw, MAX_BATCH_SIZE)),
    )
    .addOption(
      new Option('--max-in-flight <n>', 'most batches awaiting acknowledgement (1-16)')
        .default(DEFAULT_MAX_IN_FLIGHT)
        .argParser((raw: string) => parseBoundedInteger('--max-in-flight', raw, 16)),
    );
  addKafkaOptions(program);
  program
    .addOption(jsonOption())
    .addOption(verboseOption())
    .action(async (options: TickerGenOptionValues) => {
      const config = configFromOptions(options);
      const stderr = io.stderr ?? process.stderr;
      const logger = createLogger({
        name: 'ticker-gen',
        json: config.json,
        level: config.verbose ? 'debug' : 'info',
        destination: stderr,
      });
      const shutdown = io.signal ? undefined : handleShutdownSignals();
      try {
        const { runTickerGen } = await import('@tickerflow/producer-runtime');
        await runTickerGen(config, {
          logger,
          signal: io.signal ?? (shutdown as { signal: AbortSignal }).signal,
          statusStream: stderr,
          stdout: io.stdout ?? process.stdout,
          repeatHint: repeatWithSeed,
        });
      } finally {
        shutdown?.dispose();
      }
    });
  program.addHelpText('after', EXIT_CODES);
  withErrorHints(program, TICKER_GEN_HINTS);
  return withExamples(program, [
    'ticker-gen --topic multipartition                     # 100 quotes/s until Ctrl-C',
    'ticker-gen --count 500000 --rate 0 --json             # as fast as possible, summary as JSON on stdout',
    'ticker-gen --rate 2000 --tickers BTC,ETH,SOL --seed 42  # reproducible stream',
    'KAFKA_SASL_PASSWORD=... ticker-gen --brokers b-1.example.kafka.us-east-1.amazonaws.com:9096 \\',
    '    --ssl --sasl-mechanism scram-sha-512 --sasl-username alice --no-create-topic',
  ]);
}
