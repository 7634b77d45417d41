import { describe, expect, it } from 'vitest';
import { ProtocolError } from '@tickerflow/core';
import { QUOTE_FIELDS, type Quote } from './quote';
import { decodeQuote, encodeQuote, readQuote, stringifyQuote, validateQuote } from './validate';

const good: Quote = {
  id: 'BTC-1-0a1b2c3d',
  ticker: 'BTC',
  seq: 1,
  price: 95000.01,
  bid: 95000.01,
  ask: 95000.05,
  size: 0.0421,
  matchtime: '2026-11-25T02:30:00.123Z',
  ts: 1_795_573_800_123,
};

describe('validateQuote', () => {
  it('accepts a good quote and returns exactly the contract fields', () => {
    const result = validateQuote({ ...good, extra: 'ignored' });
    expect(result).toEqual({ ok: true, quote: good });
    if (result.ok) expect(Object.keys(result.quote)).toEqual([...QUOTE_FIELDS]);
  });

  it.each([
    ['id', '', 'id must be a string of 1-128 characters, got ""'],
    ['id', 42, 'id must be a string of 1-128 characters, got 42'],
    ['ticker', 'btc', 'ticker must be 1-16 characters of A-Z 0-9 . _ -, got "btc"'],
    ['ticker', 'ABCDEFGHIJKLMNOPQ', 'ticker must be 1-16 characters of A-Z 0-9 . _ -, got "ABCDEFGHIJKLMNOPQ"'],
    ['ticker', 'BTC/USD', 'ticker must be 1-16 characters of A-Z 0-9 . _ -, got "BTC/USD"'],
    ['seq', 0, 'seq must be an integer from 1 to 2147483647, got 0'],
    ['seq', 1.5, 'seq must be an integer from 1 to 2147483647, got 1.5'],
    ['seq', 2 ** 31, 'seq must be an integer from 1 to 2147483647, got 2147483648'],
    ['seq', '7', 'seq must be an integer from 1 to 2147483647, got "7"'],
    ['price', 0, 'price must be a number > 0, got 0'],
    ['price', -3, 'price must be a number > 0, got -3'],
    ['price', null, 'price must be a number > 0, got null'],
    ['price', '95000', 'price must be a number > 0, got "95000"'],
    ['bid', Number.NaN, 'bid must be a number > 0, got NaN'],
    ['ask', undefined, 'ask must be a number > 0, got nothing (missing)'],
    ['size', Number.POSITIVE_INFINITY, 'size must be a number > 0, got Infinity'],
    ['size', [], 'size must be a number > 0, got an array'],
    ['matchtime', '2026-11-25T02:30:00Z', 'matchtime must be ISO-8601 UTC with milliseconds (2026-01-31T23:59:59.123Z), got "2026-11-25T02:30:00Z"'],
    ['matchtime', '2026-11-25T02:30:00.123+01:00', 'matchtime must be ISO-8601 UTC with milliseconds (2026-01-31T23:59:59.123Z), got "2026-11-25T02:30:00.123+01:00"'],
    ['matchtime', '2026-13-25T02:30:00.123Z', 'matchtime must be ISO-8601 UTC with milliseconds (2026-01-31T23:59:59.123Z), got "2026-13-25T02:30:00.123Z"'],
    ['matchtime', 1_795_573_800_123, 'matchtime must be ISO-8601 UTC with milliseconds (2026-01-31T23:59:59.123Z), got 1795573800123'],
    ['ts', 1.5, 'ts must be epoch milliseconds (an integer > 0), got 1.5'],
    ['ts', '1795573800123', 'ts must be epoch milliseconds (an integer > 0), got "1795573800123"'],
    ['ts', {}, 'ts must be epoch milliseconds (an integer > 0), got an object'],
  ])('names %s when it is %j', (field, value, message) => {
    const result = validateQuote({ ...good, [field]: value });
    expect(result).toEqual({ ok: false, errors: [{ field, message }] });
  });

  it('rejects bid >= ask, naming bid', () => {
    expect(validateQuote({ ...good, bid: 10, ask: 10 })).toEqual({
      ok: false,
      errors: [{ field: 'bid', message: 'bid must be less than ask, got bid 10 and ask 10' }],
    });
  });

  it('names every bad field at once, in contract order', () => {
    const result = validateQuote({ id: 'x', ticker: 'BTC', seq: -1, price: 'a', bid: 1, ask: 2, size: 0 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.field)).toEqual(['seq', 'price', 'size', 'matchtime', 'ts']);
  });

  it.each([
    [null, 'quote must be a JSON object, got null'],
    [[good], 'quote must be a JSON object, got an array'],
    ['BTC', 'quote must be a JSON object, got "BTC"'],
    [7, 'quote must be a JSON object, got 7'],
  ])('rejects %j as a whole', (value, message) => {
    expect(validateQuote(value)).toEqual({ ok: false, errors: [{ field: '$', message }] });
  });
});

describe('encode/decode', () => {
  it('round-trips, with fields in contract order', () => {
    const bytes = encodeQuote(good);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(Object.keys(JSON.parse(bytes.toString('utf8')) as object)).toEqual([...QUOTE_FIELDS]);
    expect(decodeQuote(bytes)).toEqual(good);
    expect(decodeQuote(stringifyQuote(good))).toEqual(good);
  });

  it.each([
    ['plain', good],
    ['escapes', { ...good, id: 'a"b\\c\n\u2028é', ticker: 'X' }],
    ['odd numbers', { ...good, price: 1e21, bid: 1e-7, ask: Number.NaN, size: -0, ts: Number.POSITIVE_INFINITY }],
  ])('writes exactly what JSON.stringify would (%s)', (_name, quote) => {
    const reference = JSON.stringify(Object.fromEntries(QUOTE_FIELDS.map((field) => [field, quote[field]])));
    expect(stringifyQuote(quote)).toBe(reference);
  });

  it('is the reference design superset', () => {
    const json = JSON.parse(stringifyQuote(good)) as Record<string, unknown>;
    expect(json).toMatchObject({ id: good.id, ticker: 'BTC', price: 95000.01, matchtime: good.matchtime });
  });

  it('throws INVALID_QUOTE listing every bad field', () => {
    const bad = Buffer.from(JSON.stringify({ ...good, price: -1, ts: 'now' }));
    let caught: unknown;
    try {
      decodeQuote(bad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProtocolError);
    expect(caught).toMatchObject({
      code: 'INVALID_QUOTE',
      message: 'invalid quote: price must be a number > 0, got -1; ts must be epoch milliseconds (an integer > 0), got "now"',
    });
  });

  it('throws INVALID_QUOTE for text that is not JSON', () => {
    expect(() => decodeQuote('{"id":')).toThrow(/^invalid quote: not JSON \(.+\): \{"id":$/);
    expect(() => decodeQuote('{"id":')).toThrow(expect.objectContaining({ code: 'INVALID_QUOTE' }));
  });
});

describe('readQuote', () => {
  it('returns the quote, or the reason and detail without throwing', () => {
    expect(readQuote(encodeQuote(good))).toEqual({ ok: true, quote: good });
    expect(readQuote('{"id":')).toMatchObject({ ok: false, reason: 'not-json', detail: expect.stringMatching(/JSON/) });
    expect(readQuote(JSON.stringify({ ...good, seq: 0 }))).toEqual({
      ok: false,
      reason: 'invalid-quote',
      detail: 'seq must be an integer from 1 to 2147483647, got 0',
    });
  });
});
