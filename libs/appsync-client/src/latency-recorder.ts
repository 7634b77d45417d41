import { build, type Histogram } from 'hdr-histogram-js';

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface LatencyRecorder {
  /**
   * Records one latency in ms. Negative values (clock skew between producer and
   * subscriber hosts) count as 0, so they show up as "no measurable delay" rather than vanishing.
   */
  record(ms: number): void;
  summary(): LatencySummary;
  reset(): void;
}

/**
 * HdrHistogram-backed latency recorder: constant memory, 3 significant digits,
 * recording is an array increment (no allocation per value).
 */
export function createLatencyRecorder(): LatencyRecorder {
  const histogram: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
  return {
    record(ms) {
      histogram.recordValue(ms > 0 ? Math.round(ms) : 0);
    },
    summary() {
      const count = histogram.totalCount;
      if (count === 0) return { count: 0, p50: 0, p99: 0, max: 0 };
      return {
        count,
        p50: histogram.getValueAtPercentile(50),
        p99: histogram.getValueAtPercentile(99),
        max: histogram.maxValue,
      };
    },
    reset() {
      histogram.reset();
    },
  };
}
