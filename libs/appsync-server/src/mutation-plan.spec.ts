import { describe, expect, it } from 'vitest';
import { execute, getOperationAST, parse, validate, type GraphQLResolveInfo } from 'graphql';
import { compileMutationPlan } from './mutation-plan';
import { publishedResult } from './projection';
import { loadAppSyncSchema, type MutationContext } from './schema';

const SDL = `
type Item { id: ID! name: String count: Int score: Float on: Boolean kind: Kind at: AWSDateTime meta: AWSJSON tags: [String] req: String! }
enum Kind { A B }
type Query { item(id: ID!): Item }
type Mutation {
  put(id: ID!, name: String, count: Int = 7, score: Float, on: Boolean, kind: Kind, at: AWSDateTime, meta: AWSJSON, tags: [String]): Item
  need(id: ID!, count: Int!): Item!
}
type Subscription { onPut(id: ID): Item @aws_subscribe(mutations: ["put"]) }
`;
const api = loadAppSyncSchema(SDL);
const tickers = loadAppSyncSchema();

/** What the server did before plans: graphql-js execute, then publishedResult per executed field. */
function reference(schemaApi: typeof api, query: string, variables?: Record<string, unknown>) {
  const document = parse(query);
  expect(validate(schemaApi.schema, document)).toEqual([]);
  const executed: { info: GraphQLResolveInfo; result: Record<string, unknown> }[] = [];
  const context: MutationContext = { onMutationField: (info, result) => executed.push({ info, result }) };
  const result = execute({ schema: schemaApi.schema, document, variableValues: variables, contextValue: context }) as Awaited<ReturnType<typeof execute>>;
  const events = executed.map(({ info, result: value }) => ({
    fieldName: info.fieldName,
    result: publishedResult(value, info.fieldNodes[0]?.selectionSet, info.fragments),
  }));
  return { document, result, events };
}

function planned(schemaApi: typeof api, query: string, variables?: Record<string, unknown>) {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (operation === null || operation === undefined) return { compiled: false, run: undefined };
  const plan = compileMutationPlan(schemaApi, document, operation);
  return { compiled: plan !== undefined, run: plan?.run(variables) };
}

const SAME: [string, string, Record<string, unknown>?][] = [
  ['all literals', 'mutation { put(id: "1", name: "a", count: 2, score: 1.5, on: true, kind: B, at: "2024-01-01T00:00:00Z", meta: "{}") { id name count score on kind at meta } }'],
  ['aliases, reordered and repeated sub-fields', 'mutation { x: put(id: 1, name: "n") { name i: id id name } y: put(id: "2") { count } }'],
  ['missing optional args give null, defaults apply', 'mutation { put(id: "1") { id name count score on kind } }'],
  ['__typename', 'mutation { put(id: "1") { __typename t: __typename id } }'],
  ['sub-field not in the arguments', 'mutation { need(id: "1", count: 3) { id name count } }'],
  ['variables', 'mutation M($i: ID!, $n: String, $c: Int, $s: Float, $k: Kind, $o: Boolean) { put(id: $i, name: $n, count: $c, score: $s, kind: $k, on: $o) { id name count score kind on } }', { i: 'x', n: 'y', c: 3, s: 2.5, k: 'A', o: false }],
  ['variable defaults and missing optional variables', 'mutation M($i: ID! = "d", $n: String = "dn", $c: Int) { put(id: $i, name: $n, count: $c) { id name count } }', {}],
  ['explicit null variable into a nullable argument with a default', 'mutation M($c: Int) { put(id: "1", count: $c) { count } }', { c: null }],
  ['ID variable given as an integer', 'mutation M($i: ID!) { put(id: $i) { id } }', { i: 12 }],
  ['extra variables are ignored', 'mutation M($i: ID!) { put(id: $i) { id } }', { i: 'a', other: 1 }],
  ['Float variable given an integer', 'mutation M($s: Float) { put(id: "1", score: $s) { score } }', { s: 3 }],
];

const FALLBACK: [string, string, Record<string, unknown>?][] = [
  ['missing required variable', 'mutation M($i: ID!) { put(id: $i) { id } }', {}],
  ['null for a non-null variable', 'mutation M($i: ID!) { put(id: $i) { id } }', { i: null }],
  ['wrong variable type', 'mutation M($c: Int) { put(id: "1", count: $c) { count } }', { c: 'three' }],
  ['Int out of range', 'mutation M($c: Int) { put(id: "1", count: $c) { count } }', { c: 2 ** 40 }],
  ['AWSDateTime variable not a string', 'mutation M($a: AWSDateTime) { put(id: "1", at: $a) { at } }', { a: 5 }],
  ['AWSJSON variable not JSON', 'mutation M($m: AWSJSON) { put(id: "1", meta: $m) { meta } }', { m: '{' }],
  ['bad enum variable', 'mutation M($k: Kind) { put(id: "1", kind: $k) { kind } }', { k: 'C' }],
  ['nullable variable null into a non-null argument', 'mutation M($c: Int = 1) { need(id: "1", count: $c) { count } }', { c: null }],
  ['non-null result sub-field missing', 'mutation { need(id: "1", count: 1) { id } put(id: "2") { id req } }'],
];

