import { describe, expect, it } from 'vitest';
import { AuthError, GraphQLResponseError, TransportError } from '@tickerflow/core';
import { classifyFailure, MAX_RETRY_AFTER_MS, retryDelay } from './retry';

describe('classifyFailure', () => {
  it.each([
    [new TransportError('503'), 'retry'],
    [new AuthError('401'), 'fatal'],
    [new GraphQLResponseError('400', { status: 400 }), 'retry-loudly'],
    [new GraphQLResponseError('200 <html>', { status: 200 }), 'retry-loudly'],
    [new Error('bug'), 'fatal'],
  ])('%s -> %s', (error, action) => {
    expect(classifyFailure(error)).toBe(action);
  });
});

describe('retryDelay', () => {
  const policy = { retries: Infinity, initialRetryTime: 100, maxRetryTime: 1_000, multiplier: 2, factor: 1 };
  it('is jittered exponential backoff, capped', () => {
    expect(retryDelay(new TransportError('x'), 0, policy, () => 0.5)).toBe(50);
    expect(retryDelay(new TransportError('x'), 2, policy, () => 0.5)).toBe(200);
    expect(retryDelay(new TransportError('x'), 20, policy, () => 0.999)).toBe(999);
  });

  it('waits at least what Retry-After asked for', () => {
    const error = Object.assign(new TransportError('429'), { retryAfterMs: 2_000 });
    expect(retryDelay(error, 0, policy, () => 0.5)).toBe(2_000);
  });

  it.each([
    ['a far-future date', Date.parse('2199-01-01T00:00:00Z') - Date.now()],
    ['more seconds than a timer holds', 2 ** 31 * 1000],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['just over the cap', MAX_RETRY_AFTER_MS + 1],
  ])('caps a Retry-After of %s at 60 s', (_name, retryAfterMs) => {
    const error = Object.assign(new TransportError('503'), { retryAfterMs });
    expect(retryDelay(error, 0, policy, () => 0.5)).toBe(MAX_RETRY_AFTER_MS);
  });

  it.each([-1, Number.NaN, '5'])('ignores a Retry-After of %j', (retryAfterMs) => {
    const error = Object.assign(new TransportError('503'), { retryAfterMs });
    expect(retryDelay(error, 0, policy, () => 0.5)).toBe(50);
  });
});
