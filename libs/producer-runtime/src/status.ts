import { createLogUpdate } from 'log-update';
import type { Logger } from 'pino';
import type { ProduceStats } from './produce';

/** Shows progress while quotes are produced. */
export interface ProgressReporter {
  /** Begins reporting on the live counters. */
  start(stats: Readonly<ProduceStats>): void;
  /** Runs `write` with the status line out of the way (for a log line in between). */
  around(write: () => void): void;
  /** Stops reporting and removes the status line. */
  stop(): void;
}

/** A moving rate over about the last second. */
export function createRateMeter(windowMs = 1_000) {
  const samples: { t: number; n: number }[] = [];
  return (t: number, n: number): number => {
    samples.push({ t, n });
    while (samples.length > 2 && t - (samples[1] as { t: number }).t >= windowMs) samples.shift();
    const first = samples[0] as { t: number; n: number };
    const dt = t - first.t;
    return dt > 0 ? ((n - first.n) * 1_000) / dt : 0;
  };
}

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `sent 123,456 | 61,234/s | errors 0 | in flight 5,000 | 12.3s` */
export function formatStatus(stats: Pick<ProduceStats, 'sent' | 'errors' | 'inFlight'>, ratePerSecond: number, elapsedMs: number): string {
  return [
    `sent ${number.format(stats.sent)}`,
    `${number.format(ratePerSecond)}/s`,
    `errors ${number.format(stats.errors)}`,
    `in flight ${number.format(stats.inFlight)}`,
    `${(elapsedMs / 1_000).toFixed(1)}s`,
  ].join(' | ');
}

/** A one-line live status on a terminal, redrawn in place every `intervalMs`. */
export function createTerminalStatus(stream: NodeJS.WritableStream, intervalMs = 250): ProgressReporter {
  let timer: NodeJS.Timeout | undefined;
  let stats: Readonly<ProduceStats> | undefined;
  const rate = createRateMeter();
  const line = createLogUpdate(stream, { showCursor: true });
  const draw = (): void => {
    if (!stats) return;
    const now = performance.now();
    line(formatStatus(stats, rate(now, stats.sent), now - stats.startedAt));
  };
  return {
    start(live) {
      stats = live;
      draw();
      timer = setInterval(draw, intervalMs);
      timer.unref();
    },
    around(write) {
      line.clear();
      write();
      draw();
    },
    stop() {
      clearInterval(timer);
      line.clear();
    },
  };
}

/** One pino `progress` line per `intervalMs` (JSON output, or stderr not a terminal). */
export function createLogProgress(logger: Logger, intervalMs = 1_000): ProgressReporter {
  let timer: NodeJS.Timeout | undefined;
  const rate = createRateMeter();
  return {
    start(stats) {
      timer = setInterval(() => {
        const now = performance.now();
        logger.info(
          {
            sent: stats.sent,
            ratePerSecond: Math.round(rate(now, stats.sent)),
            errors: stats.errors,
            inFlight: stats.inFlight,
            elapsedMs: Math.round(now - stats.startedAt),
          },
          'progress',
        );
      }, intervalMs);
      timer.unref();
      rate(performance.now(), stats.sent);
    },
    around(write) {
      write();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
