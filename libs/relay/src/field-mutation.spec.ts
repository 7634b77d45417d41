import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tickerflow/core';
import { compileFieldMutation } from './field-mutation';
import { REFERENCE_RECORD, REFERENCE_SDL } from './reference-schema.fixture';
import { mutationField, schemaFromSdl } from './schema-field';
import { quote } from './test-helpers';

/** tickerflow's own schema, as appsync-local serves it by default. */
const TICKERFLOW_SDL = readFileSync(join(import.meta.dirname, '../../../schema/tickerlocal.graphql'), 'utf8');
const reference = () => mutationField(schemaFromSdl(REFERENCE_SDL), 'tickerlocal');
const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('compileFieldMutation', () => {
  it("builds the field's own arguments and selects its result scalars", () => {
    const template = compileFieldMutation(reference());
    const decoded = template.decode(bytes(REFERENCE_RECORD));
    expect(decoded).toEqual({ ok: true, values: { id: '0', ticker: 'BTC', price: 106.66713681140098, matchtime: '2026-12-01T10:50:59.222824' } });
    const request = template.build([decoded.ok ? decoded.values : {}]);
    expect(request.query).toBe(
      'mutation Publish($id_0: ID!, $ticker_0: String!, $price_0: Float!, $matchtime_0: String) { q0: tickerlocal(id: $id_0, ticker: $ticker_0, price: $price_0, matchtime: $matchtime_0) { id ticker price matchtime } }',
    );
    expect(request.variables).toEqual({ id_0: '0', ticker_0: 'BTC', price_0: 106.66713681140098, matchtime_0: '2026-12-01T10:50:59.222824' });
    expect(template).toMatchObject({ field: 'tickerlocal', selection: ['id', 'ticker', 'price', 'matchtime'], missingSelection: [], quoteRules: false });
    expect(() => parse(template.probe().query)).not.toThrow();
  });

  it('ignores extra fields and leaves absent nullable arguments out', () => {
    const decoded = compileFieldMutation(reference()).decode(bytes({ id: 'x', ticker: 'ETH', price: '3.5', venue: 'X', seq: 9 }));
    expect(decoded).toEqual({ ok: true, values: { id: 'x', ticker: 'ETH', price: 3.5 } });
  });

  it('fills arguments from --map names and dotted paths into nested records', () => {
    const template = compileFieldMutation(reference(), { map: { ticker: 'symbol', price: 'quote.last' } });
    expect(template.decode(bytes({ id: 1, symbol: 'SOL', quote: { last: 180.25 } }))).toEqual({
      ok: true,
      values: { id: '1', ticker: 'SOL', price: 180.25 },
    });
  });

  it.each([
    ['a missing required argument', { ticker: 'BTC', price: 1 }, 'id: required (ID!) but missing'],
    ['every bad argument at once', { id: 1.5, price: 'high' }, 'id: cannot make an ID of 1.5; ticker: required (String!) but missing; price: cannot make a Float of "high"'],
    ['a value that is not an object', [1, 2], 'value is not a JSON object: an array'],
  ])('refuses %s as invalid-record, naming the field', (_name, record, message) => {
    expect(compileFieldMutation(reference()).decode(bytes(record))).toEqual({ ok: false, reason: 'invalid-record', message });
  });

  it('names the record field a mapped argument was read from', () => {
    const template = compileFieldMutation(reference(), { map: { price: 'quote.last' } });
    expect(template.decode(bytes({ id: 1, ticker: 'A', quote: {} }))).toEqual({
      ok: false,
      reason: 'invalid-record',
      message: "price (from 'quote.last'): required (Float!) but missing",
    });
  });

  it('refuses values that are not JSON as before', () => {
    expect(compileFieldMutation(reference()).decode(bytes('{'))).toMatchObject({ ok: false, reason: 'not-json' });
    expect(compileFieldMutation(reference()).decode(null)).toMatchObject({ ok: false, reason: 'empty-value' });
  });

  it('refuses mapped names the field does not take', () => {
    expect(() => compileFieldMutation(reference(), { map: { symbol: 'ticker' } })).toThrow(ConfigError);
    expect(() => compileFieldMutation(reference(), { map: { symbol: 'ticker' } })).toThrow(
      expect.objectContaining({
        code: 'ARGUMENT_MAP_UNKNOWN_ARGUMENT',
        message: "argument map names 'symbol', which tickerlocal does not take (arguments: id, ticker, price, matchtime)",
      }),
    );
  });

  it("applies tickerflow's quote rules when the field takes exactly the quote fields", () => {
    const template = compileFieldMutation(mutationField(schemaFromSdl(TICKERFLOW_SDL), 'tickerlocal'));
    expect(template.quoteRules).toBe(true);
    expect(template.missingSelection).toEqual([]);
    expect(template.decode(bytes({ ...quote('A', 1), price: -1 }))).toEqual({ ok: false, reason: 'invalid-quote', message: 'price must be a number > 0, got -1' });
    expect(template.build([quote('A', 1)]).query).toContain('$seq_0: Int!');
  });
});
