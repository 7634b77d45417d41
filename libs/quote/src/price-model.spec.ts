import { describe, expect, it } from 'vitest';
import { decimalsOf } from './increment';
import { DEFAULT_TICKERS, createPriceModel, profileFor, type PriceModel } from './price-model';
import type { Quote } from './quote';
import { validateQuote } from './validate';

const fixedClock = () => 1_795_573_800_123;

function take(model: PriceModel, n: number): Quote[] {
  return Array.from({ length: n }, () => model.next());
}

describe('createPriceModel', () => {
  it('gives the same stream for the same seed', () => {
    const a = take(createPriceModel({ seed: 42, clock: fixedClock }), 5_000);
    const b = take(createPriceModel({ seed: '42', clock: fixedClock }), 5_000);
    expect(a).toEqual(b);
  });

  it('gives the same stream apart from ts and matchtime whatever the clock says', () => {
    let now = 1_000;
    const strip = ({ ts: _ts, matchtime: _m, ...rest }: Quote) => rest;
    const a = take(createPriceModel({ seed: 'x' }), 500).map(strip);
    const b = take(createPriceModel({ seed: 'x', clock: () => (now += 3) }), 500).map(strip);
    expect(a).toEqual(b);
  });

  it('gives a different stream for another seed', () => {
    const a = take(createPriceModel({ seed: 1, clock: fixedClock }), 50);
    const b = take(createPriceModel({ seed: 2, clock: fixedClock }), 50);
    expect(a.map((q) => q.price)).not.toEqual(b.map((q) => q.price));
  });

  it("keeps a ticker's path independent of the other tickers", () => {
    const only = take(createPriceModel({ seed: 7, tickers: ['ETH'], clock: fixedClock }), 300);
    const mixed = take(createPriceModel({ seed: 7, tickers: ['BTC', 'ETH', 'ZZZ'], clock: fixedClock }), 2_000)
      .filter((q) => q.ticker === 'ETH')
      .slice(0, 300);
    expect(mixed.map((q) => q.price)).toEqual(only.map((q) => q.price).slice(0, mixed.length));
  });

  it('produces valid quotes: bid < ask, prices on the tick, seq +1 per ticker, unique ids', () => {
    const tickers = [...DEFAULT_TICKERS, 'X.Y_Z-1'];
    const model = createPriceModel({ seed: 'check', tickers });
    const lastSeq = new Map<string, number>();
    const ids = new Set<string>();
    const problems: string[] = [];
    const check = (ok: boolean, what: string, quote: Quote) => {
      if (!ok && problems.length < 5) problems.push(`${what}: ${JSON.stringify(quote)}`);
    };
    for (const quote of take(model, 20_000)) {
      const result = validateQuote(quote);
      check(result.ok, 'invalid', quote);
      check(quote.bid < quote.ask, 'bid >= ask', quote);
      check(quote.price === quote.bid || quote.price === quote.ask, 'price not at bid or ask', quote);
      const tick = profileFor(quote.ticker).tickSize;
      const decimals = decimalsOf(tick);
      for (const value of [quote.price, quote.bid, quote.ask]) {
        check(Math.abs(value / tick - Math.round(value / tick)) < 1e-6, 'off the tick', quote);
        check((String(value).split('.')[1]?.length ?? 0) <= decimals, 'float noise', quote);
      }
      check(quote.ask - quote.bid >= tick * 0.999, 'spread under one tick', quote);
      check(quote.seq === (lastSeq.get(quote.ticker) ?? 0) + 1, 'seq gap', quote);
      lastSeq.set(quote.ticker, quote.seq);
      check(!ids.has(quote.id), 'duplicate id', quote);
      ids.add(quote.id);
      check(new Date(quote.ts).toISOString() === quote.matchtime, 'matchtime differs from ts', quote);
    }
    expect(problems).toEqual([]);
    expect([...lastSeq.keys()].sort()).toEqual(tickers.sort());
  });

  it('makes the id from ticker, seq and a tag of the seed', () => {
    const model = createPriceModel({ seed: 'abc', tickers: ['BTC'] });
    expect(model.runTag).toMatch(/^[0-9a-f]{8}$/);
    expect(model.next().id).toBe(`BTC-1-${model.runTag}`);
    expect(model.next().id).toBe(`BTC-2-${model.runTag}`);
  });

  it('keeps the bid above zero however low the walk goes', () => {
    const model = createPriceModel({ seed: 1, tickers: ['PENNY'], stepSeconds: 3e7 });
    for (const quote of take(model, 2_000)) {
      expect(quote.bid).toBeGreaterThan(0);
      expect(quote.bid).toBeLessThan(quote.ask);
    }
  });

  it('starts near the profile price and wanders realistically', () => {
    const model = createPriceModel({ seed: 3, tickers: ['BTC'] });
    const prices = take(model, 10_000).map((q) => q.price);
    expect(prices[0]).toBeGreaterThan(94_000);
    expect(prices[0]).toBeLessThan(96_000);
    expect(Math.max(...prices) / Math.min(...prices)).toBeLessThan(1.2);
    expect(new Set(prices).size).toBeGreaterThan(1_000);
  });

  it.each([
    [[], 'the price model needs at least one ticker'],
    [['btc'], "invalid ticker 'btc'"],
    [['BTC', 'BTC'], "duplicate ticker 'BTC'"],
  ])('rejects tickers %j', (tickers, message) => {
    expect(() => createPriceModel({ seed: 1, tickers })).toThrow(message);
  });
});
