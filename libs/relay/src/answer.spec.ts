import { describe, expect, it } from 'vitest';
import { classifyErrorType, judgeAnswer } from './answer';
import type { GraphQLResult } from './types';

describe('classifyErrorType', () => {
  it.each([
    ['InternalFailure', 'transient'],
    ['ExecutionTimeout', 'transient'],
    ['ThrottlingException', 'transient'],
    ['TooManyRequestsException', 'transient'],
    ['LimitExceededException', 'transient'],
    ['DynamoDB:ProvisionedThroughputExceededException', 'transient'],
    ['Lambda:TooManyRequestsException', 'transient'],
    ['Lambda:ServiceException', 'transient'],
    ['ValidationError', 'permanent'],
    ['MappingTemplate', 'permanent'],
    ['Lambda:Unhandled', 'permanent'],
    ['DynamoDB:ConditionalCheckFailedException', 'permanent'],
    ['QuoteRejected', 'permanent'],
    [undefined, 'permanent'],
    ['UnauthorizedException', 'auth'],
    ['Unauthorized', 'auth'],
  ] as const)('%s is %s', (errorType, expected) => {
    expect(classifyErrorType(errorType)).toBe(expected);
  });
});

const ok = { kind: 'accepted' } as const;
const retry = (message: string) => ({ kind: 'retry', message }) as const;
const reject = (message: string) => ({ kind: 'rejected', message }) as const;
const NO_DATA = 'the answer carries no data for it and no error';
const STOPPED = 'no data: an error at another quote of the request nulled or stopped it';

describe('judgeAnswer', () => {
  it.each<[string, GraphQLResult, ReturnType<typeof judgeAnswer>]>([
    ['every alias with data', { data: { q0: { id: 'a' }, q1: { id: 'b' } } }, { quotes: [ok, ok] }],
    [
      '{"data":null}',
      { data: null },
      { quotes: [retry(NO_DATA), retry(NO_DATA)], unexpected: { kind: 'no-data', message: 'the answer carries no data for 2 of 2 quotes and no error (data is null or missing)' } },
    ],
    [
      '{"data":{}}',
      { data: {} },
      { quotes: [retry(NO_DATA), retry(NO_DATA)], unexpected: { kind: 'no-data', message: 'the answer carries no data for 2 of 2 quotes and no error (data is {})' } },
    ],
    [
      '{} (no data key at all)',
      {} as GraphQLResult,
      { quotes: [retry(NO_DATA), retry(NO_DATA)], unexpected: { kind: 'no-data', message: 'the answer carries no data for 2 of 2 quotes and no error (data is null or missing)' } },
    ],
    [
      'one alias null, no error',
      { data: { q0: { id: 'a' }, q1: null } },
      { quotes: [ok, retry(NO_DATA)], unexpected: { kind: 'no-data', message: 'the answer carries no data for 1 of 2 quotes and no error (data has q0, q1)' } },
    ],
    [
      'a permanent error at an alias (nullable type)',
      { data: { q0: { id: 'a' }, q1: null }, errors: [{ message: 'bad price', errorType: 'ValidationError', path: ['q1'] }] },
      { quotes: [ok, reject('ValidationError: bad price')] },
    ],
    [
      "a resolver's own error without errorType",
      { data: { q0: null, q1: { id: 'b' } }, errors: [{ message: 'closed market', path: ['q0'] }] },
      { quotes: [reject('closed market'), ok] },
    ],
    [
      'a transient error at an alias',
      { data: { q0: null, q1: { id: 'b' } }, errors: [{ message: 'slow down', errorType: 'DynamoDB:ProvisionedThroughputExceededException', path: ['q0'] }] },
      { quotes: [retry('DynamoDB:ProvisionedThroughputExceededException: slow down'), ok] },
    ],
    [
      'a non-null mutation type: one error nulls data as a whole',
      { data: null, errors: [{ message: 'bad', errorType: 'MappingTemplate', path: ['q1', 'price'] }] },
      { quotes: [retry(STOPPED), reject('MappingTemplate: bad'), retry(STOPPED)] },
    ],
    [
      'execution stopped after the failing alias',
      { data: { q0: { id: 'a' }, q1: null }, errors: [{ message: 'bad', errorType: 'MappingTemplate', path: ['q1'] }] },
      { quotes: [ok, reject('MappingTemplate: bad'), retry(STOPPED)] },
    ],
    [
      'a request-level error without a path',
      { data: null, errors: [{ message: 'Validation error of type FieldUndefined', errorType: 'ValidationError' }] },
      {
        quotes: [retry('the request failed: ValidationError: Validation error of type FieldUndefined')],
        unexpected: { kind: 'request-error', message: 'the request failed: ValidationError: Validation error of type FieldUndefined' },
      },
    ],
    [
      'an error naming no alias of the request',
      { data: null, errors: [{ message: 'odd', errorType: 'ValidationError', path: ['q7'] }] },
      { quotes: [retry('the request failed: ValidationError: odd')], unexpected: { kind: 'request-error', message: 'the request failed: ValidationError: odd' } },
    ],
    [
      'a transient request-level error',
      { data: null, errors: [{ message: 'took too long', errorType: 'ExecutionTimeout', path: null }] },
      { quotes: [retry('the request failed: ExecutionTimeout: took too long')] },
    ],
    [
      'refused credentials at an alias',
      { data: { q0: null }, errors: [{ message: 'Not Authorized to access q0 on type Mutation', errorType: 'Unauthorized', path: ['q0'] }] },
      { quotes: [reject('Unauthorized: Not Authorized to access q0 on type Mutation')], fatal: 'Unauthorized: Not Authorized to access q0 on type Mutation' },
    ],
  ])('%s', (_name, result, verdict) => {
    expect(judgeAnswer(result, verdict.quotes.length)).toEqual(verdict);
  });

  it('counts an alias with data as accepted even when a nested field of it failed', () => {
    const result: GraphQLResult = { data: { q0: { id: 'a', price: null } }, errors: [{ message: 'x', path: ['q0', 'price'] }] };
    expect(judgeAnswer(result, 1)).toEqual({ quotes: [ok] });
  });
});
