import { describe, expect, it } from 'vitest';
import { TransportError, UsageError } from './errors';
import { backoffDelay, retry, type RetryPolicy } from './retry';

const policy: RetryPolicy = { retries: 3, initialRetryTime: 100, multiplier: 2, maxRetryTime: 5_000, factor: 1 };

describe('backoffDelay', () => {
  it.each([
    [0, 100],
    [1, 200],
    [3, 800],
    [10, 5_000],
  ])('with full jitter, retry %i waits from 0 to %i ms', (attempt, ceiling) => {
    expect(backoffDelay(policy, attempt, () => 0.999_999)).toBeLessThanOrEqual(ceiling);
    expect(backoffDelay(policy, attempt, () => 0.999_999)).toBeGreaterThanOrEqual(ceiling - 1);
    expect(backoffDelay(policy, attempt, () => 0)).toBe(0);
  });

  it.each([
    [0, () => 0.3, 400],
    [0.2, () => 0, 320],
    [0.2, () => 1, 400],
  ])('with factor %d waits the ceiling less a random share of it', (factor, random, wait) => {
    expect(backoffDelay({ ...policy, factor }, 2, random)).toBe(wait);
  });

  it.each([2, -0.1, Number.NaN])('refuses a factor of %d (it is the random share, not the growth)', (factor) => {
    expect(() => backoffDelay({ ...policy, factor }, 0)).toThrow(`retry factor must be from 0 to 1 (the random share of a wait), got ${factor}`);
  });
});

describe('retry', () => {
  const waits: number[] = [];
  const sleep = async (ms: number): Promise<void> => {
    waits.push(ms);
  };

  it('retries retriable failures with the policy backoff until the operation resolves', async () => {
    waits.length = 0;
    const seen: [number, number][] = [];
    const result = await retry(
      async (attempt) => {
        if (attempt < 2) throw new TransportError(`down ${attempt}`);
        return `ok after ${attempt}`;
      },
      { policy: { ...policy, factor: 0 }, sleep, onRetry: (_error, attempt, delayMs) => seen.push([attempt, delayMs]) },
    );
    expect(result).toBe('ok after 2');
    expect(waits).toEqual([100, 200]);
    expect(seen).toEqual([
      [0, 100],
      [1, 200],
    ]);
  });

  it('rejects with the last error once the retries are used up', async () => {
    let calls = 0;
    const error = await retry(
      async () => {
        calls += 1;
        throw new TransportError(`down ${calls}`);
      },
      { policy: { ...policy, retries: 2 }, sleep },
    ).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(error).toMatchObject({ message: 'down 3' });
  });

  it('does not retry what is not retriable (by default the error says)', async () => {
    let calls = 0;
    const error = await retry(
      async () => {
        calls += 1;
        throw new UsageError('bad');
      },
      { policy, sleep },
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(error).toBeInstanceOf(UsageError);
  });

  it('asks the retriable check and the delay function when given', async () => {
    waits.length = 0;
    let calls = 0;
    await retry(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('plain');
      },
      { policy, sleep, retriable: () => true, delay: (_error, attempt) => 7 + attempt },
    );
    expect(waits).toEqual([7, 8]);
  });

  it('stops waiting when the signal aborts, rejecting with its reason', async () => {
    const controller = new AbortController();
    const pending = retry(
      async () => {
        throw new TransportError('down');
      },
      { policy: { ...policy, retries: Infinity, initialRetryTime: 60_000, factor: 0 }, signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error('stopped')), 5);
    await expect(pending).rejects.toThrow('stopped');
  });
});
