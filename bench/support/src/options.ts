/**
 * Option parsers and shared options of the benchmark CLIs (commander). A value that is not what
 * the option takes is a UsageError naming the option and what arrived: one line, exit 2.
 */
import { Option, type Command } from 'commander';
import { main, withExamples } from '@tickerflow/cli';
import { UsageError, parseList, parseNonNegativeInteger, parseNonNegativeNumber, parsePositiveInteger } from '@tickerflow/core';

export { parseNonNegativeInteger, parseNonNegativeNumber, parsePositiveInteger };

/** A number > 0 (fractions allowed), e.g. seconds. */
export function parsePositiveNumber(name: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`${name} must be a number > 0, got '${raw}'`);
  return value;
}

/** A comma list of numbers > 0, e.g. `1000,5000`. */
export function parsePositiveNumberList(name: string, raw: string): number[] {
  return parseList(name, raw).map((item) => parsePositiveNumber(name, item));
}

/** A comma list of whole numbers >= 1, e.g. `1,50`. */
export function parsePositiveIntegerList(name: string, raw: string): number[] {
  return parseList(name, raw).map((item) => parsePositiveInteger(name, item));
}

/** An option whose value goes through `parse(name, raw)`. */
export function parsedOption<T>(flags: string, description: string, parse: (name: string, raw: string) => T): Option {
  const name = flags.split(/[ ,<[]/).find((part) => part.startsWith('--')) ?? flags;
  return new Option(flags, description).argParser((raw: string) => parse(name, raw));
}

/** `--brokers <list>` (env KAFKA_BROKERS); unset: tools/kafka's local broker, started if needed. */
export function brokersOption(): Option {
  return new Option('--brokers <list>', "Kafka bootstrap brokers (default: tools/kafka's local broker, started if needed)").env('KAFKA_BROKERS');
}

/** `--keep-kafka` (env TICKERFLOW_KEEP_KAFKA): leave a broker this run started running. */
export function keepKafkaOption(): Option {
  return new Option('--keep-kafka', 'leave a broker this run started running').env('TICKERFLOW_KEEP_KAFKA').default(false);
}

const EXIT_CODES = 'Exit codes: 0 done, 1 failure, 2 usage error.';

/** Runs a benchmark CLI: examples and exit codes at the end of --help, errors as one line. */
export function runBenchCli(program: Command, examples: readonly string[]): Promise<never> {
  program.addHelpText('after', `\n${EXIT_CODES}`);
  return main(withExamples(program, examples));
}
