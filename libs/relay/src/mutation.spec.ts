import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tickerflow/core';
import { aliasIndex, compileMutation } from './mutation';
import { quote } from './test-helpers';

describe('compileMutation', () => {
  it('builds one aliased call per quote with indexed variables, selecting every quote field', () => {
    const template = compileMutation();
    const request = template.build([quote('AAPL', 1), quote('MSFT', 2)]);
    expect(request.query).toBe(
      'mutation Publish($id_0: String!, $ticker_0: String!, $seq_0: Int!, $price_0: Float!, $bid_0: Float!, $ask_0: Float!, $size_0: Float!, $matchtime_0: AWSDateTime!, $ts_0: Float!, ' +
        '$id_1: String!, $ticker_1: String!, $seq_1: Int!, $price_1: Float!, $bid_1: Float!, $ask_1: Float!, $size_1: Float!, $matchtime_1: AWSDateTime!, $ts_1: Float!) {' +
        ' q0: tickerlocal(id: $id_0, ticker: $ticker_0, seq: $seq_0, price: $price_0, bid: $bid_0, ask: $ask_0, size: $size_0, matchtime: $matchtime_0, ts: $ts_0) { id ticker seq price bid ask size matchtime ts }' +
        ' q1: tickerlocal(id: $id_1, ticker: $ticker_1, seq: $seq_1, price: $price_1, bid: $bid_1, ask: $ask_1, size: $size_1, matchtime: $matchtime_1, ts: $ts_1) { id ticker seq price bid ask size matchtime ts } }',
    );
    expect(request.variables).toMatchObject({ ticker_0: 'AAPL', seq_0: 1, ticker_1: 'MSFT', seq_1: 2, ts_1: 1764037800123 });
    expect(() => parse(request.query)).not.toThrow();
    expect(template.missingSelection).toEqual([]);
  });

  it('builds the document once per batch size', () => {
    const template = compileMutation();
    expect(template.build([quote('A', 1)]).query).toBe(template.build([quote('B', 9)]).query);
  });

  it('accepts another field name', () => {
    expect(compileMutation('publishQuote').build([quote('A', 1)]).query).toContain('q0: publishQuote(id: $id_0');
  });

  it('accepts a document for another schema', () => {
    const template = compileMutation(
      'mutation($ticker: ID!, $price: Float!, $seq: Int) { putQuote(input: {symbol: $ticker, last: $price, n: $seq}) { symbol last } }',
    );
    const request = template.build([quote('IBM', 7)]);
    expect(request.query).toBe(
      'mutation Publish($ticker_0: ID!, $price_0: Float!, $seq_0: Int) { q0: putQuote(input: {symbol: $ticker_0, last: $price_0, n: $seq_0}) { symbol last } }',
    );
    expect(request.variables).toEqual({ ticker_0: 'IBM', price_0: 107, seq_0: 7 });
    expect(template.field).toBe('putQuote');
    expect(template.missingSelection).toEqual(['id', 'ticker', 'seq', 'price', 'bid', 'ask', 'size', 'matchtime', 'ts']);
  });

  it.each([
    ['query { a }', 'the mutation must hold exactly one mutation operation'],
    ['mutation($x: Int) { a(x: $x) { id } }', 'the mutation uses variables that are not quote fields: $x'],
    ['mutation { a(id: $id) { id } }', 'the mutation must declare the types of $id'],
    ['mutation { a { id } b { id } }', 'the mutation must call exactly one mutation field'],
    ['mutation($id: ID) { a(id: $id) }', 'the mutation must select the result fields of a'],
    ['mutation {', 'the mutation is not a GraphQL document or a field name'],
  ])('rejects %j', (spec, message) => {
    expect(() => compileMutation(spec)).toThrow(ConfigError);
    expect(() => compileMutation(spec)).toThrow(expect.objectContaining({ code: 'MUTATION_INVALID', message: expect.stringContaining(message) }));
  });

  it('probes with a document that validates the mutation but runs only __typename', () => {
    const probe = compileMutation().probe();
    expect(probe.operationName).toBe('BridgeProbe');
    const document = parse(probe.query);
    expect(document.definitions.map((d) => (d.kind === 'OperationDefinition' ? d.operation : d.kind))).toEqual([
      'mutation',
      'query',
    ]);
  });
});

describe('aliasIndex', () => {
  it.each([
    [['q3'], 3],
    [['q0', 'ticker'], 0],
    [['tickerlocal'], undefined],
    [[], undefined],
    [null, undefined],
    [[7], undefined],
  ])('%j -> %j', (path, index) => {
    expect(aliasIndex(path as never)).toBe(index);
  });
});
