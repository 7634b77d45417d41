import { introspectionFromSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tickerflow/core';
import { REFERENCE_SDL } from './reference-schema.fixture';
import { mutationField, schemaFromIntrospection, schemaFromSdl } from './schema-field';

const describeField = (field: ReturnType<typeof mutationField>) => ({
  name: field.name,
  arguments: field.arguments.map((argument) => `${argument.name}: ${String(argument.type)}`),
  selection: field.selection,
});

const REFERENCE_FIELD = {
  name: 'tickerlocal',
  arguments: ['id: ID!', 'ticker: String!', 'price: Float!', 'matchtime: String'],
  selection: ['id', 'ticker', 'price', 'matchtime'],
};

describe('argument discovery', () => {
  it('reads the arguments and the result scalars from an SDL file, AppSync scalars and directives undeclared', () => {
    expect(describeField(mutationField(schemaFromSdl(REFERENCE_SDL), 'tickerlocal'))).toEqual(REFERENCE_FIELD);
  });

  it('reads the same from an introspection answer', () => {
    const data = introspectionFromSchema(schemaFromSdl(REFERENCE_SDL));
    expect(describeField(mutationField(schemaFromIntrospection(data)!, 'tickerlocal'))).toEqual(REFERENCE_FIELD);
  });

  it('takes AWS scalars as the arguments declare them, and selects leaf fields only', () => {
    const schema = schemaFromSdl(`
      type Leg { qty: Int }
      type Trade @aws_api_key { at: AWSDateTime! side: Side legs: [Leg] tags: [String] note(format: String!): String }
      enum Side { BUY SELL }
      type Mutation { trade(at: AWSDateTime!, epoch: AWSTimestamp, side: Side): Trade }`);
    expect(describeField(mutationField(schema, 'trade'))).toEqual({
      name: 'trade',
      arguments: ['at: AWSDateTime!', 'epoch: AWSTimestamp', 'side: Side'],
      selection: ['at', 'side', 'tags'],
    });
  });

  it('selects nothing when the field returns a scalar', () => {
    expect(mutationField(schemaFromSdl('type Mutation { ping(n: Int): Boolean }'), 'ping').selection).toEqual([]);
  });

  it.each([
    ['a missing field', REFERENCE_SDL, 'publish', "the schema has no mutation field 'publish' (mutation fields: tickerlocal)"],
    ['no Mutation type', 'type Query { a: Int }', 'publish', "the schema has no mutation field 'publish' (it has no Mutation type)"],
  ])('refuses %s', (_name, sdl, field, message) => {
    expect(() => mutationField(schemaFromSdl(sdl), field)).toThrow(ConfigError);
    expect(() => mutationField(schemaFromSdl(sdl), field)).toThrow(message);
  });

  it('names the file when the SDL does not parse', () => {
    expect(() => schemaFromSdl('type Mutation {', 'schema file api.graphql')).toThrow(/^schema file api\.graphql: Syntax Error/);
  });

  it('finds no schema in an answer without __schema', () => {
    expect(schemaFromIntrospection({})).toBeUndefined();
    expect(schemaFromIntrospection(null)).toBeUndefined();
  });
});
