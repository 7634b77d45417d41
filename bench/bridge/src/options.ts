import { Command, Option } from 'commander';
import { brokersOption, keepKafkaOption, parseNonNegativeNumber, parsePositiveInteger, parsePositiveNumber, parsedOption } from '@tickerflow/bench-support';
import { BRIDGE_DEFAULTS } from '@tickerflow/bridge-runtime';
import { jsonOption } from '@tickerflow/cli';

export interface BridgeBenchOptions {
  readonly backlog: number;
  readonly rate: number;
  readonly seconds: number;
  readonly warmup: number;
  readonly partitions: number;
  readonly batchSize: number;
  readonly maxInFlight: number;
  readonly connections: number;
  readonly floorBeside: boolean;
  readonly bridgeLog: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  readonly json: boolean;
  readonly brokers?: string;
  readonly keepKafka: boolean;
}

/** `npm run bench:bridge`'s command line, without its action. */
export function bridgeBenchProgram(): Command {
  return new Command('bench:bridge')
    .description(
      "How fast the bridge relays on this machine: one AppSync round trip alone, the live phase's latency " +
        "(ts -> AppSync acceptance) beside a plain consumer's (the floor), then a backlog's drain rate.",
    )
    .addOption(parsedOption('--backlog <n>', 'quotes pre-filled for the drain phase', parsePositiveInteger).default(200_000))
    .addOption(parsedOption('--rate <n>', "ticker-gen's quotes/s in the live phase", parsePositiveInteger).default(2000))
    .addOption(parsedOption('--seconds <s>', 'measured seconds of the live phase', parsePositiveNumber).default(15))
    .addOption(parsedOption('--warmup <s>', 'seconds of the live phase before measuring', parseNonNegativeNumber).default(3))
    .addOption(parsedOption('--partitions <n>', 'partitions of each fresh topic', parsePositiveInteger).default(6))
    .addOption(parsedOption('--batch-size <n>', "the bridge's --batch-size", parsePositiveInteger).default(BRIDGE_DEFAULTS.batchSize))
    .addOption(parsedOption('--max-in-flight <n>', "the bridge's --max-in-flight", parsePositiveInteger).default(BRIDGE_DEFAULTS.maxInFlight))
    .addOption(parsedOption('--connections <n>', "the bridge's --connections", parsePositiveInteger).default(BRIDGE_DEFAULTS.connections))
    .addOption(new Option('--floor-beside', "measure the floor in the bridge's seconds on the same topic, not in its own phase just before").default(false))
    .addOption(
      new Option('--bridge-log <level>', "the in-process bridge's log level on stderr (debug also prints its latency metrics)")
        .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
        .env('BRIDGE_BENCH_LOG')
        .default('warn'),
    )
    .addOption(brokersOption())
    .addOption(keepKafkaOption())
    .addOption(jsonOption().default(false));
}
