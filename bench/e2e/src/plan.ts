/**
 * The command line of `npm run bench` (commander) → a frozen BenchPlan. Three presets (full,
 * --quick, --tiny), each option overriding the preset.
 */
import { Command, CommanderError, Option } from 'commander';
import {
  brokersOption,
  keepKafkaOption,
  parseNonNegativeInteger,
  parseNonNegativeNumber,
  parsePositiveInteger,
  parsePositiveIntegerList,
  parsePositiveNumber,
  parsePositiveNumberList,
  parsedOption,
} from '@tickerflow/bench-support';
import { jsonOption } from '@tickerflow/cli';
import { UsageError, parseList } from '@tickerflow/core';
import { DEFAULT_TICKERS } from '@tickerflow/quote';
import { PATHS, type BenchPlan, type PathName } from './types';

export interface CliOptions {
  readonly plan: BenchPlan;
  readonly outDir: string;
  readonly json: boolean;
  /** --brokers / KAFKA_BROKERS; undefined: tools/kafka's broker. */
  readonly brokers: string | undefined;
  /** --keep-kafka / TICKERFLOW_KEEP_KAFKA. */
  readonly keepKafka: boolean;
}

/** What commander hands the action: only the options given (presets fill the rest). */
export interface RawOptions {
  readonly quick?: boolean;
  readonly tiny?: boolean;
  readonly rates?: number[];
  readonly subscribers?: number[];
  readonly paths?: PathName[];
  readonly seconds?: number;
  readonly warmup?: number;
  readonly drain?: number;
  readonly searchSteps?: number;
  readonly maxP99?: number;
  readonly ratioRate?: number;
  readonly partitions?: number;
  readonly out?: string;
  readonly json?: boolean;
  readonly brokers?: string;
  readonly keepKafka?: boolean;
}

const PRESETS: Readonly<Record<BenchPlan['mode'], Omit<BenchPlan, 'mode' | 'paths' | 'tickers' | 'partitions'>>> = {
  full: { rates: [1000, 5000, 20000], subscribers: [1, 50], seconds: 8, warmupSeconds: 2, drainSeconds: 5, searchSteps: 3, searchFactor: 2, maxP99Ms: 2000, ratioRate: 5000 },
  quick: { rates: [2000], subscribers: [10], seconds: 5, warmupSeconds: 1, drainSeconds: 4, searchSteps: 0, searchFactor: 2, maxP99Ms: 2000, ratioRate: 2000 },
  tiny: { rates: [200], subscribers: [2], seconds: 3, warmupSeconds: 1, drainSeconds: 4, searchSteps: 0, searchFactor: 2, maxP99Ms: 2000, ratioRate: 200 },
};

function parsePaths(name: string, raw: string): PathName[] {
  const paths = parseList(name, raw);
  for (const path of paths) if (!(PATHS as readonly string[]).includes(path)) throw new UsageError(`${name}: unknown path '${path}' (use ${PATHS.join(', ')})`);
  return paths as PathName[];
}

/** `npm run bench`'s options, on `command`. */
export function addBenchOptions(command: Command, defaultOutDir: string): Command {
  return command
    .description(
      'End-to-end benchmark: ticker quotes through Kafka and four relay paths to K subscriber connections: ' +
        'latency (quote ts -> receipt), loss, throughput, CPU and memory per process.',
    )
    .addOption(new Option('--quick', 'one rate (2000/s), 10 subscribers, 5 s per path, no rate search (< 2 min)').conflicts('tiny'))
    .addOption(new Option('--tiny', 'rate 200/s, 2 subscribers, 3 s per path (the integration test, ~30-60 s)'))
    .addOption(parsedOption('--rates <list>', 'offered quotes/s, comma-separated (full: 1000,5000,20000)', parsePositiveNumberList))
    .addOption(parsedOption('--subscribers <list>', 'subscriber counts (full: 1,50)', parsePositiveIntegerList))
    .addOption(parsedOption('--paths <list>', `${PATHS.join(',')} (default: all four)`, parsePaths))
    .addOption(parsedOption('--seconds <s>', 'producing time per scenario (full: 8)', parsePositiveNumber))
    .addOption(parsedOption('--warmup <s>', 'first seconds left out of the latency figures (full: 2)', parseNonNegativeNumber))
    .addOption(parsedOption('--drain <s>', 'longest wait for the last deliveries after producing stops (full: 5)', parseNonNegativeNumber))
    .addOption(parsedOption('--search-steps <n>', 'steps of the highest-lossless-rate search per path and count (full: 3, 0 = off)', parseNonNegativeInteger))
    .addOption(parsedOption('--max-p99 <ms>', 'p99 above this is a latency blow-up, not sustained (default 2000)', parsePositiveNumber))
    .addOption(parsedOption('--ratio-rate <r>', 'rate the p99 ratios are taken at (full: 5000)', parsePositiveNumber))
    .addOption(parsedOption('--partitions <n>', "partitions of each scenario's fresh topic (default 6)", parsePositiveInteger))
    .addOption(new Option('--out <dir>', 'where each run\'s folder <timestamp>/ (report.json, report.md, chart.svg) goes').default(defaultOutDir, 'bench/results'))
    .addOption(brokersOption())
    .addOption(keepKafkaOption())
    .addOption(jsonOption());
}

