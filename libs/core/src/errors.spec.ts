import { describe, expect, it } from 'vitest';
import { ConfigError, GraphQLResponseError, errorMessageWithCode } from './errors';

describe('errorMessageWithCode', () => {
  it.each([
    ['a system error whose message lacks its code', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'ECONNRESET socket hang up'],
    ['a message that already names the code', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'connect ECONNREFUSED 127.0.0.1:1'],
    ['an error without a code', new Error('plain'), 'plain'],
    ['a numeric code', Object.assign(new Error('closed'), { code: 1006 }), 'closed'],
    ['something not an Error', 'text', 'text'],
    ['null', null, 'null'],
  ])('%s', (_name, error, line) => {
    expect(errorMessageWithCode(error)).toBe(line);
  });
});

describe('error codes', () => {
  it.each([
    ['ConfigError', new ConfigError('bad'), 'CONFIG'],
    ['ConfigError with its own code', new ConfigError('bad', { code: 'ARGUMENT_MAP_INVALID' }), 'ARGUMENT_MAP_INVALID'],
    ['GraphQLResponseError', new GraphQLResponseError('refused'), 'GRAPHQL_RESPONSE'],
    ['GraphQLResponseError with its own code', new GraphQLResponseError('refused', { code: 'MUTATION_NOT_ACCEPTED' }), 'MUTATION_NOT_ACCEPTED'],
  ])('%s', (_name, error, code) => {
    expect(error.code).toBe(code);
    expect(error.retriable).toBe(false);
  });
});
