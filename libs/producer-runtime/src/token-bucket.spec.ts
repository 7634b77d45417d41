import { describe, expect, it } from 'vitest';
import { createTokenBucket } from './token-bucket';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('createTokenBucket', () => {
  it('lets the first token out at once, then accrues at the rate', () => {
    const c = clock();
    const bucket = createTokenBucket({ rate: 1_000, now: c.now });
    expect(bucket.take(100)).toBe(1);
    expect(bucket.take(100)).toBe(0);
    c.advance(10);
    expect(bucket.take(100)).toBe(10);
    c.advance(2.5);
    expect(bucket.take(100)).toBe(2);
    c.advance(0.5);
    expect(bucket.take(100)).toBe(1);
  });

  it('keeps the average exact over many uneven ticks', () => {
    const c = clock();
    const bucket = createTokenBucket({ rate: 333, now: c.now });
    let taken = bucket.take(1_000);
    for (let i = 0; i < 1_000; i++) {
      c.advance(7 + (i % 5));
      taken += bucket.take(1_000);
    }
    // 9 s at 333/s, plus the first token, minus less than one token still accruing.
    expect(taken).toBeGreaterThanOrEqual(2_997);
    expect(taken).toBeLessThanOrEqual(2_998);
  });

  it('caps a pile-up at the capacity (50 ms by default)', () => {
    const c = clock();
    const bucket = createTokenBucket({ rate: 10_000, now: c.now });
    bucket.take(1);
    c.advance(5_000);
    expect(bucket.take(1_000_000)).toBe(500);
  });

  it('keeps a low rate exact when every timer fires late (room for two tokens at least)', () => {
    const c = clock();
    const bucket = createTokenBucket({ rate: 10, now: c.now });
    let taken = bucket.take(10);
    for (let i = 0; i < 100; i++) {
      c.advance(bucket.msUntilToken() + 5); // the timer for the next token fires 5 ms late
      taken += bucket.take(10);
    }
    // 100 waits of ~100-105 ms at 10/s: one token each, nothing lost to the cap.
    const elapsedS = c.now() / 1_000;
    expect(taken).toBeGreaterThanOrEqual(Math.floor(elapsedS * 10));
  });

  it('takes no more than asked', () => {
    const c = clock();
    const bucket = createTokenBucket({ rate: 10_000, now: c.now });
    c.advance(10);
    expect(bucket.take(30)).toBe(30);
    expect(bucket.take(1_000)).toBe(71);
  });

  it('says how long until the next token', () => {
    const c = clock();
    const bucket = createTokenBucket({ rate: 4, now: c.now });
    expect(bucket.msUntilToken()).toBe(0);
    bucket.take(1);
    expect(bucket.msUntilToken()).toBe(250);
    c.advance(100);
    expect(bucket.msUntilToken()).toBeCloseTo(150);
  });

  it.each([0, -1, Number.POSITIVE_INFINITY])('refuses rate %d', (rate) => {
    expect(() => createTokenBucket({ rate })).toThrow(RangeError);
  });
});
