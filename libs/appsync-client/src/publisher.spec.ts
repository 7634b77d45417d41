import { AuthError, GraphQLResponseError, TransportError } from '@tickerflow/core';
import { describe, expect, it } from 'vitest';
import { RetryableHttpError, interpretResponse, parseRetryAfter } from './publisher';

const where = 'http://127.0.0.1:4000/graphql';

describe('interpretResponse', () => {
  it('returns data, and field errors for the caller to judge', () => {
    expect(interpretResponse(200, '{"data":{"q0":{"id":"a"}}}', undefined, where)).toEqual({ data: { q0: { id: 'a' } } });
    const partial = interpretResponse(200, '{"data":{"q0":null},"errors":[{"message":"bad","errorType":"X","path":["q0"]}]}', undefined, where);
    expect(partial).toEqual({ data: { q0: null }, errors: [{ message: 'bad', errorType: 'X', path: ['q0'] }] });
  });

  it.each([401, 403])('maps %i to AuthError', (status) => {
    const call = () =>
      interpretResponse(status, '{"errors":[{"errorType":"UnauthorizedException","message":"You are not authorized to make this call."}]}', undefined, where);
    expect(call).toThrow(AuthError);
    expect(call).toThrow(`${where} refused the API key (HTTP ${status}: UnauthorizedException: You are not authorized to make this call.)`);
  });

  it.each([
    [429, '3', 3000, 'HTTP_THROTTLED'],
    [503, undefined, undefined, 'HTTP_SERVER_ERROR'],
    [500, 'soon', undefined, 'HTTP_SERVER_ERROR'],
  ])('maps %i to a retriable TransportError (Retry-After %j)', (status, retryAfter, retryAfterMs, code) => {
    try {
      interpretResponse(status, 'oops', retryAfter, where);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toBeInstanceOf(RetryableHttpError);
      const typed = error as RetryableHttpError;
      expect([typed.retriable, typed.status, typed.retryAfterMs, typed.code]).toEqual([true, status, retryAfterMs, code]);
    }
  });

  it('maps other 4xx to GraphQLResponseError with the errorType', () => {
    try {
      interpretResponse(400, '{"errors":[{"message":"Unable to parse GraphQL query.","errorType":"MalformedHttpRequestException"}]}', undefined, where);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GraphQLResponseError);
      expect((error as GraphQLResponseError).errorType).toBe('MalformedHttpRequestException');
      expect((error as GraphQLResponseError).status).toBe(400);
      expect((error as GraphQLResponseError).retriable).toBe(false);
    }
  });

  it('treats a 200 that is not JSON as a GraphQLResponseError', () => {
    expect(() => interpretResponse(200, '<html>', undefined, where)).toThrow(GraphQLResponseError);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T02:30:00Z');
  it.each([
    [undefined, undefined],
    ['0', 0],
    ['120', 120_000],
    ['Wed, 25 Nov 2026 02:30:05 GMT', 5_000],
    ['Wed, 25 Nov 2026 02:29:00 GMT', 0],
    ['later', undefined],
  ])('%j -> %j', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});