/** The plan: the preset, each given option overriding it, then the rules between options. */
export function planFromOptions(options: RawOptions, defaultOutDir: string): CliOptions {
  const mode: BenchPlan['mode'] = options.tiny ? 'tiny' : options.quick ? 'quick' : 'full';
  const preset = PRESETS[mode];
  const rates = options.rates ?? preset.rates;
  const seconds = options.seconds ?? preset.seconds;
  const warmupSeconds = options.warmup ?? preset.warmupSeconds;
  if (warmupSeconds >= seconds) throw new UsageError('--warmup must be shorter than --seconds');
  const plan: BenchPlan = Object.freeze({
    mode,
    rates: Object.freeze([...rates].sort((a, b) => a - b)),
    subscribers: Object.freeze([...(options.subscribers ?? preset.subscribers)].sort((a, b) => a - b)),
    paths: Object.freeze(options.paths ?? [...PATHS]),
    seconds,
    warmupSeconds,
    drainSeconds: options.drain ?? preset.drainSeconds,
    searchSteps: options.searchSteps ?? preset.searchSteps,
    searchFactor: preset.searchFactor,
    maxP99Ms: options.maxP99 ?? preset.maxP99Ms,
    partitions: options.partitions ?? 6,
    tickers: DEFAULT_TICKERS,
    ratioRate: options.ratioRate ?? (rates.includes(preset.ratioRate) ? preset.ratioRate : (rates[0] as number)),
  });
  return { plan, outDir: options.out ?? defaultOutDir, json: options.json ?? false, brokers: options.brokers, keepKafka: options.keepKafka ?? false };
}

/** Parses `argv` (user arguments) as the CLI does, without running: a UsageError on bad input. */
export function parseCli(argv: readonly string[], defaultOutDir: string): CliOptions {
  const command = addBenchOptions(new Command('bench'), defaultOutDir)
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) throw new UsageError(error.message.replace(/^error: /, ''));
    throw error;
  }
  return planFromOptions(command.opts<RawOptions>(), defaultOutDir);
}

/**
 * The next rate of the highest-lossless-rate search, from what has run so far: between the
 * best sustained rate and the lowest failing one above it (geometric midpoint), or × factor
 * above the best when nothing failed, or ÷ factor² below the lowest when nothing was sustained.
 * Undefined when the bracket is narrower than 25 %.
 */
export function nextSearchRate(results: readonly { rate: number; sustained: boolean }[], factor: number): number | undefined {
  const ok = results.filter((r) => r.sustained).map((r) => r.rate);
  const best = ok.length > 0 ? Math.max(...ok) : undefined;
  const failing = results.filter((r) => !r.sustained && (best === undefined || r.rate > best)).map((r) => r.rate);
  const lowestFailing = failing.length > 0 ? Math.min(...failing) : undefined;
  let next: number;
  if (best === undefined) {
    if (lowestFailing === undefined) return undefined;
    next = lowestFailing / (factor * factor);
  } else if (lowestFailing === undefined) {
    next = best * factor;
  } else {
    if (lowestFailing / best < 1.25) return undefined;
    next = Math.sqrt(best * lowestFailing);
  }
  const rounded = Number(next.toPrecision(2));
  return rounded < 10 || results.some((r) => r.rate === rounded) ? undefined : rounded;
}
