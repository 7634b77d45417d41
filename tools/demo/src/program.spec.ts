import { describe, expect, it } from 'vitest';
import { parseGraphqlUrl } from './program';

describe('parseGraphqlUrl', () => {
  it.each([
    ['{"graphqlUrl":"http://127.0.0.1:4001/graphql","realtimeUrl":"ws://127.0.0.1:4001/graphql/realtime"}', 'http://127.0.0.1:4001/graphql'],
    ['appsync-local listening', undefined],
    ['{"level":30,"msg":"started"}', undefined],
  ])('%s -> %s', (line, expected) => {
    expect(parseGraphqlUrl(line)).toBe(expected);
  });
});
