import { describe, expect, it } from 'vitest';
import { formatResults, verdict } from './report';

describe('verdict', () => {
  it.each([
    [{ targetRate: 20_000, publishedRate: 19_900, published: 100, received: 100, p99: 40 }, 'keeps up'],
    [{ targetRate: 20_000, publishedRate: 19_900, published: 100, received: 100, p99: 900 }, 'latency grows'],
    [{ targetRate: 20_000, publishedRate: 19_900, published: 100, received: 90, p99: 40 }, 'lost 10'],
    [{ targetRate: 20_000, publishedRate: 5_000, published: 100, received: 100, p99: 900 }, 'source-limited, latency grows'],
  ])('%j -> %s', (step, expected) => {
    expect(verdict(step, 500)).toBe(expected);
  });
});

describe('formatResults', () => {
  it('aligns one row per step under a header', () => {
    const text = formatResults([
      {
        source: 'raw',
        targetRate: 20_000,
        published: 80_000,
        publishedRate: 19_982,
        received: 80_000,
        receivedRate: 19_819,
        latencyMs: { count: 80_000, p50: 2, p99: 64, max: 76 },
        missed: 0,
        duplicates: 0,
        reconnects: 0,
        verdict: 'keeps up',
      },
    ]);
    expect(text.split('\n')).toEqual([
      'source  target/s  published/s     received  recv/s  p50 ms  p99 ms  max ms  gaps  reconn   verdict',
      'raw        20000        19982  80000/80000   19819       2      64      76     0       0  keeps up',
    ]);
  });
});
