import { describe, expect, it } from 'vitest';
import { parseSdl } from './sdl';

describe('parseSdl', () => {
  it('returns the definitions and the names they declare', () => {
    const { definitions, declared } = parseSdl('type Query { a: AWSDateTime } scalar Extra');
    expect(definitions).toHaveLength(2);
    expect([...declared]).toEqual(['Query', 'Extra']);
  });

  it('refuses SDL that does not parse, naming the source', () => {
    expect(() => parseSdl('type Query {', 'schema file x.graphql')).toThrow(/^schema file x\.graphql: Syntax Error/);
  });
});
