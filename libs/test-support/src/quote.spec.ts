import { describe, expect, it } from 'vitest';
import { validateQuote } from '@tickerflow/quote';
import { quote } from './quote';

describe('the quote fixture', () => {
  it.each([1, 2, 1_000])('passes the validator at seq %i', (seq) => {
    expect(validateQuote(quote('BTC', seq))).toMatchObject({ ok: true });
  });

  it('takes overrides', () => {
    expect(quote('ETH', 3, { ts: 5 })).toMatchObject({ id: 'ETH-3-t', ticker: 'ETH', seq: 3, ts: 5 });
  });
});
