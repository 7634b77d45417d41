import { buildSchema, parse, print, validate, Kind, type OperationDefinitionNode, type FieldNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildBatchMutation, TICKERLOCAL_ARGUMENT_TYPES } from './batch-mutation';

// The default appsync-local schema's mutation, enough to validate documents against.
const SCHEMA = buildSchema(`
  scalar AWSDateTime
  type Tickerdata { id: String ticker: String seq: Int price: Float bid: Float ask: Float size: Float matchtime: AWSDateTime ts: Float }
  type Query { x: Int }
  type Mutation {
    tickerlocal(id: String!, ticker: String!, seq: Int!, price: Float!, bid: Float!, ask: Float!, size: Float!, matchtime: AWSDateTime!, ts: Float!): Tickerdata
  }
`);

const quote = (ticker: string, seq: number) => ({
  id: `${ticker}-${seq}-run1`,
  ticker,
  seq,
  price: 101.25,
  bid: 101.2,
  ask: 101.3,
  size: 3,
  matchtime: '2026-11-25T02:30:00.123Z',
  ts: 1_764_037_800_123,
});

function fields(query: string): FieldNode[] {
  const operation = parse(query).definitions[0] as OperationDefinitionNode;
  expect(operation.operation).toBe('mutation');
  return operation.selectionSet.selections as FieldNode[];
}

describe('buildBatchMutation', () => {
  it('builds one aliased call per quote, in order, that graphql parses', () => {
    const { query, variables } = buildBatchMutation([quote('BTC', 1), quote('ETH', 7)]);
    expect(variables).toEqual({});
    const calls = fields(query);
    expect(calls.map((call) => [call.alias?.value, call.name.value])).toEqual([
      ['q0', 'tickerlocal'],
      ['q1', 'tickerlocal'],
    ]);
    const args = Object.fromEntries(calls[1]!.arguments!.map((arg) => [arg.name.value, print(arg.value)]));
    expect(args).toEqual({
      id: '"ETH-7-run1"',
      ticker: '"ETH"',
      seq: '7',
      price: '101.25',
      bid: '101.2',
      ask: '101.3',
      size: '3',
      matchtime: '"2026-11-25T02:30:00.123Z"',
      ts: '1764037800123',
    });
    expect(calls[0]!.selectionSet!.selections.map((s) => (s as FieldNode).name.value)).toEqual([
      'id', 'ticker', 'seq', 'price', 'bid', 'ask', 'size', 'matchtime', 'ts',
    ]);
  });

  it('with variableTypes: one declared variable per alias and argument, same text per batch size', () => {
    const first = buildBatchMutation([quote('BTC', 1), quote('ETH', 2)], { variableTypes: TICKERLOCAL_ARGUMENT_TYPES });
    const second = buildBatchMutation([quote('SOL', 3), quote('BTC', 4)], { variableTypes: TICKERLOCAL_ARGUMENT_TYPES });
    expect(second.query).toBe(first.query);
    expect(validate(SCHEMA, parse(first.query))).toEqual([]);
    const operation = parse(first.query).definitions[0] as OperationDefinitionNode;
    expect(operation.variableDefinitions!.map((d) => `${d.variable.name.value}: ${print(d.type)}`).slice(0, 3)).toEqual([
      'q0_id: String!',
      'q0_ticker: String!',
      'q0_seq: Int!',
    ]);
    expect(first.variables).toMatchObject({ q0_ticker: 'BTC', q1_ticker: 'ETH', q1_seq: 2, q1_ts: 1_764_037_800_123 });
    expect(Object.keys(first.variables)).toHaveLength(18);
    expect(second.variables['q0_ticker']).toBe('SOL');
  });

  it('literal documents validate against the schema too', () => {
    expect(validate(SCHEMA, parse(buildBatchMutation([quote('BTC', 1)]).query))).toEqual([]);
  });

  it('honours mutationField, selection and alias prefix', () => {
    const { query } = buildBatchMutation([{ ticker: 'BTC', seq: 1 }], {
      mutationField: 'publishQuote',
      selection: ['ticker'],
      aliasPrefix: 'm',
    });
    expect(query).toBe('mutation Publish { m0: publishQuote(ticker: "BTC", seq: 1) { ticker } }');
    expect(() => parse(query)).not.toThrow();
  });

  it('escapes strings so hostile values stay strings', () => {
    const nasty = 'a"b\\c\nd\u2028 } mutation { x }';
    const { query } = buildBatchMutation([{ id: nasty, ok: true, none: null, skip: undefined }]);
    const call = fields(query)[0]!;
    const id = call.arguments!.find((arg) => arg.name.value === 'id')!.value;
    expect(id.kind).toBe(Kind.STRING);
    expect((id as { value: string }).value).toBe(nasty);
    expect(call.arguments!.map((arg) => print(arg.value))).toEqual([JSON.stringify(nasty), 'true', 'null']);
  });

  it.each([
    [[], {}, 'buildBatchMutation needs at least one item'],
    [[{ price: Number.NaN }], {}, "buildBatchMutation: argument 'price' is NaN, which GraphQL cannot carry"],
    [[{ 'bad-name': 1 }], { selection: ['x'] }, "buildBatchMutation: 'bad-name' is not a valid GraphQL argument name"],
    [[{ a: 1 }], { mutationField: 'x y' }, "buildBatchMutation: mutation field 'x y' is not a valid GraphQL name"],
    [[{ a: 1 }], { variableTypes: { a: 'Int) { x }' } }, "buildBatchMutation: 'Int) { x }' is not a GraphQL input type"],
    [[{ a: Infinity }], { variableTypes: { a: 'Float' } }, "buildBatchMutation: argument 'a' is Infinity, which GraphQL cannot carry"],
  ])('rejects %j %j', (items, options, message) => {
    expect(() => buildBatchMutation(items, options)).toThrow(message);
  });

  it('builds 1000 quotes quickly', () => {
    const quotes = Array.from({ length: 1000 }, (_, index) => quote('BTC', index + 1));
    const started = performance.now();
    for (let round = 0; round < 20; round += 1) {
      buildBatchMutation(quotes);
      buildBatchMutation(quotes, { variableTypes: TICKERLOCAL_ARGUMENT_TYPES });
    }
    const perQuoteUs = ((performance.now() - started) * 1000) / 40_000;
    expect(perQuoteUs).toBeLessThan(20); // 20 µs per quote is 50k quotes/s on one core
    expect(fields(buildBatchMutation(quotes).query)).toHaveLength(1000);
  });
});
