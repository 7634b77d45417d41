import { describe, expect, it } from 'vitest';
import { createDeliveryTracker } from './delivery-tracker';

describe('createDeliveryTracker', () => {
  it('counts in-order arrivals as unique', () => {
    const t = createDeliveryTracker();
    for (let seq = 1; seq <= 5; seq += 1) expect(t.observe('BTC', seq)).toBe(true);
    expect(t.counts()).toEqual({ received: 5, unique: 5, duplicated: 0, outOfOrder: 0 });
  });

  it('tells a duplicate from an out-of-order arrival', () => {
    const t = createDeliveryTracker();
    t.observe('BTC', 1);
    t.observe('BTC', 3);
    expect(t.observe('BTC', 2)).toBe(true); // late, first time: out of order
    expect(t.observe('BTC', 3)).toBe(false); // seen: duplicate
    expect(t.counts()).toEqual({ received: 4, unique: 3, duplicated: 1, outOfOrder: 1 });
  });

  it('keeps tickers apart', () => {
    const t = createDeliveryTracker();
    t.observe('BTC', 2);
    t.observe('ETH', 1);
    expect(t.counts()).toEqual({ received: 2, unique: 2, duplicated: 0, outOfOrder: 0 });
  });

  it('grows past its initial bitset', () => {
    const t = createDeliveryTracker();
    for (let seq = 1; seq <= 100_000; seq += 1) t.observe('BTC', seq);
    t.observe('BTC', 99_999);
    expect(t.counts()).toEqual({ received: 100_001, unique: 100_000, duplicated: 1, outOfOrder: 0 });
  });
});
