import { describe, expect, it } from 'vitest';
import { createLatencyRecorder } from './latency-recorder';

describe('createLatencyRecorder', () => {
  it('is all zeros when empty', () => {
    expect(createLatencyRecorder().summary()).toEqual({ count: 0, p50: 0, p99: 0, max: 0 });
  });

  it('reports p50, p99 and max of 1..1000 ms', () => {
    const recorder = createLatencyRecorder();
    for (let ms = 1; ms <= 1000; ms += 1) recorder.record(ms);
    const summary = recorder.summary();
    expect(summary.count).toBe(1000);
    expect(summary.p50).toBe(500);
    expect(summary.p99).toBe(990);
    expect(summary.max).toBe(1000);
  });

  it('counts clock-skewed negative latencies as 0 and rounds fractions', () => {
    const recorder = createLatencyRecorder();
    recorder.record(-25);
    recorder.record(2.6);
    expect(recorder.summary()).toEqual({ count: 2, p50: 0, p99: 3, max: 3 });
    recorder.reset();
    expect(recorder.summary().count).toBe(0);
  });
});
