import { describe, expect, it } from 'vitest';
import { backoffDelay, sleep } from './timing';

describe('backoffDelay', () => {
  const policy = { initialMs: 100, maxMs: 5_000, factor: 2 };

  it.each([
    [0, 100],
    [1, 200],
    [3, 800],
    [10, 5_000],
  ])('attempt %i never exceeds %i ms', (attempt, ceiling) => {
    expect(backoffDelay(policy, attempt, () => 0.999_999)).toBeLessThanOrEqual(ceiling);
    expect(backoffDelay(policy, attempt, () => 0.999_999)).toBeGreaterThanOrEqual(ceiling - 1);
    expect(backoffDelay(policy, attempt, () => 0)).toBe(0);
  });
});

describe('sleep', () => {
  it('rejects with the abort reason', async () => {
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort(new Error('stopped'));
    await expect(pending).rejects.toThrow('stopped');
  });
});
