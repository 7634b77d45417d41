/** Deliberate failures for fault tests: a fraction of mutation requests fail, all are delayed. */
export interface FaultOptions {
  /** Fraction (0..1) of mutation requests answered with `failStatus`. Default 0. */
  readonly failRate?: number;
  /** HTTP status of an injected failure. Default 500. */
  readonly failStatus?: number;
  /** `Retry-After` seconds sent with an injected 429/503. Default 1. */
  readonly retryAfterSeconds?: number;
  /** Delay before answering each mutation request, in ms. Default 0. */
  readonly latencyMs?: number;
  /** Seed of the failure draw, for repeatable runs. Default: random. */
  readonly seed?: number;
}

/** mulberry32: a tiny seeded PRNG, good enough to pick which requests fail. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface InjectedFailure {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: { errors: { errorType: string; message: string }[] };
}

export function createFaultInjector(options: FaultOptions): { readonly latencyMs: number; draw(): InjectedFailure | undefined } {
  const failRate = options.failRate ?? 0;
  const status = options.failStatus ?? 500;
  const random = seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 32));
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  const errorType = status === 429 ? 'TooManyRequestsException' : status >= 500 ? 'InternalFailure' : 'BadRequestException';
  return {
    latencyMs: options.latencyMs ?? 0,
    draw() {
      if (failRate <= 0 || random() >= failRate) return undefined;
      const headers: Record<string, string> = status === 429 || status === 503 ? { 'retry-after': retryAfter } : {};
      return {
        status,
        headers,
        body: { errors: [{ errorType, message: `Injected failure (fault injection), status ${status}` }] },
      };
    },
  };
}
