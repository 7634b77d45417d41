import { describe, expect, it } from 'vitest';
import { TransportError } from '@tickerflow/core';
import { createPriceModel, stringifyQuote } from '@tickerflow/quote';
import type { QuoteMessage } from './produce';
import { describeUnsent, QuotesNotSentError, unsentRanges } from './unsent';

/** Messages for the given `TICKER:seq` list, in that order. */
function messages(...ids: string[]): QuoteMessage[] {
  const quote = createPriceModel({ seed: 'unsent', tickers: ['BTC'] }).next();
  return ids.map((id) => {
    const [ticker, seq] = id.split(':') as [string, string];
    return { key: Buffer.from(ticker), value: stringifyQuote({ ...quote, ticker, seq: Number(seq) }), timestamp: String(quote.ts) };
  });
}

describe('unsentRanges', () => {
  it.each([
    { batches: [messages('BTC:4', 'ETH:2', 'BTC:5')], described: 'BTC seq 4-5, ETH seq 2' },
    { batches: [messages('BTC:7', 'BTC:8'), messages('BTC:5', 'BTC:6')], described: 'BTC seq 5-8' },
    { batches: [messages('BTC:1', 'BTC:2'), messages('BTC:9')], described: 'BTC seq 1-2, BTC seq 9' },
    { batches: [messages('ETH:3', 'ETH:3')], described: 'ETH seq 3' },
  ])('merges each ticker\'s seqs into ranges: $described', ({ batches, described }) => {
    expect(describeUnsent(unsentRanges(batches))).toBe(described);
  });
});

describe('QuotesNotSentError', () => {
  it('says why, how many and which, keeps the cause and its hint, and serialises the ranges', () => {
    const cause = new TransportError('broker gone', { hint: 'is Kafka up?' });
    const error = new QuotesNotSentError([{ ticker: 'BTC', from: 3, to: 7 }, { ticker: 'ETH', from: 2, to: 2 }], cause);
    expect(error).toMatchObject({
      code: 'QUOTES_NOT_SENT',
      retriable: false,
      hint: 'is Kafka up?',
      cause,
      quotes: 6,
      message: 'broker gone; 6 quotes never reached Kafka: BTC seq 3-7, ETH seq 2',
    });
    expect(error.toJSON()).toMatchObject({ code: 'QUOTES_NOT_SENT', quotes: 6, unsent: [{ ticker: 'BTC', from: 3, to: 7 }, { ticker: 'ETH', from: 2, to: 2 }] });
  });
});