const NOT_PLANNED: [string, string][] = [
  ['fragments', 'mutation { put(id: "1") { ...F } } fragment F on Item { id }'],
  ['inline fragments', 'mutation { put(id: "1") { ... on Item { id } } }'],
  ['directives', 'mutation { put(id: "1") { id @include(if: true) } }'],
  ['list sub-fields', 'mutation { put(id: "1", tags: ["a"]) { tags } }'],
  ['list variables', 'mutation M($t: [String]) { put(id: "1", tags: $t) { id } }'],
  ['variables inside a list literal', 'mutation M($t: String) { put(id: "1", tags: [$t]) { id } }'],
  ['duplicate top-level response keys', 'mutation { put(id: "1") { id } put(id: "1") { name } }'],
  ['queries', 'query { item(id: "1") { id } }'],
];

describe('compileMutationPlan', () => {
  it.each(SAME)('gives what graphql-js execute gives: %s', (_name, query, variables) => {
    const expected = reference(api, query, variables);
    expect(expected.result.errors).toBeUndefined();
    const actual = planned(api, query, variables);
    expect(actual.compiled).toBe(true);
    expect(actual.run).toBeDefined();
    // Key order matters (the response and events are serialised): compare as JSON text too.
    expect(JSON.stringify(actual.run?.data)).toBe(JSON.stringify(expected.result.data));
    expect(JSON.stringify(actual.run?.events)).toBe(JSON.stringify(expected.events));
    expect(actual.run?.data).toEqual(expected.result.data);
  });

  it.each(FALLBACK)('declines (graphql-js then reports the error) on %s', (_name, query, variables) => {
    const expected = reference(api, query, variables);
    expect(expected.result.errors?.length).toBeGreaterThan(0);
    const actual = planned(api, query, variables);
    expect(actual.run).toBeUndefined();
  });

  it.each(NOT_PLANNED)('does not plan %s', (_name, query) => {
    expect(planned(api, query).compiled).toBe(false);
  });

  it('matches execute for the bridge-style batch on the default schema, literals and variables alike', () => {
    const fields = ['id', 'ticker', 'seq', 'price', 'bid', 'ask', 'size', 'matchtime', 'ts'] as const;
    const types: Record<string, string> = { id: 'String!', ticker: 'String!', seq: 'Int!', price: 'Float!', bid: 'Float!', ask: 'Float!', size: 'Float!', matchtime: 'AWSDateTime!', ts: 'Float!' };
    const quotes = Array.from({ length: 5 }, (_, i) => ({ id: `q${i}`, ticker: `T${i % 2}`, seq: i, price: 100 + i / 4, bid: 99.5, ask: 100.5, size: i, matchtime: '2024-05-01T10:00:00.123Z', ts: 1714557600123 + i }));
    const selection = fields.join(' ');
    const withVariables = `mutation Publish(${quotes.map((_, i) => fields.map((f) => `$q${i}_${f}: ${types[f]}`).join(', ')).join(', ')}) { ${quotes
      .map((_, i) => `q${i}: tickerlocal(${fields.map((f) => `${f}: $q${i}_${f}`).join(', ')}) { ${selection} }`)
      .join(' ')} }`;
    const variables = Object.fromEntries(quotes.flatMap((quote, i) => fields.map((f) => [`q${i}_${f}`, quote[f]])));
    const literal = `mutation { ${quotes.map((quote, i) => `q${i}: tickerlocal(${fields.map((f) => `${f}: ${JSON.stringify(quote[f])}`).join(', ')}) { ${selection} }`).join(' ')} }`;
    const expected = reference(tickers, withVariables, variables);
    expect(expected.events).toHaveLength(5);
    for (const [query, vars] of [[withVariables, variables], [literal, undefined]] as const) {
      const actual = planned(tickers, query, vars);
      expect(JSON.stringify(actual.run?.data)).toBe(JSON.stringify(expected.result.data));
      expect(JSON.stringify(actual.run?.events)).toBe(JSON.stringify(expected.events));
    }
  });
});
