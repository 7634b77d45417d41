import { describe, expect, it } from 'vitest';
import { createDocumentCache, shapeOf } from './documents';
import { loadAppSyncSchema } from './schema';

const mutation = (seq: string, matchtime = '"2026-11-25T02:30:00.123Z"', extra = '') =>
  `mutation { a: tickerlocal(id: "x-${seq}", ticker: "X", seq: ${seq}, price: 1.5, bid: 1, ask: 2, size: 3, matchtime: ${matchtime}, ts: 1795574436050.5) { id seq ${extra} } }`;

describe('shapeOf', () => {
  it.each([
    ['blanks strings and numbers, keeping names with digits', 'mutation { q0: f(a: "x\\"y", b: -12, c: 1.5e3, d: true, e: BTC2) }', 'mutation { q0: f(a: "", b: 0, c: 0.0, d: true, e: BTC2) }'],
    ['has no literals', 'mutation M($a: Int) { f(a: $a) { id } }', undefined],
    ['has a comment', 'mutation { f(a: 1) } # "x', undefined],
    ['has a block string', 'mutation { f(a: """x""") }', undefined],
  ])('%s', (_name, query, expected) => {
    expect(shapeOf(query)).toBe(expected);
  });
});

describe('createDocumentCache', () => {
  const { schema } = loadAppSyncSchema();

  it('accepts documents of a known shape and still checks their literal values', () => {
    const cache = createDocumentCache(schema);
    expect(cache.prepare(mutation('1')).ok).toBe(true);
    expect(cache.prepare(mutation('2')).ok).toBe(true); // known shape: fast path
    const outOfRange = cache.prepare(mutation('99999999999'));
    expect(outOfRange.ok).toBe(false);
    if (!outOfRange.ok) expect(outOfRange.errors[0]?.message).toContain('Int cannot represent non 32-bit signed integer value');
  });

  it('checks AWS scalars on the fast path', () => {
    const cache = createDocumentCache(schema);
    expect(cache.prepare(mutation('1')).ok).toBe(true);
    const badDate = cache.prepare(mutation('2', '5'));
    expect(badDate.ok).toBe(false); // a different shape anyway (number), checked fully
    expect(cache.prepare(mutation('3', '"also fine: no format check"')).ok).toBe(true);
  });

  it('refuses an unknown field whatever the shape cache holds', () => {
    const cache = createDocumentCache(schema);
    expect(cache.prepare(mutation('1')).ok).toBe(true);
    const bad = cache.prepare(mutation('2', undefined, 'badfield'));
    expect(bad.ok).toBe(false);
  });

  it('caches documents without literals by exact text', () => {
    const cache = createDocumentCache(schema, 2);
    const query = 'mutation M($s: Int!) { tickerlocal(id: "x", ticker: "X", seq: $s, price: 1, bid: 1, ask: 1, size: 1, matchtime: "m", ts: 1) { id } }';
    const first = cache.prepare(query);
    expect(cache.prepare(query)).toBe(first);
    cache.prepare('{ __typename }');
    cache.prepare('{ getTickerdata(id: "a") { id } }');
    expect(cache.size).toBe(2);
  });
});
