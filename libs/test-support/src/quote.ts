import type { Quote } from '@tickerflow/quote';

/** A Quote as a plain object type, so it also fits `Record<string, ...>` parameters (GraphQL variables). */
export type QuoteFixture = { [K in keyof Quote]: Quote[K] };

/** A valid quote with fixed, deterministic values; override any field (e.g. `{ ts: Date.now() }`). */
export function quote(ticker: string, seq: number, overrides: Partial<Quote> = {}): QuoteFixture {
  return {
    id: `${ticker}-${seq}-t`,
    ticker,
    seq,
    price: 100 + seq,
    bid: 99.5 + seq,
    ask: 100.5 + seq,
    size: 10,
    matchtime: '2026-11-25T02:30:00.123Z',
    ts: 1_764_037_800_123,
    ...overrides,
  };
}
