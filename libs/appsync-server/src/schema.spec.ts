import { describe, expect, it } from 'vitest';
import { TICKERLOCAL_ARGUMENT_TYPES } from '@tickerflow/appsync-protocol';
import { QUOTE_FIELDS, QUOTE_GRAPHQL_TYPES } from '@tickerflow/quote';
import { loadAppSyncSchema } from './schema';

// The bridge builds `tickerlocal` mutations from the quote's field list without asking the API,
// so schema/tickerlocal.graphql (what appsync-local serves and what users paste into AppSync) must
// declare exactly those fields and types.
describe('the default schema (schema/tickerlocal.graphql)', () => {
  const { schema, triggers } = loadAppSyncSchema();

  it('takes every quote field as a required tickerlocal argument', () => {
    const args = schema.getMutationType()?.getFields()['tickerlocal']?.args ?? [];
    expect(Object.fromEntries(args.map((arg) => [arg.name, String(arg.type)]))).toEqual(TICKERLOCAL_ARGUMENT_TYPES);
  });

  it('returns every quote field, nullable, to subscribers of tickerlocal', () => {
    const fields = schema.getSubscriptionType()?.getFields()['tickerlocal']?.type;
    expect(String(fields)).toBe('Tickerdata');
    const tickerdata = schema.getType('Tickerdata') as { getFields(): Record<string, { type: unknown }> };
    const declared = Object.entries(tickerdata.getFields()).map(([name, field]) => [name, String(field.type)]);
    expect(declared).toEqual(QUOTE_FIELDS.map((field) => [field, QUOTE_GRAPHQL_TYPES[field]]));
    expect(triggers.get('tickerlocal')).toEqual(['tickerlocal']);
  });
});
