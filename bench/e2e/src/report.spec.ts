import { describe, expect, it } from 'vitest';
import { chartSeries, resultsTable } from './report';
import type { ScenarioResult } from './types';

const base: ScenarioResult = {
  path: 'bridge',
  subscribers: 1,
  rate: 5000,
  kind: 'fixed',
  seconds: 8,
  produced: 40000,
  achievedRate: 5000,
  expectedDeliveries: 40000,
  delivered: 40000,
  lost: 0,
  duplicated: 0,
  outOfOrder: 0,
  deliveriesPerSecond: 5000,
  latencyMs: { count: 30000, p50: 3.2, p90: 5.5, p99: 12.25, p999: 40, max: 1234 },
  latencyCensored: false,
  p99AtLeastMs: 12.25,
  connectionsClosed: 0,
  sustained: true,
  processes: [{ name: 'bridge', pid: 1, cpuSeconds: 4, cpuPercent: 50, peakRssMiB: 120.4 }],
};

describe('resultsTable', () => {
  it('has a header, a separator and one row per scenario', () => {
    const table = resultsTable([base, { ...base, path: 'floor', subscribers: 50 }]).split('\n');
    expect(table).toHaveLength(4);
    expect(table[0]).toMatch(/^\| path \| subs \| rate\/s \|/);
    expect(table[2]).toBe(
      '| bridge | 1 | 5,000 | 5,000 | fixed | 40,000 | 0 | 0 | 0 | 5,000 | 3.20 | 5.50 | 12.3 | 40.0 | 1,234 | yes | bridge 50% 120 MiB |',
    );
  });

  it('shows the upper percentiles of a censored scenario as lower bounds', () => {
    const censored: ScenarioResult = { ...base, lost: 30000, sustained: false, latencyCensored: true, p99AtLeastMs: 5000, latencyMs: { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 } };
    expect(resultsTable([censored]).split('\n')[2]).toContain('| n/a | n/a | ≥ 5,000 | ≥ 5,000 | ≥ 5,000 | no |');
  });

  it('every row has as many cells as the header', () => {
    const failed: ScenarioResult = { ...base, error: 'bridge exited | 1' };
    const rows = resultsTable([base, failed]).split('\n');
    const cells = (line: string): number => line.split('|').length;
    expect(cells(rows[3]!)).toBe(cells(rows[0]!));
    expect(rows[3]).toContain('failed: bridge exited / 1');
  });
});

describe('chartSeries', () => {
  it('one series per path and subscriber count, dashed for the larger count', () => {
    const series = chartSeries([base, { ...base, rate: 1000 }, { ...base, subscribers: 50 }, { ...base, path: 'floor' }]);
    expect(series.map((s) => [s.label, s.dashed, s.points.length])).toEqual([
      ['floor, 1 subscriber', false, 1],
      ['bridge, 1 subscriber', false, 2],
      ['bridge, 50 subscribers', true, 1],
    ]);
  });

  it('leaves out failed scenarios', () => {
    expect(chartSeries([{ ...base, error: 'x', latencyMs: { ...base.latencyMs, count: 0 } }])).toEqual([]);
  });
});
