import { describe, expect, it } from 'vitest';
import { UsageError } from '@tickerflow/core';
import { collectFilters, graphqlLiteral, parseFilterArgument } from './filter-args';

describe('graphqlLiteral', () => {
  it.each([
    ['BTC', '"BTC"'],
    ['5', '5'],
    ['-1.5e3', '-1.5e3'],
    ['106.66713681140098', '106.66713681140098'],
    ['12345678901234567890', '12345678901234567890'], // kept as typed: no float rounding of a big ID
    ['true', 'true'],
    ['"42"', '"42"'],
    ['2026-12-01T10:50:59.222824', '"2026-12-01T10:50:59.222824"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['"unclosed', '"\\"unclosed"'],
    ['007', '"007"'],
  ])('%s -> %s', (value, literal) => {
    expect(graphqlLiteral(value)).toBe(literal);
  });
});

describe('parseFilterArgument', () => {
  it('splits on the first =', () => {
    expect(parseFilterArgument(' note = a=b ')).toEqual({ name: 'note', literal: '"a=b"' });
  });

  it.each(['ticker', 'ticker=', '=BTC', '1x=2', 'my-field=1', ''])('rejects %j with one usage line', (raw) => {
    expect(() => parseFilterArgument(raw)).toThrow(
      new UsageError(`--filter '${raw}' must be name=value with a GraphQL argument name (e.g. --filter ticker=BTC)`),
    );
  });
});

describe('collectFilters', () => {
  it('is repeatable and takes comma lists (SUB_FILTER), keeping commas inside values', () => {
    const first = collectFilters('ticker=BTC,price=1.5', undefined);
    expect(collectFilters('note=a,b', first)).toEqual([
      { name: 'ticker', literal: '"BTC"' },
      { name: 'price', literal: '1.5' },
      { name: 'note', literal: '"a,b"' },
    ]);
  });

  it('refuses two values for one argument', () => {
    expect(() => collectFilters('ticker=ETH', [{ name: 'ticker', literal: '"BTC"' }])).toThrow(
      new UsageError("--filter 'ticker' is given twice; AppSync filters on one value per argument"),
    );
  });
});
