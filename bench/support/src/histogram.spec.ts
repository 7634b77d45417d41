import { describe, expect, it } from 'vitest';
import { createHistogram, micros, percentiles } from './histogram';

describe('percentiles', () => {
  it('reads count, p50..max from the histogram, scaled by the divisor', () => {
    const h = createHistogram(600_000);
    for (let v = 1; v <= 1000; v += 1) h.recordValue(v * 1000);
    const p = percentiles(h, 1000);
    expect(p.count).toBe(1000);
    expect(p.p50).toBeCloseTo(500, 0);
    expect(p.p90).toBeCloseTo(900, 0);
    expect(p.p99).toBeCloseTo(990, 0);
    expect(p.p999).toBeCloseTo(999, 0);
    expect(p.max).toBeCloseTo(1000, 0);
  });

  it('never puts a percentile above the largest value recorded', () => {
    const h = createHistogram(600_000_000);
    for (let i = 0; i < 99; i += 1) h.recordValue(1000);
    h.recordValue(5_893_081);
    h.recordValue(5_893_081);
    const p = percentiles(h);
    expect(h.getValueAtPercentile(99.9)).toBeGreaterThan(5_893_081);
    expect(p.p999).toBe(5_893_081);
    expect(p.max).toBe(5_893_081);
  });

  it('is all zeros when nothing was recorded', () => {
    expect(percentiles(createHistogram(1000))).toEqual({ count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 });
  });

  it('grows past its range only when asked to', () => {
    const fixed = createHistogram(1000);
    expect(() => fixed.recordValue(10_000)).toThrow();
    const growing = createHistogram(1000, { autoResize: true });
    growing.recordValue(10_000);
    expect(percentiles(growing).max).toBeGreaterThanOrEqual(10_000);
  });
});

describe('micros', () => {
  it.each([
    [1.2345, 1235],
    [0, 1],
    [-3, 1],
  ])('%s ms is %s µs', (ms, expected) => {
    expect(micros(ms)).toBe(expected);
  });
});
