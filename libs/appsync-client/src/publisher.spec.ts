import { AuthError, GraphQLResponseError, TransportError } from '@tickerflow/core';
import { describe, expect, it } from 'vitest';
import { RetryableHttpError, interpretResponse, parseRetryAfter, type HttpAnswer } from './publisher';

const where = 'http://127.0.0.1:4000/graphql';
const JSON_TYPE = 'application/json; charset=UTF-8';
const answer = (status: number, text: string, extra: Partial<HttpAnswer> = {}): HttpAnswer => ({ status, text, contentType: JSON_TYPE, ...extra });

function thrown(http: HttpAnswer): unknown {
  try {
    interpretResponse(http, where);
  } catch (error) {
    return error;
  }
  throw new Error('expected interpretResponse to throw');
}

describe('interpretResponse', () => {
  it('returns data, and field errors for the caller to judge', () => {
    expect(interpretResponse(answer(200, '{"data":{"q0":{"id":"a"}}}'), where)).toEqual({ data: { q0: { id: 'a' } } });
    const partial = interpretResponse(answer(200, '{"data":{"q0":null},"errors":[{"message":"bad","errorType":"X","path":["q0"]}]}'), where);
    expect(partial).toEqual({ data: { q0: null }, errors: [{ message: 'bad', errorType: 'X', path: ['q0'] }] });
  });

  it.each([
    ['{"data":null}', { data: null }],
    ['{"errors":[{"message":"boom"}]}', { data: null, errors: [{ message: 'boom' }] }],
  ])('passes a GraphQL answer without data (%s) to the caller, who accepts nothing from it', (text, result) => {
    expect(interpretResponse(answer(200, text), where)).toEqual(result);
  });

  it('reads application/graphql-response+json as JSON too', () => {
    expect(interpretResponse(answer(200, '{"data":{"q0":{}}}', { contentType: 'application/graphql-response+json' }), where)).toEqual({ data: { q0: {} } });
  });

  it.each([401, 403])('maps %i to AuthError', (status) => {
    const http = answer(status, '{"errors":[{"errorType":"UnauthorizedException","message":"You are not authorized to make this call."}]}');
    expect(thrown(http)).toBeInstanceOf(AuthError);
    expect((thrown(http) as Error).message).toBe(
      `${where} refused the API key (HTTP ${status}: UnauthorizedException: You are not authorized to make this call.)`,
    );
  });

  it.each([
    [429, '3', 3000, 'HTTP_THROTTLED'],
    [503, undefined, undefined, 'HTTP_SERVER_ERROR'],
    [500, 'soon', undefined, 'HTTP_SERVER_ERROR'],
    [408, '1', 1000, 'HTTP_RETRYABLE'],
    [425, undefined, undefined, 'HTTP_RETRYABLE'],
  ])('maps %i to a retriable TransportError (Retry-After %j)', (status, retryAfter, retryAfterMs, code) => {
    const error = thrown(answer(status, 'oops', { contentType: 'text/plain', retryAfter }));
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toBeInstanceOf(RetryableHttpError);
    const typed = error as RetryableHttpError;
    expect([typed.retriable, typed.status, typed.retryAfterMs, typed.code]).toEqual([true, status, retryAfterMs, code]);
    expect(typed.message).toBe(`${where} answered HTTP ${status}: oops`);
  });

  it('maps other 4xx to a GraphQLResponseError with the status and errorType', () => {
    const error = thrown(answer(400, '{"errors":[{"message":"Unable to parse GraphQL query.","errorType":"MalformedHttpRequestException"}]}'));
    expect(error).toBeInstanceOf(GraphQLResponseError);
    const typed = error as GraphQLResponseError;
    expect([typed.errorType, typed.status, typed.retriable]).toEqual(['MalformedHttpRequestException', 400, false]);
  });

  it.each([
    ['an HTML page', answer(200, '<html><body>Welcome</body></html>', { contentType: 'text/html' }), 'content-type text/html: <html><body>Welcome</body></html>'],
    ['no content type', answer(200, '{"data":{"q0":{}}}', { contentType: undefined }), 'content-type (none): {"data":{"q0":{}}}'],
    ['JSON served as text/plain', answer(200, '{"data":{"q0":{}}}', { contentType: 'text/plain' }), 'content-type text/plain: {"data":{"q0":{}}}'],
    ['a body that is not JSON', answer(200, 'ok'), 'a body that is not a GraphQL answer: ok'],
    ['{}', answer(200, '{}'), 'a body that is not a GraphQL answer: {}'],
    ['a JSON array', answer(200, '[]'), 'a body that is not a GraphQL answer: []'],
    ['data that is not an object', answer(200, '{"data":5}'), 'a body that is not a GraphQL answer: {"data":5}'],
    ['errors that are not an array', answer(200, '{"data":null,"errors":"no"}'), 'a body that is not a GraphQL answer: {"data":null,"errors":"no"}'],
    ['an empty body', answer(200, ''), 'a body that is not a GraphQL answer'],
  ])('refuses a 200 with %s (GraphQLResponseError, status 200)', (_name, http, detail) => {
    const error = thrown(http) as GraphQLResponseError;
    expect(error).toBeInstanceOf(GraphQLResponseError);
    expect(error.status).toBe(200);
    expect(error.message).toBe(`${where} answered HTTP 200 with ${detail}`);
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
