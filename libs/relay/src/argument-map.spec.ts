import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tickerflow/core';
import { parseArgumentMap, valueAtPath } from './argument-map';

describe('parseArgumentMap', () => {
  it('maps arguments to record fields and dotted paths', () => {
    expect(parseArgumentMap(' symbol=ticker, last = quote.price ')).toEqual({ symbol: 'ticker', last: 'quote.price' });
  });

  it.each([
    ['symbol', "argument map: expected <argument>=<record field>[.<nested field>...], comma-separated; got 'symbol'"],
    ['symbol=', "argument map: expected <argument>=<record field>[.<nested field>...], comma-separated; got 'symbol='"],
    ['a=b=c', "argument map: expected <argument>=<record field>[.<nested field>...], comma-separated; got 'a=b=c'"],
    ['1x=ticker', "argument map: expected <argument>=<record field>[.<nested field>...], comma-separated; got '1x=ticker'"],
    ['a=quote..price', "argument map: expected <argument>=<record field>[.<nested field>...], comma-separated; got 'a=quote..price'"],
    ['a=b,a=c', "argument map names argument 'a' twice"],
    [' , ', "argument map is empty; expected e.g. 'symbol=ticker,last=price'"],
  ])('refuses %j', (text, message) => {
    expect(() => parseArgumentMap(text)).toThrow(ConfigError);
    expect(() => parseArgumentMap(text)).toThrow(expect.objectContaining({ code: 'ARGUMENT_MAP_INVALID', message }));
  });
});

describe('valueAtPath', () => {
  it.each([
    [{ a: 1 }, 'a', 1],
    [{ quote: { last: 2 } }, 'quote.last', 2],
    [{ quote: null }, 'quote.last', undefined],
    [{ quote: [1] }, 'quote.0', undefined],
    [{}, 'a.b', undefined],
  ])('%j at %s is %j', (record, path, value) => {
    expect(valueAtPath(record, path)).toEqual(value);
  });
});
