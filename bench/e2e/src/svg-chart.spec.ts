import { describe, expect, it } from 'vitest';
import { buildLineChart, logTicks } from './svg-chart';

describe('logTicks', () => {
  it.each([
    [1, 100, [1, 2, 5, 10, 20, 50, 100]],
    [1000, 20000, [1000, 2000, 5000, 10000, 20000]],
    [0.5, 2, [0.5, 1, 2]],
  ])('%s..%s', (min, max, expected) => {
    expect(logTicks(min, max)).toEqual(expected);
  });
});

describe('buildLineChart', () => {
  const svg = buildLineChart(
    [
      { label: 'bridge, 1 subscriber', color: '#1f77b4', points: [{ x: 1000, y: 5 }, { x: 20000, y: 12 }, { x: 5000, y: 7 }] },
      { label: 'reference <b> & co', color: '#d62728', dashed: true, points: [{ x: 1000, y: 1500 }] },
      { label: 'empty', color: '#000', points: [{ x: 1000, y: 0 }] },
    ],
    { title: 'p99 vs rate', xLabel: 'rate', yLabel: 'p99 ms' },
  );

  it('is a standalone SVG document', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });

  it('draws a polyline per series with points, sorted by x', () => {
    const lines = svg.match(/<polyline points="([^"]+)"/g) ?? [];
    expect(lines).toHaveLength(2);
    const xs = (/<polyline points="([^"]+)"/.exec(svg)?.[1] ?? '').split(' ').map((p) => Number(p.split(',')[0]));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(svg.match(/<circle /g)).toHaveLength(4);
  });

  it('has axis labels, tick labels, a dashed series and an escaped legend', () => {
    expect(svg).toContain('>rate</text>');
    expect(svg).toContain('>p99 ms</text>');
    expect(svg).toContain('>20k</text>');
    expect(svg).toContain('>1k</text>');
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg).toContain('reference &lt;b&gt; &amp; co');
    expect(svg).toContain('>empty</text>');
  });

  it('puts larger values higher (SVG y grows downwards)', () => {
    const circles = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
    const [a, b] = circles; // bridge at 1000 (5 ms) and 5000 (7 ms)
    expect(b!.x).toBeGreaterThan(a!.x);
    expect(b!.y).toBeLessThan(a!.y);
  });

  it('copes with no data', () => {
    expect(buildLineChart([], { title: 't', xLabel: 'x', yLabel: 'y' })).toContain('</svg>');
  });
});
