import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tickerflow/core';
import { aliasIndex, compileMutation } from './mutation';
import { quote } from './test-helpers';

describe('compileMutation', () => {
  it('builds one aliased call per quote, selecting every quote field', () => {
    const template = compileMutation();
    const request = template.build([quote('AAPL', 1), quote('MSFT', 2, { id: 'a"b\\c' })]);
    expect(request.query).toBe(
      'mutation Publish {' +
        ' q0: tickerlocal(id: "AAPL-1-t", ticker: "AAPL", seq: 1, price: 101, bid: 100.5, ask: 101.5, size: 10, matchtime: "2026-11-25T02:30:00.123Z", ts: 1764037800123) { id ticker seq price bid ask size matchtime ts }' +
        ' q1: tickerlocal(id: "a\\"b\\\\c", ticker: "MSFT", seq: 2, price: 102, bid: 101.5, ask: 102.5, size: 10, matchtime: "2026-11-25T02:30:00.123Z", ts: 1764037800123) { id ticker seq price bid ask size matchtime ts } }',
    );
    expect(() => parse(request.query)).not.toThrow();
    expect(template.missingSelection).toEqual([]);
  });

  it('accepts another field name', () => {
    expect(compileMutation('publishQuote').build([quote('A', 1)]).query).toContain('q0: publishQuote(id: "A-1-t"');
  });

  it('accepts a document for another schema and inlines the variables', () => {
    const template = compileMutation('mutation { putQuote(input: {symbol: $ticker, last: $price, n: $seq}) { symbol last } }');
    expect(template.build([quote('IBM', 7)]).query).toBe(
      'mutation Publish { q0: putQuote(input: {symbol: "IBM", last: 107, n: 7}) { symbol last } }',
    );
    expect(template.field).toBe('putQuote');
    expect(template.missingSelection).toEqual(['id', 'ticker', 'seq', 'price', 'bid', 'ask', 'size', 'matchtime', 'ts']);
  });

  it.each([
    ['query { a }', '--mutation must hold exactly one mutation operation'],
    ['mutation { a(x: $x) { id } }', '--mutation uses variables that are not quote fields: $x'],
    ['mutation { a { id } b { id } }', '--mutation must call exactly one mutation field'],
    ['mutation { a(id: $id) }', '--mutation must select the result fields of a'],
    ['mutation {', '--mutation is not a GraphQL document or a field name'],
  ])('rejects %j', (spec, message) => {
    expect(() => compileMutation(spec)).toThrow(ConfigError);
    expect(() => compileMutation(spec)).toThrow(message);
  });

  it('probes with a document that validates the mutation but runs only __typename', () => {
    const probe = compileMutation().probe(quote('CHECK', 1));
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
