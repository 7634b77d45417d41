import type { Percentiles } from '@tickerflow/bench-support';

/** The four ways quotes reach the same K subscriber connections. */
export const PATHS = ['floor', 'reference', 'bridge', 'ceiling'] as const;
export type PathName = (typeof PATHS)[number];

export const PATH_LABELS: Readonly<Record<PathName, string>> = {
  floor: '(a) floor: kafkajs producer → consumer',
  reference: '(b) reference relay: 500 ms / 100-record batches, one POST per quote, new connection each',
  bridge: '(c) tickerflow bridge → appsync-local',
  ceiling: '(d) ceiling: bare ws fan-out, no Kafka, no GraphQL',
};

/** Latency from the quote's `ts` to the subscriber's receipt, in ms (µs resolution). */
export type LatencySummary = Percentiles;

export interface ProcessUsage {
  readonly name: string;
  readonly pid: number;
  /** CPU seconds (user + system) spent during the scenario. */
  readonly cpuSeconds: number;
  /** cpuSeconds / wall seconds of the scenario × 100 (one core = 100). */
  readonly cpuPercent: number;
  /** Peak resident set (VmHWM), MiB. */
  readonly peakRssMiB: number;
}

export interface ScenarioResult {
  readonly path: PathName;
  readonly subscribers: number;
  /** Offered quotes per second. */
  readonly rate: number;
  /** 'fixed' = one of the planned rates; 'search' = a step of the highest-lossless-rate search. */
  readonly kind: 'fixed' | 'search';
  /** Seconds the producer ran. */
  readonly seconds: number;
  readonly produced: number;
  /** produced / seconds: what the source actually made (below `rate` when it was starved of CPU). */
  readonly achievedRate: number;
  readonly expectedDeliveries: number;
  /** Distinct quotes delivered to subscribers (summed over subscribers). */
  readonly delivered: number;
  /** expected − delivered, after the drain window. */
  readonly lost: number;
  readonly duplicated: number;
  readonly outOfOrder: number;
  /** delivered / seconds: quotes × matching subscribers per second. */
  readonly deliveriesPerSecond: number;
  /** Measured after the warm-up, over the quotes that arrived. */
  readonly latencyMs: LatencySummary;
  /**
   * More than 1 % of the owed deliveries never arrived, so the percentiles of what did arrive
   * understate the latency: a lost quote waited at least the drain window. p99 is then at
   * least `p99AtLeastMs` (= max(p99 of arrivals, drain window)).
   */
  readonly latencyCensored: boolean;
  /** The p99 used for ratios: latencyMs.p99, or its lower bound when censored. */
  readonly p99AtLeastMs: number;
  /** Subscriber connections that closed during the run (e.g. closed as slow consumers). */
  readonly connectionsClosed: number;
  /** No loss, no closed connection, p99 within the blow-up bound, and ≥ 90 % of the offered rate made. */
  readonly sustained: boolean;
  readonly processes: readonly ProcessUsage[];
  /** Set when the scenario failed to run; the numbers are then zero. */
  readonly error?: string;
}

export interface Ratios {
  /** The rate and subscriber count the latency ratios were taken at. */
  readonly latencyRate: number;
  readonly latencySubscribers: number;
  readonly bridgeP99OverFloorP99: number | null;
  /** True when the reference relay's p99 is a lower bound (it lost quotes), so its ratio is too. */
  readonly referenceCensored: boolean;
  /** The highest rate (fewest subscribers) at which the reference relay lost nothing, and the ratio there. */
  readonly referenceCompleteRate: number | null;
  readonly referenceP99OverBridgeP99Complete: number | null;
  readonly bridgeP99MinusFloorP99Ms: number | null;
  readonly referenceP99OverBridgeP99: number | null;
  /** Subscriber count of the throughput ratio (the largest one run). */
  readonly throughputSubscribers: number;
  /** Best sustained (lossless) deliveries/s of the bridge and of the ceiling at that count. */
  readonly bridgeSustainedDeliveriesPerSecond: number | null;
  readonly ceilingSustainedDeliveriesPerSecond: number | null;
  readonly bridgeOverCeilingDeliveries: number | null;
  /** Highest sustained rate of the bridge with one subscriber, if one subscriber was run. */
  readonly bridgeSustainedRateOneSubscriber: number | null;
}

export interface BenchPlan {
  readonly mode: 'full' | 'quick' | 'tiny';
  readonly rates: readonly number[];
  readonly subscribers: readonly number[];
  readonly paths: readonly PathName[];
  readonly seconds: number;
  readonly warmupSeconds: number;
  /** Longest wait after the producer stops for the last deliveries. */
  readonly drainSeconds: number;
  /** Steps of the highest-lossless-rate search per path and subscriber count (0 = no search). */
  readonly searchSteps: number;
  /** Factor between search steps. */
  readonly searchFactor: number;
  /** p99 above this counts as a blow-up (not sustained). */
  readonly maxP99Ms: number;
  readonly partitions: number;
  readonly tickers: readonly string[];
  /** The rate the latency ratios are taken at. */
  readonly ratioRate: number;
}

export interface BenchReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly node: string;
    readonly platform: string;
    /** 1-minute load average at the start and the end: other work on the machine skews every figure. */
    readonly loadAverage?: { readonly start: number; readonly end: number };
  };
  readonly plan: BenchPlan;
  readonly scenarios: readonly ScenarioResult[];
  readonly ratios: Ratios;
  /** The orchestrating process itself (process.cpuUsage / resourceUsage). */
  readonly orchestrator: { readonly cpuSeconds: number; readonly peakRssMiB: number };
}
