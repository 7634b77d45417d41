import { describe, expect, it } from 'vitest';
import { AuthError, GraphQLResponseError, TransportError } from '@tickerflow/core';
import { classifyFailure, retryDelay } from './retry';

describe('classifyFailure', () => {
  it.each([
    [new TransportError('503'), 'retry'],
    [new AuthError('401'), 'fatal'],
    [new GraphQLResponseError('400', { status: 400 }), 'reject'],
    [new Error('bug'), 'fatal'],
  ])('%s -> %s', (error, action) => {
    expect(classifyFailure(error)).toBe(action);
  });
});

describe('retryDelay', () => {
  const policy = { initialMs: 100, maxMs: 1_000, factor: 2 };
  it('is jittered exponential backoff, capped', () => {
    expect(retryDelay(new TransportError('x'), 0, policy, () => 0.5)).toBe(50);
    expect(retryDelay(new TransportError('x'), 2, policy, () => 0.5)).toBe(200);
    expect(retryDelay(new TransportError('x'), 20, policy, () => 0.999)).toBe(999);
  });

  it('waits at least what Retry-After asked for', () => {
    const error = Object.assign(new TransportError('429'), { retryAfterMs: 2_000 });
    expect(retryDelay(error, 0, policy, () => 0.5)).toBe(2_000);
  });
});
