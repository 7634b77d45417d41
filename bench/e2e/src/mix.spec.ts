import { describe, expect, it } from 'vitest';
import { assignSubscribers, expectedDeliveries, matchingSubscribers } from './mix';

const TICKERS = ['BTC', 'ETH', 'SOL'];

describe('assignSubscribers', () => {
  it.each([
    [1, [null]],
    [2, [null, 'BTC']],
    [3, [null, null, 'BTC']],
    [7, [null, null, null, null, 'BTC', 'ETH', 'SOL']],
  ])('%i subscribers → %j', (count, expected) => {
    expect(assignSubscribers(count, TICKERS)).toEqual(expected);
  });

  it('50 subscribers: 25 on every ticker, 25 spread round-robin over the tickers', () => {
    const filters = assignSubscribers(50, ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']);
    expect(filters.filter((f) => f === null)).toHaveLength(25);
    const singles = filters.filter((f): f is string => f !== null);
    expect(singles).toHaveLength(25);
    const perTicker = new Map<string, number>();
    for (const t of singles) perTicker.set(t, (perTicker.get(t) ?? 0) + 1);
    expect([...perTicker.values()].sort()).toEqual([3, 3, 3, 3, 3, 3, 3, 4]);
  });

  it.each([0, -1, 1.5])('refuses %s subscribers', (count) => {
    expect(() => assignSubscribers(count, TICKERS)).toThrow(RangeError);
  });

  it('refuses an empty ticker list', () => {
    expect(() => assignSubscribers(2, [])).toThrow('at least one ticker');
  });
});

describe('expectedDeliveries / matchingSubscribers', () => {
  const filters = [null, null, 'BTC', 'ETH'];
  it('an unfiltered subscriber is owed every quote, a filtered one its ticker only', () => {
    expect(expectedDeliveries(filters, { BTC: 10, ETH: 5, SOL: 1 })).toBe(16 + 16 + 10 + 5);
  });
  it('a ticker nobody produced is owed nothing', () => {
    expect(expectedDeliveries(['NVDA'], { BTC: 3 })).toBe(0);
  });
  it.each([
    ['BTC', 3],
    ['SOL', 2],
  ])('a %s quote reaches %i subscribers', (ticker, n) => {
    expect(matchingSubscribers(filters, ticker)).toBe(n);
  });
});
