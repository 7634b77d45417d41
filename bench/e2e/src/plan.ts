/**
 * The command line of `npm run bench` → a frozen BenchPlan. Three presets (full, --quick,
 * --tiny), each option overriding the preset.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '@tickerflow/core';
import { DEFAULT_TICKERS } from '@tickerflow/quote';
import { PATHS, type BenchPlan, type PathName } from './types';

export interface CliOptions {
  readonly plan: BenchPlan;
  readonly outDir: string;
  readonly json: boolean;
  readonly help: boolean;
}

const PRESETS: Readonly<Record<BenchPlan['mode'], Omit<BenchPlan, 'mode' | 'paths' | 'tickers' | 'partitions'>>> = {
  full: { rates: [1000, 5000, 20000], subscribers: [1, 50], seconds: 8, warmupSeconds: 2, drainSeconds: 5, searchSteps: 3, searchFactor: 2, maxP99Ms: 2000, ratioRate: 5000 },
  quick: { rates: [2000], subscribers: [10], seconds: 5, warmupSeconds: 1, drainSeconds: 4, searchSteps: 0, searchFactor: 2, maxP99Ms: 2000, ratioRate: 2000 },
  tiny: { rates: [200], subscribers: [2], seconds: 3, warmupSeconds: 1, drainSeconds: 4, searchSteps: 0, searchFactor: 2, maxP99Ms: 2000, ratioRate: 200 },
};

export const USAGE = `npm run bench -- [options]

End-to-end benchmark: ticker quotes through Kafka and four relay paths to K subscriber
connections, latency (quote ts -> receipt), loss, throughput, CPU and memory per process.

Options:
  --quick                 one rate (2000/s), 10 subscribers, 5 s per path, no rate search (< 2 min)
  --tiny                  rate 200/s, 2 subscribers, 3 s per path (the integration test, ~30-60 s)
  --rates <list>          offered quotes/s, comma-separated (full: 1000,5000,20000)
  --subscribers <list>    subscriber counts (full: 1,50)
  --paths <list>          floor,reference,bridge,ceiling (default: all four)
  --seconds <s>           producing time per scenario (full: 8)
  --warmup <s>            first seconds left out of the latency figures (full: 2)
  --drain <s>             longest wait for the last deliveries after producing stops (full: 5)
  --search-steps <n>      steps of the highest-lossless-rate search per path and count (full: 3, 0 = off)
  --max-p99 <ms>          p99 above this is a latency blow-up, not sustained (default 2000)
  --ratio-rate <r>        rate the p99 ratios are taken at (full: 5000)
  --partitions <n>        partitions of each scenario's fresh topic (default 6)
  --out <dir>             where <timestamp>.json/.md/.svg go (default bench/results)
  --json                  print the report JSON on stdout instead of the summary
  -h, --help              this text

Environment: KAFKA_BROKERS (else tools/kafka's broker is started or reused),
TICKERFLOW_KEEP_KAFKA=1 (leave a broker this run started running).

Examples:
  npm run bench                      # full run, 10-15 minutes on 2 cores
  npm run bench -- --quick           # routine check, under 2 minutes
  npm run bench -- --paths bridge,floor --rates 5000 --subscribers 1
`;

function numberList(name: string, raw: string): number[] {
  const values = raw.split(',').map((v) => Number(v.trim()));
  if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v <= 0)) throw new UsageError(`--${name} must be a comma-separated list of positive numbers, got '${raw}'`);
  return values;
}

function positive(name: string, raw: string, allowZero = false): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) throw new UsageError(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got '${raw}'`);
  return value;
}

export function parseCli(argv: readonly string[], defaultOutDir: string): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean' },
        tiny: { type: 'boolean' },
        rates: { type: 'string' },
        subscribers: { type: 'string' },
        paths: { type: 'string' },
        seconds: { type: 'string' },
        warmup: { type: 'string' },
        drain: { type: 'string' },
        'search-steps': { type: 'string' },
        'max-p99': { type: 'string' },
        'ratio-rate': { type: 'string' },
        partitions: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.quick && parsed.tiny) throw new UsageError('--quick and --tiny are exclusive');
  const mode: BenchPlan['mode'] = parsed.tiny ? 'tiny' : parsed.quick ? 'quick' : 'full';
  const preset = PRESETS[mode];
  const paths = parsed.paths === undefined ? [...PATHS] : parsed.paths.split(',').map((p) => p.trim());
  for (const path of paths) if (!(PATHS as readonly string[]).includes(path)) throw new UsageError(`--paths: unknown path '${path}' (use ${PATHS.join(', ')})`);
  const rates = parsed.rates === undefined ? preset.rates : numberList('rates', parsed.rates);
  const subscribers = parsed.subscribers === undefined ? preset.subscribers : numberList('subscribers', parsed.subscribers);
  if (subscribers.some((n) => !Number.isInteger(n))) throw new UsageError('--subscribers must be whole numbers');
  const seconds = parsed.seconds === undefined ? preset.seconds : positive('seconds', parsed.seconds);
  const warmupSeconds = parsed.warmup === undefined ? preset.warmupSeconds : positive('warmup', parsed.warmup, true);
  if (warmupSeconds >= seconds) throw new UsageError('--warmup must be shorter than --seconds');
  const searchSteps = parsed['search-steps'] === undefined ? preset.searchSteps : positive('search-steps', parsed['search-steps'], true);
  const plan: BenchPlan = Object.freeze({
    mode,
    rates: Object.freeze([...rates].sort((a, b) => a - b)),
    subscribers: Object.freeze([...subscribers].sort((a, b) => a - b)),
    paths: Object.freeze(paths as PathName[]),
    seconds,
    warmupSeconds,
    drainSeconds: parsed.drain === undefined ? preset.drainSeconds : positive('drain', parsed.drain, true),
    searchSteps: Math.floor(searchSteps),
    searchFactor: preset.searchFactor,
    maxP99Ms: parsed['max-p99'] === undefined ? preset.maxP99Ms : positive('max-p99', parsed['max-p99']),
    partitions: parsed.partitions === undefined ? 6 : Math.floor(positive('partitions', parsed.partitions)),
    tickers: DEFAULT_TICKERS,
    ratioRate: parsed['ratio-rate'] === undefined ? (rates.includes(preset.ratioRate) ? preset.ratioRate : (rates[0] as number)) : positive('ratio-rate', parsed['ratio-rate']),
  });
  return { plan, outDir: parsed.out ?? defaultOutDir, json: parsed.json ?? false, help: parsed.help ?? false };
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
