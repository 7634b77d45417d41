import { fromSteps, increment, toSteps, type Increment } from './increment';
import { MAX_SEQ, TICKER_PATTERN, type Quote } from './quote';
import { createRandom, hashSeed, type Random } from './random';

/** How one ticker trades in the synthetic market. */
export interface TickerProfile {
  readonly ticker: string;
  /** Price at seq 1 (before the first step). */
  readonly startPrice: number;
  /** Annualised volatility of the geometric Brownian motion, e.g. 0.6 for 60 %. */
  readonly volatility: number;
  /** Price increment, e.g. 0.01. */
  readonly tickSize: number;
  /** Size increment, e.g. 0.0001 BTC or 1 share. */
  readonly lotSize: number;
  /** Mean traded size (log-normal around it). */
  readonly meanSize: number;
  /** Typical bid-ask spread in basis points of the price (at least one tick either side). */
  readonly spreadBps: number;
  /** Relative share of the quotes this ticker gets. */
  readonly weight: number;
}

/** The tickers ticker-gen uses when none are given: four crypto pairs and four US equities. */
export const DEFAULT_TICKERS: readonly string[] = ['BTC', 'ETH', 'SOL', 'BNB', 'AAPL', 'MSFT', 'NVDA', 'TSLA'];

const p = (
  ticker: string,
  startPrice: number,
  volatility: number,
  tickSize: number,
  lotSize: number,
  meanSize: number,
  spreadBps: number,
  weight: number,
): TickerProfile => ({ ticker, startPrice, volatility, tickSize, lotSize, meanSize, spreadBps, weight });

/** Realistic-looking profiles for well-known tickers; any other ticker gets one derived from its name. */
export const KNOWN_PROFILES: Readonly<Record<string, TickerProfile>> = {
  BTC: p('BTC', 95_000, 0.6, 0.01, 0.0001, 0.05, 1, 4),
  ETH: p('ETH', 3_400, 0.75, 0.01, 0.0001, 0.8, 1.5, 3),
  SOL: p('SOL', 180, 0.9, 0.01, 0.001, 12, 3, 2),
  BNB: p('BNB', 620, 0.6, 0.01, 0.001, 2, 3, 1),
  AAPL: p('AAPL', 230, 0.25, 0.01, 1, 100, 1, 1),
  MSFT: p('MSFT', 420, 0.25, 0.01, 1, 80, 1, 1),
  NVDA: p('NVDA', 140, 0.5, 0.01, 1, 200, 1, 2),
  TSLA: p('TSLA', 340, 0.6, 0.01, 1, 120, 1.5, 1),
};

/** The profile for a ticker: a known one, or one derived deterministically from its name. */
export function profileFor(ticker: string): TickerProfile {
  const known = KNOWN_PROFILES[ticker];
  if (known) return known;
  const h = hashSeed(ticker);
  return p(ticker, 10 + (h % 49_000) / 100, 0.4, 0.01, 1, 100, 2, 1);
}

export interface PriceModelOptions {
  /** Same seed and tickers, same stream (apart from `ts` and `matchtime`). */
  readonly seed: string | number;
  /** Tickers to quote; default DEFAULT_TICKERS. Each must match TICKER_PATTERN, no duplicates. */
  readonly tickers?: readonly string[];
  /** Epoch-ms clock for `ts` and `matchtime`; default Date.now. */
  readonly clock?: () => number;
  /** Seconds of market time each step of a ticker stands for; default 1. */
  readonly stepSeconds?: number;
}

export interface PriceModel {
  /** The seed as given (log it so a run can be reproduced). */
  readonly seed: string;
  /** Short hex tag derived from the seed; the last part of every id. */
  readonly runTag: string;
  readonly tickers: readonly string[];
  /** The next quote of the stream. Throws a RangeError if a ticker's seq would reach 2^31. */
  next(): Quote;
}

const SECONDS_PER_YEAR = 365 * 24 * 3600;

interface TickerState {
  readonly ticker: string;
  readonly random: Random;
  readonly tick: Increment;
  readonly lot: Increment;
  /** Drift and diffusion of one step of log-price. */
  readonly drift: number;
  readonly diffusion: number;
  readonly halfSpreadFraction: number;
  readonly logMeanLots: number;
  logPrice: number;
  seq: number;
}

