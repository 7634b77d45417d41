import { buildSchema, GraphQLBoolean, GraphQLFloat, GraphQLID, GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLString, type GraphQLInputType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { coerceValue } from './coerce';

const schema = buildSchema(`
  scalar AWSDateTime scalar AWSTimestamp scalar AWSJSON scalar AWSEmail
  enum Side { BUY SELL }
  input Leg { side: Side! qty: Int }
  type Query { x: Int }
`);
const type = (name: string) => schema.getType(name) as GraphQLInputType;

describe('coerceValue', () => {
  it.each([
    ['an integer to ID', 0, GraphQLID, '0'],
    ['a string to ID', 'abc', GraphQLID, 'abc'],
    ['an integer to String', 42, GraphQLString, '42'],
    ['a numeric string to Float', '106.5', GraphQLFloat, 106.5],
    ['an exponent string to Float', '1e3', GraphQLFloat, 1000],
    ['an integer to Float', 7, GraphQLFloat, 7],
    ['an integer string to Int', '-12', GraphQLInt, -12],
    ["'true' to Boolean", 'true', GraphQLBoolean, true],
    ['an ISO date-time with Z to AWSDateTime', '2026-12-01T10:50:59.222Z', type('AWSDateTime'), '2026-12-01T10:50:59.222Z'],
    ['an ISO date-time with an offset to AWSDateTime', '2026-12-01T10:50:59+02:00', type('AWSDateTime'), '2026-12-01T10:50:59+02:00'],
    ['epoch seconds to AWSTimestamp', 1_764_586_259, type('AWSTimestamp'), 1_764_586_259],
    ['whole epoch milliseconds to AWSTimestamp', 1_764_586_259_000, type('AWSTimestamp'), 1_764_586_259],
    ['an ISO date-time with whole seconds to AWSTimestamp', '2025-12-01T10:50:59Z', type('AWSTimestamp'), 1_764_586_259],
    ['an object to AWSJSON', { a: 1 }, type('AWSJSON'), '{"a":1}'],
    ['a string to AWSEmail (AppSync checks it)', 'a@b.c', type('AWSEmail'), 'a@b.c'],
    ['an enum name', 'BUY', type('Side'), 'BUY'],
    ['a list element by element', ['1', 2], new GraphQLList(GraphQLFloat), [1, 2]],
    ['a single value to a list', 5, new GraphQLList(GraphQLInt), [5]],
    ['an input object, field by field, extra fields ignored', { side: 'SELL', qty: '3', note: 'x' }, type('Leg'), { side: 'SELL', qty: 3 }],
    ['null for a nullable type', null, GraphQLString, null],
    ['absent for a nullable type', undefined, GraphQLString, undefined],
  ])('%s', (_name, value, target, expected) => {
    expect(coerceValue(value, target, 'f')).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['absent for a required type', undefined, new GraphQLNonNull(GraphQLFloat), 'price: required (Float!) but missing'],
    ['null for a required type', null, new GraphQLNonNull(GraphQLID), 'price: required (ID!) but null'],
    ['a fraction to ID', 1.5, GraphQLID, 'price: cannot make an ID of 1.5'],
    ['a boolean to String', true, GraphQLString, 'price: cannot make a String of true'],
    ['a word to Float', 'abc', GraphQLFloat, 'price: cannot make a Float of "abc"'],
    ['Infinity-like text to Float', 'Infinity', GraphQLFloat, 'price: cannot make a Float of "Infinity"'],
    ['a fraction to Int', 1.5, GraphQLInt, 'price: cannot make an Int of 1.5'],
    ['an Int out of 32 bits', 2 ** 31, GraphQLInt, 'price: cannot make an Int of 2147483648'],
    ['a number to Boolean', 1, GraphQLBoolean, 'price: cannot make a Boolean of 1'],
    [
      'a date-time without offset to AWSDateTime',
      '2026-12-01T10:50:59.222824',
      type('AWSDateTime'),
      'price: cannot make an AWSDateTime of "2026-12-01T10:50:59.222824": it has no UTC offset (e.g. Z), which AWSDateTime requires',
    ],
    ['a number to AWSDateTime', 1_764_586_259_000, type('AWSDateTime'), 'price: cannot make an AWSDateTime of 1764586259000'],
    ['fractional seconds to AWSTimestamp', 1_764_586_259.5, type('AWSTimestamp'), 'price: cannot make an AWSTimestamp of 1764586259.5: AWSTimestamp is whole epoch seconds'],
    ['milliseconds that are not whole seconds to AWSTimestamp', 1_764_586_259_123, type('AWSTimestamp'), 'price: cannot make an AWSTimestamp of 1764586259123: AWSTimestamp is whole epoch seconds'],
    ['an unknown enum name', 'HOLD', type('Side'), 'price: expected one of BUY, SELL (Side), got "HOLD"'],
    ['a string for an input object', 'x', type('Leg'), 'price: expected an object (Leg), got "x"'],
    ['an input object missing a required field', { qty: 1 }, type('Leg'), 'price.side: required (Side!) but missing'],
    ['a bad list element', [1, 'x'], new GraphQLList(GraphQLFloat), 'price[1]: cannot make a Float of "x"'],
  ])('refuses %s', (_name, value, target, message) => {
    expect(coerceValue(value, target, 'price')).toEqual({ ok: false, message });
  });
});
