import { isRetriable } from './errors';
import { sleep as defaultSleep } from './timing';

/**
 * How a failed operation is tried again, as data. The names are kafkajs's `retry` options;
 * `factor` is the share of each wait that is random.
 */
export interface RetryPolicy {
  /** Retries after the first attempt; `Infinity` retries until the operation succeeds or the signal aborts. */
  readonly retries: number;
  /** Ceiling of the first retry's wait, in ms. */
  readonly initialRetryTime: number;
  /** Growth of the ceiling per retry (2 doubles it). */
  readonly multiplier: number;
  /** Largest ceiling, in ms. */
  readonly maxRetryTime: number;
  /**
   * Share of the wait that is random, from 0 to 1: 1 is full jitter (uniform in [0, ceiling],
   * AWS's recommendation), 0 waits exactly the ceiling, 0.2 waits 80-100 % of it.
   */
  readonly factor: number;
}

/**
 * The wait before retry number `attempt` (counted from 0): the ceiling
 * `min(maxRetryTime, initialRetryTime * multiplier^attempt)`, of which the share `factor` is
 * random. `random` is injectable for tests.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const { factor } = policy;
  if (!(factor >= 0 && factor <= 1)) throw new RangeError(`retry factor must be from 0 to 1 (the random share of a wait), got ${factor}`);
  const ceiling = Math.min(policy.maxRetryTime, policy.initialRetryTime * policy.multiplier ** Math.max(0, attempt));
  return Math.floor(ceiling * (1 - factor + factor * random()));
}

export interface RetryOptions {
  readonly policy: RetryPolicy;
  /** Whether a failure is worth another attempt. Default: the error's `retriable` flag ({@link isRetriable}). */
  readonly retriable?: (error: unknown) => boolean;
  /** The wait before retry `attempt` after `error`, e.g. to honour Retry-After. Default {@link backoffDelay}. */
  readonly delay?: (error: unknown, attempt: number) => number;
  /** Called before each wait, with the failure, the retry's number (from 0) and the wait. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Stops retrying: the wait is cut short and retry rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Default core's abortable sleep (tests inject their own). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Randomness of the default delay's jitter. Default Math.random. */
  readonly random?: () => number;
}

/**
 * Runs `operation` until it resolves. A failure that is retriable, with retries left and the
 * signal not aborted, is tried again after the policy's backoff; any other failure rejects with
 * the operation's error. `operation` gets the attempt's number (0 is the first call).
 */
export async function retry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, signal } = options;
  const retriable = options.retriable ?? isRetriable;
  const random = options.random ?? Math.random;
  const delay = options.delay ?? ((_error: unknown, attempt: number) => backoffDelay(policy, attempt, random));
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (attempt >= policy.retries || !retriable(error)) throw error;
      const delayMs = delay(error, attempt);
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, signal);
    }
  }
}
