import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

/**
 * An HdrHistogram of whole units from 1 to `highest` (3 significant digits): the benchmarks
 * record milliseconds or microseconds, each choosing its unit and range.
 */
export function createHistogram(highest: number, options: { readonly autoResize?: boolean } = {}): Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: highest, numberOfSignificantValueDigits: 3, autoResize: options.autoResize ?? false });
}

/** The percentiles every benchmark report uses; each value divided by `divisor` (1000: µs to ms). */
export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/**
 * A percentile is the top of its bucket (3 significant digits), which can lie above the exact
 * largest value recorded when both share the bucket: each is capped at the max.
 */
export function percentiles(histogram: Histogram, divisor = 1): Percentiles {
  const max = histogram.maxValue;
  const at = (percentile: number): number => Math.min(histogram.getValueAtPercentile(percentile), max) / divisor;
  return { count: histogram.totalCount, p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: max / divisor };
}

/** Milliseconds (fractional) to whole microseconds, at least 1: what the µs histograms record. */
export function micros(ms: number): number {
  return Math.max(1, Math.round(ms * 1000));
}
