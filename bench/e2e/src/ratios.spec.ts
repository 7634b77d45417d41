import { describe, expect, it } from 'vitest';
import { computeRatios, formatRatios } from './ratios';
import type { PathName, ScenarioResult } from './types';

function result(path: PathName, subscribers: number, rate: number, p99: number, deliveriesPerSecond: number, sustained = true, kind: 'fixed' | 'search' = 'fixed'): ScenarioResult {
  return {
    path,
    subscribers,
    rate,
    kind,
    seconds: 8,
    produced: rate * 8,
    achievedRate: rate,
    expectedDeliveries: deliveriesPerSecond * 8,
    delivered: deliveriesPerSecond * 8,
    lost: sustained ? 0 : 1,
    duplicated: 0,
    outOfOrder: 0,
    deliveriesPerSecond,
    latencyMs: { count: 100, p50: p99 / 2, p90: p99 * 0.9, p99, p999: p99, max: p99 },
    latencyCensored: false,
    p99AtLeastMs: p99,
    connectionsClosed: 0,
    sustained,
    processes: [],
  };
}

const scenarios = [
  result('floor', 1, 5000, 4, 5000),
  result('bridge', 1, 5000, 8, 5000),
  result('reference', 1, 5000, 4000, 300, false),
  result('bridge', 1, 20000, 12, 20000),
  result('bridge', 1, 40000, 900, 39000, false, 'search'),
  result('bridge', 50, 1000, 10, 28000),
  result('bridge', 50, 5000, 40, 140000, false),
  result('ceiling', 50, 1000, 3, 28000),
  result('ceiling', 50, 5000, 20, 140000),
];

describe('computeRatios', () => {
  const r = computeRatios(scenarios, { ratioRate: 5000, subscribers: [1, 50] });

  it('takes the p99 ratios at the ratio rate with the fewest subscribers', () => {
    expect(r.bridgeP99OverFloorP99).toBe(2);
    expect(r.bridgeP99MinusFloorP99Ms).toBe(4);
    expect(r.referenceP99OverBridgeP99).toBe(500);
    expect(r.latencySubscribers).toBe(1);
  });

  it('compares the best SUSTAINED deliveries/s at the most subscribers', () => {
    expect(r.throughputSubscribers).toBe(50);
    expect(r.bridgeSustainedDeliveriesPerSecond).toBe(28000);
    expect(r.ceilingSustainedDeliveriesPerSecond).toBe(140000);
    expect(r.bridgeOverCeilingDeliveries).toBeCloseTo(0.2);
  });

  it('reports the highest sustained bridge rate with one subscriber', () => {
    expect(r.bridgeSustainedRateOneSubscriber).toBe(20000);
  });

  it('gives null where a path was not run', () => {
    const partial = computeRatios([result('bridge', 1, 5000, 8, 5000)], { ratioRate: 5000, subscribers: [1] });
    expect(partial.bridgeP99OverFloorP99).toBeNull();
    expect(partial.referenceP99OverBridgeP99).toBeNull();
    expect(partial.bridgeOverCeilingDeliveries).toBeNull();
    expect(formatRatios(partial)[0]).toContain('n/a');
  });

  it('uses the lower bound of a censored p99 and says so', () => {
    const censored = { ...result('reference', 1, 5000, 0, 700, false), latencyCensored: true, p99AtLeastMs: 5000, latencyMs: { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 } };
    const withCensored = computeRatios([censored, result('bridge', 1, 5000, 10, 5000)], { ratioRate: 5000, subscribers: [1] });
    expect(withCensored.referenceP99OverBridgeP99).toBe(500);
    expect(withCensored.referenceCensored).toBe(true);
    expect(formatRatios(withCensored)[1]).toContain(': ≥ 500.0× (target ≥ 20×) — the reference relay lost quotes');
  });

  it('also gives the ratio at the highest rate where the reference lost nothing', () => {
    const more = [...scenarios, result('reference', 1, 1000, 3000, 1000), result('bridge', 1, 1000, 6, 1000), result('reference', 1, 500, 2000, 500), result('bridge', 1, 500, 5, 500)];
    const r = computeRatios(more, { ratioRate: 5000, subscribers: [1, 50] });
    expect(r.referenceCompleteRate).toBe(1000);
    expect(r.referenceP99OverBridgeP99Complete).toBe(500);
    expect(formatRatios(r)[2]).toBe('reference p99 / bridge p99 at 1000 quotes/s (highest rate both ran where the reference lost nothing): 500.0×');
  });

  it('ignores failed scenarios', () => {
    const failed = { ...result('floor', 1, 5000, 0, 0), error: 'broker gone', latencyMs: { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 } };
    const withFailure = computeRatios([failed, result('bridge', 1, 5000, 8, 5000)], { ratioRate: 5000, subscribers: [1] });
    expect(withFailure.bridgeP99OverFloorP99).toBeNull();
  });
});

describe('formatRatios', () => {
  it('prints the three ratios and the one-subscriber rate', () => {
    const lines = formatRatios(computeRatios(scenarios, { ratioRate: 5000, subscribers: [1, 50] }));
    expect(lines).toEqual([
      'bridge p99 / floor p99 at 5000 quotes/s, 1 subscriber(s): 2.00× (bridge adds 4.00 ms; target ≤ 5 ms)',
      'reference p99 / bridge p99 at 5000 quotes/s, 1 subscriber(s): 500.0× (target ≥ 20×)',
      'reference p99 / bridge p99 where the reference lost nothing: n/a (it lost quotes at every rate both ran)',
      'bridge / ceiling lossless deliveries/s at 50 subscribers: 0.20 (28000 / 140000; target ≥ 0.70)',
      'bridge highest lossless rate with 1 subscriber: 20000 quotes/s (target ≥ 20000)',
    ]);
  });
});
