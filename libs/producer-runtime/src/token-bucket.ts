/**
 * A token bucket for pacing: tokens accrue continuously at `rate` per second up
 * to `capacity`; the producer takes whole tokens, one per quote. Refilling from
 * elapsed time (not from timer ticks) keeps the average rate exact however late
 * the timers fire; the small capacity keeps a stall from turning into a burst.
 */
export interface TokenBucket {
  /** Takes up to `max` whole tokens that are available now; returns how many it took. */
  take(max: number): number;
  /** Milliseconds until at least one whole token is available (0 if one is). */
  msUntilToken(): number;
}

export interface TokenBucketOptions {
  /** Tokens per second, > 0. */
  readonly rate: number;
  /** Most tokens that can pile up; default 50 ms worth, and at least 2 (see below). */
  readonly capacity?: number;
  /** Monotonic clock in ms; default performance.now. */
  readonly now?: () => number;
}

export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  const { rate } = options;
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`rate must be > 0, got ${rate}`);
  const now = options.now ?? (() => performance.now());
  // At least 2: with room for only one token, the part of a late timer's wait past the
  // token was lost every time (--rate 10 made ~9.5 quotes/s).
  const capacity = Math.max(1, options.capacity ?? Math.max(2, rate * 0.05));
  // Start with one token so the first quote goes out at once.
  let tokens = Math.min(1, capacity);
  let last = now();

  const refill = (): void => {
    const t = now();
    tokens = Math.min(capacity, tokens + ((t - last) * rate) / 1_000);
    last = t;
  };

  return {
    take(max) {
      refill();
      const taken = Math.max(0, Math.min(max, Math.floor(tokens)));
      tokens -= taken;
      return taken;
    },
    msUntilToken() {
      refill();
      return tokens >= 1 ? 0 : ((1 - tokens) * 1_000) / rate;
    },
  };
}
