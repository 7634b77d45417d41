import type { PathName, Ratios, ScenarioResult } from './types';

const usable = (s: ScenarioResult): boolean => s.error === undefined && (s.latencyMs.count > 0 || s.latencyCensored);

/** The fixed-rate scenario of a path at a rate and subscriber count (search steps as fallback). */
export function findScenario(
  scenarios: readonly ScenarioResult[],
  path: PathName,
  rate: number,
  subscribers: number,
): ScenarioResult | undefined {
  const matching = scenarios.filter((s) => s.path === path && s.rate === rate && s.subscribers === subscribers && usable(s));
  return matching.find((s) => s.kind === 'fixed') ?? matching[0];
}

/** The sustained scenario with the most deliveries/s of a path at a subscriber count. */
export function bestSustained(scenarios: readonly ScenarioResult[], path: PathName, subscribers: number): ScenarioResult | undefined {
  let best: ScenarioResult | undefined;
  for (const s of scenarios) {
    if (s.path !== path || s.subscribers !== subscribers || !s.sustained || !usable(s)) continue;
    if (best === undefined || s.deliveriesPerSecond > best.deliveriesPerSecond) best = s;
  }
  return best;
}

const ratio = (a: number | undefined, b: number | undefined): number | null =>
  a === undefined || b === undefined || !(b > 0) || !Number.isFinite(a) ? null : a / b;

/**
 * The figures the issue asks for: bridge p99 / floor p99 and reference p99 / bridge p99 at
 * `ratioRate` with the fewest subscribers run, and the bridge's best lossless deliveries/s over
 * the fan-out ceiling's at the most subscribers run.
 */
export function computeRatios(
  scenarios: readonly ScenarioResult[],
  options: { readonly ratioRate: number; readonly subscribers: readonly number[] },
): Ratios {
  const fewest = Math.min(...options.subscribers);
  const most = Math.max(...options.subscribers);
  const floor = findScenario(scenarios, 'floor', options.ratioRate, fewest);
  const bridge = findScenario(scenarios, 'bridge', options.ratioRate, fewest);
  const reference = findScenario(scenarios, 'reference', options.ratioRate, fewest);
  // Where the reference delivered everything its p99 is a measurement, not a bound.
  let complete: { rate: number; ratio: number | null } | undefined;
  for (const s of scenarios) {
    if (s.path !== 'reference' || s.subscribers !== fewest || !usable(s) || s.lost > 0 || s.latencyMs.count === 0) continue;
    const b = findScenario(scenarios, 'bridge', s.rate, fewest);
    if (b === undefined || (complete !== undefined && complete.rate >= s.rate)) continue;
    complete = { rate: s.rate, ratio: ratio(s.latencyMs.p99, b.p99AtLeastMs) };
  }
  const bridgeBest = bestSustained(scenarios, 'bridge', most);
  const ceilingBest = bestSustained(scenarios, 'ceiling', most);
  const bridgeOne = options.subscribers.includes(1) ? bestSustained(scenarios, 'bridge', 1) : undefined;
  return {
    latencyRate: options.ratioRate,
    latencySubscribers: fewest,
    bridgeP99OverFloorP99: ratio(bridge?.p99AtLeastMs, floor?.p99AtLeastMs),
    bridgeP99MinusFloorP99Ms: bridge && floor ? bridge.p99AtLeastMs - floor.p99AtLeastMs : null,
    referenceP99OverBridgeP99: ratio(reference?.p99AtLeastMs, bridge?.p99AtLeastMs),
    referenceCensored: reference?.latencyCensored ?? false,
    referenceCompleteRate: complete?.rate ?? null,
    referenceP99OverBridgeP99Complete: complete?.ratio ?? null,
    throughputSubscribers: most,
    bridgeSustainedDeliveriesPerSecond: bridgeBest?.deliveriesPerSecond ?? null,
    ceilingSustainedDeliveriesPerSecond: ceilingBest?.deliveriesPerSecond ?? null,
    bridgeOverCeilingDeliveries: ratio(bridgeBest?.deliveriesPerSecond, ceilingBest?.deliveriesPerSecond),
    bridgeSustainedRateOneSubscriber: bridgeOne?.rate ?? null,
  };
}

const fmt = (value: number | null, digits: number, suffix = ''): string => (value === null ? 'n/a' : `${value.toFixed(digits)}${suffix}`);

/** The ratio lines printed at the end of a run and put into the Markdown report. */
export function formatRatios(r: Ratios): string[] {
  return [
    `bridge p99 / floor p99 at ${r.latencyRate} quotes/s, ${r.latencySubscribers} subscriber(s): ${fmt(r.bridgeP99OverFloorP99, 2, '×')} (bridge adds ${fmt(r.bridgeP99MinusFloorP99Ms, 2, ' ms')}; target ≤ 5 ms)`,
    `reference p99 / bridge p99 at ${r.latencyRate} quotes/s, ${r.latencySubscribers} subscriber(s): ${r.referenceCensored ? '≥ ' : ''}${fmt(r.referenceP99OverBridgeP99, 1, '×')} (target ≥ 20×)` +
      (r.referenceCensored ? ' — the reference relay lost quotes within the drain window, its p99 is a lower bound' : ''),
    ...(r.referenceCensored || r.referenceCompleteRate !== r.latencyRate
      ? [
          r.referenceCompleteRate === null
            ? 'reference p99 / bridge p99 where the reference lost nothing: n/a (it lost quotes at every rate both ran)'
            : `reference p99 / bridge p99 at ${r.referenceCompleteRate} quotes/s (highest rate both ran where the reference lost nothing): ${fmt(r.referenceP99OverBridgeP99Complete, 1, '×')}`,
        ]
      : []),
    `bridge / ceiling lossless deliveries/s at ${r.throughputSubscribers} subscribers: ${fmt(r.bridgeOverCeilingDeliveries, 2)} ` +
      `(${fmt(r.bridgeSustainedDeliveriesPerSecond, 0)} / ${fmt(r.ceilingSustainedDeliveriesPerSecond, 0)}; target ≥ 0.70)`,
    `bridge highest lossless rate with 1 subscriber: ${r.bridgeSustainedRateOneSubscriber === null ? 'n/a' : `${r.bridgeSustainedRateOneSubscriber} quotes/s`} (target ≥ 20000)`,
  ];
}
