import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPausableDeadline } from './pausable-deadline';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Advances the clock, then lets the turn that confirms an expiry (a fake setImmediate) run. */
function elapse(ms: number): void {
  vi.advanceTimersByTime(ms);
  vi.advanceTimersByTime(1);
}

describe('createPausableDeadline', () => {
  it('expires once, after timeoutMs of silence, with the silence it measured', () => {
    const expired: number[] = [];
    createPausableDeadline(1_000, (silentMs) => expired.push(silentMs));
    vi.advanceTimersByTime(999);
    expect(expired).toEqual([]);
    elapse(1);
    expect(expired).toEqual([1_001]);
    elapse(10_000);
    expect(expired).toEqual([1_001]);
  });

  it('each feed restarts the silence', () => {
    const expired: number[] = [];
    const deadline = createPausableDeadline(1_000, (silentMs) => expired.push(silentMs));
    for (let i = 0; i < 10; i += 1) {
      vi.advanceTimersByTime(900);
      deadline.feed();
    }
    expect(expired).toEqual([]);
    elapse(1_000);
    expect(expired).toEqual([1_001]);
  });

  it('never expires while paused, however long, and gives a full window after resume', () => {
    const expired: number[] = [];
    const deadline = createPausableDeadline(1_000, (silentMs) => expired.push(silentMs));
    vi.advanceTimersByTime(800);
    deadline.pause();
    expect(deadline.paused).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(expired).toEqual([]);
    deadline.resume();
    vi.advanceTimersByTime(999);
    expect(expired).toEqual([]);
    elapse(1);
    expect(expired).toEqual([1_001]);
  });

  it('a frame read right after resume keeps it alive', () => {
    const expired: number[] = [];
    const deadline = createPausableDeadline(1_000, (silentMs) => expired.push(silentMs));
    deadline.pause();
    vi.advanceTimersByTime(5_000);
    deadline.resume();
    vi.advanceTimersByTime(500);
    deadline.feed();
    vi.advanceTimersByTime(999);
    expect(expired).toEqual([]);
    elapse(1);
    expect(expired).toEqual([1_001]);
  });

  it('can start paused, and pause/resume twice in a row are no-ops', () => {
    const expired: number[] = [];
    const deadline = createPausableDeadline(100, (silentMs) => expired.push(silentMs), true);
    vi.advanceTimersByTime(1_000);
    expect(expired).toEqual([]);
    deadline.resume();
    deadline.resume();
    vi.advanceTimersByTime(50);
    deadline.pause();
    deadline.pause();
    vi.advanceTimersByTime(1_000);
    expect(expired).toEqual([]);
    deadline.resume();
    elapse(100);
    expect(expired).toEqual([101]);
  });

  it('an overdue check waits one turn: a frame read in that turn (after a frozen loop) keeps it alive', () => {
    const expired: number[] = [];
    const deadline = createPausableDeadline(1_000, (silentMs) => expired.push(silentMs));
    // Due at the same instant as the check but queued after it, like a socket read in the poll phase.
    setTimeout(() => deadline.feed(), 1_000);
    vi.advanceTimersByTime(1_000);
    expect(expired).toEqual([]);
    elapse(1_000);
    expect(expired).toEqual([1_001]);
  });

  it('cancel disarms it for good', () => {
    const expired: number[] = [];
    const deadline = createPausableDeadline(100, (silentMs) => expired.push(silentMs));
    deadline.cancel();
    deadline.resume();
    vi.advanceTimersByTime(1_000);
    expect(expired).toEqual([]);
  });
});
