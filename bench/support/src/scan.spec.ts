import { describe, expect, it } from 'vitest';
import { numberAfter, scanQuote } from './scan';

describe('numberAfter', () => {
  it.each([
    ['{"ts":1733150000123,"x":1}', '"ts":', {}, 1733150000123],
    ['{"price":-1.5e+2}', '"price":', {}, -150],
    ['{"ts":12}', '"ts":', {}, 12],
    ['{"seq":1,"seq":2}', '"seq":', { last: true }, 2],
    ['{"seq":1,"seq":2}', '"seq":', { from: 3 }, 2],
    ['{"seq":1}', '"ts":', {}, undefined],
    ['{"ts":"x"}', '"ts":', {}, undefined],
    ['{"ts":-}', '"ts":', {}, undefined],
  ])('%s after %s (%j) is %s', (text, key, where, expected) => {
    expect(numberAfter(text, key, where)).toBe(expected);
  });
});

describe('scanQuote', () => {
  const quote = { id: 'AAPL-7', ticker: 'AAPL', seq: 7, price: 101.25, bid: 101.2, ask: 101.3, size: 3, matchtime: '2024-12-02T10:00:00.000Z', ts: 1733133600000.25 };

  it('reads what JSON.parse reads, from a realtime data frame', () => {
    const frame = JSON.stringify({ type: 'data', id: '1', payload: { data: { tickerlocal: quote } } });
    expect(scanQuote(frame)).toEqual({ ticker: 'AAPL', seq: 7, ts: 1733133600000.25 });
  });

  it('reads a bare quote whatever the field order', () => {
    expect(scanQuote('{"ts":5,"seq":2,"ticker":"T1"}')).toEqual({ ticker: 'T1', seq: 2, ts: 5 });
  });

  it('throws, naming the text, when a field is missing', () => {
    expect(() => scanQuote('{"type":"data","ticker":"A","seq":1}')).toThrow('no ticker, seq or ts in {"type":"data"');
  });
});
