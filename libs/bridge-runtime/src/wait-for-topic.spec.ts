import { describe, expect, it, vi } from 'vitest';
import { waitForTopic } from './wait-for-topic';

describe('waitForTopic', () => {
  it('returns at once, not having waited, when the topic exists', async () => {
    const onWaiting = vi.fn();
    const found = await waitForTopic(async () => 6, { signal: new AbortController().signal, intervalMs: 10, onWaiting });
    expect(found).toEqual({ partitions: 6, waited: false });
    expect(onWaiting).not.toHaveBeenCalled();
  });

  it('announces the wait once and looks again until the topic appears', async () => {
    const answers = [undefined, undefined, undefined, 3];
    const lookup = vi.fn(async () => answers.shift());
    const onWaiting = vi.fn();
    const found = await waitForTopic(lookup, { signal: new AbortController().signal, intervalMs: 5, onWaiting });
    expect(found).toEqual({ partitions: 3, waited: true });
    expect(lookup).toHaveBeenCalledTimes(4);
    expect(onWaiting).toHaveBeenCalledTimes(1);
  });

  it('gives up quietly when stopped while waiting', async () => {
    const stop = new AbortController();
    const waiting = waitForTopic(async () => undefined, { signal: stop.signal, intervalMs: 60_000, onWaiting: () => stop.abort() });
    await expect(waiting).resolves.toBeUndefined();
  });

  it('ends the wait with the error of a failed lookup', async () => {
    const waiting = waitForTopic(async () => Promise.reject(new Error('broker unreachable')), { signal: new AbortController().signal, intervalMs: 5, onWaiting: () => {} });
    await expect(waiting).rejects.toThrow('broker unreachable');
  });
});
