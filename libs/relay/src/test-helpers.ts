import type { Quote } from '@tickerflow/quote';
import type { SourceRecord } from './types';

/** A valid quote for tests; override any field. */
export function quote(ticker: string, seq: number, overrides: Partial<Quote> = {}): Quote {
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

/** Records at consecutive offsets from `first`, values as given (objects are JSON-encoded). */
export function records(values: readonly (Quote | string | null)[], first = 0, topic = 'quotes', partition = 0): SourceRecord[] {
  return values.map((value, index) => ({
    topic,
    partition,
    offset: String(first + index),
    key: null,
    value: value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  }));
}
