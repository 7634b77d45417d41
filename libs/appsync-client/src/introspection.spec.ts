import { buildSchema, graphqlSync } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SUBSCRIPTION_SHAPE_QUERY, subscriptionShapeFrom } from './introspection';

const REFERENCE = `
directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
enum Side { BUY SELL }
type Venue { name: String }
type Tickerdata { id: ID! ticker: String! price: Float! matchtime: String side: Side venue: Venue tags: [String!] }
type Query { ping: String }
type Mutation { tickerlocal(id: ID!, ticker: String!, price: Float!, matchtime: String): Tickerdata! }
type Subscription {
  tickerlocal(id: ID, ticker: String, price: Float): Tickerdata @aws_subscribe(mutations: ["tickerlocal"])
  many: [Tickerdata!]! @aws_subscribe(mutations: ["tickerlocal"])
  opaque: String
}
`;

const answer = () => {
  const result = graphqlSync({ schema: buildSchema(REFERENCE), source: SUBSCRIPTION_SHAPE_QUERY });
  expect(result.errors).toBeUndefined();
  return result.data;
};

describe('subscriptionShapeFrom', () => {
  it("reads a field's arguments and its return type's scalar and enum fields (lists of scalars too), in schema order", () => {
    expect(subscriptionShapeFrom(answer(), 'tickerlocal')).toEqual({
      args: ['id', 'ticker', 'price'],
      scalarFields: ['id', 'ticker', 'price', 'matchtime', 'side', 'tags'],
    });
  });

  it('unwraps non-null lists', () => {
    expect(subscriptionShapeFrom(answer(), 'many')?.args).toEqual([]);
  });

  it.each([
    ['an unknown field', 'nope'],
    ['a field returning a scalar (no selection to make)', 'opaque'],
  ])('is undefined for %s', (_what, field) => {
    expect(subscriptionShapeFrom(answer(), field)).toBeUndefined();
  });

  it.each([null, {}, { __schema: null }, { __schema: { subscriptionType: null } }, 'junk'])('is undefined for an answer like %j', (data) => {
    expect(subscriptionShapeFrom(data, 'tickerlocal')).toBeUndefined();
  });
});
