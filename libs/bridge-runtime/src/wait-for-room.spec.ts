import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { waitForRoom } from './wait-for-room';

describe('waitForRoom', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('heartbeats every interval while the queue stays full, and returns once there is room', async () => {
    let makeRoom!: () => void;
    const room = new Promise<void>((resolve) => (makeRoom = resolve));
    const heartbeat = vi.fn(async () => {});
    let returned = false;
    const waiting = waitForRoom(room, heartbeat, 1_000, new AbortController().signal).then(() => (returned = true));

    await vi.advanceTimersByTimeAsync(3_500);
    expect(heartbeat).toHaveBeenCalledTimes(3);
    expect(returned).toBe(false);

    makeRoom();
    await waiting;
    expect(returned).toBe(true);
    expect(heartbeat).toHaveBeenCalledTimes(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('returns at once, without a heartbeat, when the bridge stops', async () => {
    const stop = new AbortController();
    const heartbeat = vi.fn(async () => {});
    const waiting = waitForRoom(new Promise<void>(() => {}), heartbeat, 1_000, stop.signal);
    await vi.advanceTimersByTimeAsync(1_500);
    stop.abort();
    await vi.advanceTimersByTimeAsync(1_000);
    await waiting;
    expect(heartbeat).toHaveBeenCalledTimes(1);
  });
});
