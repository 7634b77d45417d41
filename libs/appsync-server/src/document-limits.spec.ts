import { Lexer, Source, TokenKind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { documentLimitProblem, exceedsTokenLimit } from './document-limits';

/** Tokens as graphql-js's parser counts them for its maxTokens option. */
function graphqlTokens(text: string): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count += 1;
  return count;
}

const LIMITS = { maxRootFields: 3, maxDepth: 3, maxFragments: 2, maxFieldsPerResponseKey: 2 };

describe('exceedsTokenLimit', () => {
  it.each([
    '{ a b c }',
    'query Q($v: [Int!]! = [1, -2.5e+3, 4E-2]) { a(x: $v, y: "s\\"t,r # not a comment", z: """block "" \\""" ok""") @d { ...F ... on T { b } } } # comment',
    'fragment F on T { a: b(c: -1, d: 0.5, e: true, f: null, g: ENUM, h: {k: [1 2]}) }',
    'mutation { tickerlocal(id: "BTC-1", ticker: "BTC", seq: 1, price: 101.5, matchtime: "2026-11-25T02:30:00.123Z", ts: 1795574436051) { id } }',
  ])('counts like graphql-js: %s', (text) => {
    const tokens = graphqlTokens(text);
    expect(exceedsTokenLimit(text, tokens)).toBe(false);
    expect(exceedsTokenLimit(text, tokens - 1)).toBe(true);
  });

  it('refuses 100,000 aliased fields without parsing them', () => {
    const text = `{ ${Array.from({ length: 100_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    expect(exceedsTokenLimit(text, 50_000)).toBe(true);
  });
});

describe('documentLimitProblem', () => {
  it.each([
    ['{ a b c }', undefined],
    ['{ a b c d }', 'more than 3 resolver fields'],
    ['{ ...F d } fragment F on Q { a b c }', 'more than 3 resolver fields'],
    ['{ a { b { c } } }', undefined],
    ['{ a { b { c { d } } } }', 'deeper than 3 levels'],
    ['{ a { ...F } } fragment F on T { b { c { d } } }', 'deeper than 3 levels'],
    ['{ ...A } fragment A on Q { ...A }', undefined],
    ['{ ...A ...A ...A }', 'more than 2 fragments'],
    ['{ x: a x: a x: a }', "more than 2 fields answer to the key 'x'"],
  ])('%s → %s', (text, problem) => {
    const found = documentLimitProblem(parse(text), LIMITS);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});