const SIZE_SIGMA = 0.8;

/**
 * A seeded synthetic market: every ticker follows its own geometric Brownian
 * motion (zero drift) with its own PRNG stream, so a ticker's path does not depend
 * on which other tickers are quoted; a separate stream picks the next ticker by
 * weight. Prices are computed in whole ticks (no float rounding noise): the mid
 * follows the walk, bid and ask sit at least one tick either side of it, and the
 * trade (`price`) happens at the bid or the ask.
 */
export function createPriceModel(options: PriceModelOptions): PriceModel {
  const seed = String(options.seed);
  const tickers = [...(options.tickers ?? DEFAULT_TICKERS)];
  if (tickers.length === 0) throw new RangeError('the price model needs at least one ticker');
  const seen = new Set<string>();
  for (const ticker of tickers) {
    if (!TICKER_PATTERN.test(ticker)) throw new RangeError(`invalid ticker '${ticker}'`);
    if (seen.has(ticker)) throw new RangeError(`duplicate ticker '${ticker}'`);
    seen.add(ticker);
  }
  const clock = options.clock ?? Date.now;
  const dt = (options.stepSeconds ?? 1) / SECONDS_PER_YEAR;
  const runTag = hashSeed(`run:${seed}`).toString(16).padStart(8, '0');

  const states: TickerState[] = tickers.map((ticker) => {
    const profile = profileFor(ticker);
    const sigma = profile.volatility;
    const lot = increment(profile.lotSize);
    return {
      ticker,
      random: createRandom(hashSeed(`${seed}/${ticker}`)),
      tick: increment(profile.tickSize),
      lot,
      drift: -0.5 * sigma * sigma * dt,
      diffusion: sigma * Math.sqrt(dt),
      halfSpreadFraction: profile.spreadBps / 2 / 10_000,
      logMeanLots: Math.log(profile.meanSize / profile.lotSize) - (SIZE_SIGMA * SIZE_SIGMA) / 2,
      logPrice: Math.log(profile.startPrice),
      seq: 0,
    };
  });
  const cumulative: number[] = [];
  let total = 0;
  for (const ticker of tickers) {
    total += profileFor(ticker).weight;
    cumulative.push(total);
  }
  const picker = createRandom(hashSeed(`${seed}/pick`));

  const pick = (): TickerState => {
    const r = picker.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return states[lo] as TickerState;
  };

  let lastTs = Number.NaN;
  let lastIso = '';

  return {
    seed,
    runTag,
    tickers,
    next(): Quote {
      const s = pick();
      if (s.seq + 1 >= MAX_SEQ) throw new RangeError(`seq of ${s.ticker} would exceed ${MAX_SEQ - 1}`);
      s.seq += 1;
      const r = s.random;
      s.logPrice += s.drift + s.diffusion * r.normal();
      const midTicks = toSteps(Math.exp(s.logPrice), s.tick);
      const halfTicks = Math.max(1, Math.round(midTicks * s.halfSpreadFraction * (0.5 + r.next())));
      // Keep the bid at one tick or more however far the walk wanders down.
      const mid = Math.max(midTicks, halfTicks + 1);
      const bidTicks = mid - halfTicks;
      const askTicks = mid + halfTicks;
      const lots = Math.max(1, Math.round(Math.exp(s.logMeanLots + SIZE_SIGMA * r.normal())));
      const bid = fromSteps(bidTicks, s.tick);
      const ask = fromSteps(askTicks, s.tick);
      const price = r.next() < 0.5 ? bid : ask;
      const ts = clock();
      if (ts !== lastTs) {
        lastTs = ts;
        lastIso = new Date(ts).toISOString();
      }
      return {
        id: `${s.ticker}-${s.seq}-${runTag}`,
        ticker: s.ticker,
        seq: s.seq,
        price,
        bid,
        ask,
        size: fromSteps(lots, s.lot),
        matchtime: lastIso,
        ts,
      };
    },
  };
}
