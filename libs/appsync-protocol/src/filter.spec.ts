import { describe, expect, it } from 'vitest';
import { createFilterIndex, createSubscriptionFilter, filterSignature, matchesFilter } from './filter';

describe('createSubscriptionFilter', () => {
  it('drops null and omitted arguments and sorts keys', () => {
    const filter = createSubscriptionFilter({ ticker: 'BTC', seq: null, bid: undefined, id: 'x' });
    expect(filter).toEqual({ id: 'x', ticker: 'BTC' });
    expect(filterSignature(filter)).toBe('id,ticker');
  });
});

describe('matchesFilter', () => {
  const event = { ticker: 'BTC', seq: 5, price: 1.5 };
  it.each([
    [{}, true],
    [{ ticker: 'BTC' }, true],
    [{ ticker: 'ETH' }, false],
    [{ ticker: 'BTC', seq: 5 }, true],
    [{ ticker: 'BTC', seq: 6 }, false],
    [{ seq: '5' }, false],
    [{ size: 1 }, false],
  ])('%j → %s', (filter, expected) => {
    expect(matchesFilter(filter, event)).toBe(expected);
  });
});

describe('createFilterIndex', () => {
  it('finds unfiltered and matching subscribers without the others', () => {
    const index = createFilterIndex<string>();
    index.add({}, 'all');
    index.add({ ticker: 'BTC' }, 'btc');
    index.add({ ticker: 'ETH' }, 'eth');
    index.add({ seq: 1, ticker: 'BTC' }, 'btc-1');
    expect(index.size).toBe(4);
    expect(index.match({ ticker: 'BTC', seq: 1 }).sort()).toEqual(['all', 'btc', 'btc-1']);
    expect(index.match({ ticker: 'BTC', seq: 2 }).sort()).toEqual(['all', 'btc']);
    expect(index.match({ ticker: 'ETH', seq: 1 }).sort()).toEqual(['all', 'eth']);
    expect(index.match({ ticker: null }).sort()).toEqual(['all']);
    expect(index.match(null)).toEqual(['all']);
  });

  it('agrees with matchesFilter on a table of filters', () => {
    const filters = [{}, { ticker: 'A' }, { ticker: 'B' }, { seq: 1 }, { seq: 1, ticker: 'A' }, { price: 2 }];
    const events = [{ ticker: 'A', seq: 1, price: 2 }, { ticker: 'B', seq: 2, price: 2 }, { ticker: 'C' }];
    const index = createFilterIndex<number>();
    filters.forEach((filter, i) => index.add(filter, i));
    for (const event of events) {
      const expected = filters.flatMap((filter, i) => (matchesFilter(filter, event) ? [i] : []));
      expect(index.match(event).sort()).toEqual(expected);
    }
  });

  it('removes subscribers and forgets empty groups', () => {
    const index = createFilterIndex<string>();
    index.add({ ticker: 'BTC' }, 'a');
    index.add({}, 'b');
    expect(index.remove({ ticker: 'BTC' }, 'a')).toBe(true);
    expect(index.remove({ ticker: 'BTC' }, 'a')).toBe(false);
    expect(index.remove({}, 'b')).toBe(true);
    expect(index.size).toBe(0);
    expect(index.match({ ticker: 'BTC' })).toEqual([]);
  });
});
