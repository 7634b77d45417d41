import { Writable } from 'node:stream';
import { createLogUpdate } from 'log-update';
import type { Logger } from '@tickerflow/cli';
import type { BridgeMetrics } from './metrics';

/** What the bridge is doing, as the status line shows it. */
export type BridgeState = 'starting' | 'waiting for topic' | 'joining' | 'relaying' | 'rebalancing' | 'stopping';

/** The counters an operator watches, at one instant. */
export interface StatusSnapshot {
  /** Quotes AppSync accepted since start. */
  readonly relayed: number;
  /** Records behind the end, over the partitions this member owns. */
  readonly lag: number;
  /** 99th percentile of quote `ts` to AppSync's acceptance over the last quotes, ms; undefined before any. */
  readonly p99Ms: number | undefined;
  /** Requests retried (and dead-letter writes retried) since start. */
  readonly retries: number;
  /** Records sent to the dead-letter topic since start. */
  readonly deadLetters: number;
  readonly state: BridgeState;
}

export interface LiveStats {
  state: BridgeState;
  /** Keeps the lag of these partitions only (after a rebalance). */
  retainPartitions(owned: readonly number[]): void;
  snapshot(): StatusSnapshot;
}

/** How many recent latencies the p99 is taken over. */
const LATENCY_SAMPLES = 4_096;

/**
 * Live counters for the status line, fed by the same calls as the Prometheus metrics:
 * the returned metrics report into `metrics` and count here too.
 */
export function createLiveStats(metrics: BridgeMetrics): { stats: LiveStats; metrics: BridgeMetrics } {
  let relayed = 0;
  let retries = 0;
  let deadLetters = 0;
  const lags = new Map<number, number>();
  const latencies = new Float64Array(LATENCY_SAMPLES);
  let latencyCount = 0;
  const stats: LiveStats = {
    state: 'starting',
    retainPartitions(owned) {
      for (const partition of lags.keys()) if (!owned.includes(partition)) lags.delete(partition);
    },
    snapshot() {
      let lag = 0;
      for (const value of lags.values()) lag += Math.max(0, value);
      return { relayed, lag, p99Ms: percentile(latencies.subarray(0, Math.min(latencyCount, LATENCY_SAMPLES)), 0.99), retries, deadLetters, state: stats.state };
    },
  };
  const counting: BridgeMetrics = {
    ...metrics,
    published(count) {
      relayed += count;
      metrics.published(count);
    },
    retried(reason) {
      retries += 1;
      metrics.retried(reason);
    },
    deadLettered(reason, count) {
      deadLetters += count;
      metrics.deadLettered(reason, count);
    },
    endToEndLatency(seconds) {
      latencies[latencyCount % LATENCY_SAMPLES] = seconds * 1_000;
      latencyCount += 1;
      metrics.endToEndLatency(seconds);
    },
    lag(partition, value) {
      lags.set(partition, value);
      metrics.lag(partition, value);
    },
  };
  return { stats, metrics: counting };
}

/** The `q`-quantile (0..1) of `values` by nearest rank; undefined when empty. */
export function percentile(values: Float64Array, q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `relayed 12,345 | 3,012/s | lag 120 | p99 45 ms | retries 3 | dead letters 0 | relaying` */
export function formatStatus(snapshot: StatusSnapshot, ratePerSecond: number): string {
  return [
    `relayed ${number.format(snapshot.relayed)}`,
    `${number.format(ratePerSecond)}/s`,
    `lag ${number.format(snapshot.lag)}`,
    `p99 ${snapshot.p99Ms === undefined ? 'n/a' : `${number.format(snapshot.p99Ms)} ms`}`,
    `retries ${number.format(snapshot.retries)}`,
    `dead letters ${number.format(snapshot.deadLetters)}`,
    snapshot.state,
  ].join(' | ');
}

/** Quotes per second between two readings of a growing count. */
function createRate(): (now: number, count: number) => number {
  let last: { t: number; n: number } | undefined;
  return (now, count) => {
    const rate = last === undefined || now <= last.t ? 0 : ((count - last.n) * 1_000) / (now - last.t);
    last = { t: now, n: count };
    return rate;
  };
}

export interface StatusReporter {
  start(): void;
  stop(): void;
}

/** One info line `status` with the counters every `intervalMs` (stderr not a terminal). 0 disables it. */
export function createStatusLog(stats: LiveStats, logger: Logger, intervalMs: number): StatusReporter {
  let timer: NodeJS.Timeout | undefined;
  const rate = createRate();
  return {
    start() {
      if (intervalMs <= 0) return;
      rate(performance.now(), stats.snapshot().relayed);
      timer = setInterval(() => {
        const snapshot = stats.snapshot();
        logger.info({ ...snapshot, ratePerSecond: Math.round(rate(performance.now(), snapshot.relayed)) }, 'status');
      }, intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/**
 * A status line at the bottom of a terminal, redrawn every `intervalMs`, and a stream for
 * the logger that writes each log line above it (erase, write, redraw).
 */
export function createTerminalStatus(terminal: NodeJS.WritableStream & { hasColors?: () => boolean }, intervalMs = 1_000) {
  let stats: LiveStats | undefined;
  let line = '';
  let timer: NodeJS.Timeout | undefined;
  const rate = createRate();
  const status = createLogUpdate(terminal, { showCursor: true });
  const draw = (): void => {
    if (line !== '') status(line);
  };
  const refresh = (): void => {
    if (!stats) return;
    const snapshot = stats.snapshot();
    line = formatStatus(snapshot, rate(performance.now(), snapshot.relayed));
    draw();
  };
  const logStream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        status.clear();
        terminal.write(chunk);
        draw();
        done();
      },
    }),
    // The logger colours its lines when the terminal does.
    { isTTY: true, hasColors: () => terminal.hasColors?.() === true },
  );
  return {
    /** Give this to the logger: its lines go above the status line. */
    logStream,
    reporter(live: LiveStats): StatusReporter {
      return {
        start() {
          stats = live;
          rate(performance.now(), live.snapshot().relayed);
          timer = setInterval(refresh, intervalMs);
          timer.unref();
        },
        stop() {
          clearInterval(timer);
          status.clear();
          line = '';
          stats = undefined;
        },
      };
    },
  };
}
