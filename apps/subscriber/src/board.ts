import {
  createLatencyRecorder,
  createSequenceTracker,
  type LatencyRecorder,
  type LatencySummary,
  type SequenceTracker,
} from '@tickerflow/appsync-client';

/** What sub knows about one ticker: the table's row and the stats' line. */
export interface TickerRow {
  readonly ticker: string;
  events: number;
  firstPrice: number | undefined;
  last: number | undefined;
  bid: number | undefined;
  ask: number | undefined;
  /** Latency of the newest event, ms (receivedAt - ts). */
  lastLatencyMs: number | undefined;
  /** Events per second over the last sampling window. */
  rate: number;
  eventsAtSample: number;
  /** Connection epoch of the newest event. */
  epoch: number;
  readonly latency: LatencyRecorder;
}

/** Gaps, missed numbers and duplicates; null when the events carry no `seq` to count them by. */
export interface SequenceSummary {
  readonly gaps: number | null;
  readonly missed: number | null;
  readonly duplicates: number | null;
}

export interface TickerStats extends SequenceSummary {
  readonly ticker: string;
  readonly events: number;
  /** null when the events carry no `ts` to measure latency from. */
  readonly latencyMs: LatencySummary | null;
}

/**
 * Per-ticker accounting for every event: last prices, rate, latency histogram, and sequence
 * gaps/duplicates. Rows are created once per ticker; recording an event allocates nothing.
 * Any event shape is accepted: a field that is absent or of another type is simply not
 * accounted (no `seq`: no gap counts; no `ts`: no latency; no key field: row '?').
 */
export class Board {
  readonly rows = new Map<string, TickerRow>();
  readonly sequences: SequenceTracker = createSequenceTracker();
  readonly latency: LatencyRecorder = createLatencyRecorder();
  events = 0;
  /** Events after a reconnect (epoch > 0). */
  eventsAfterReconnect = 0;
  /** Data messages whose payload carried `errors` (e.g. a non-null field the mutation did not select). */
  dataErrors = 0;
  /** Which optional quote fields any event carried, so the table shows only columns it has. */
  readonly seen = { price: false, bid: false, ask: false, seq: false, ts: false };
  private sampledAt: number;

  /**
   * @param onReconnectGap called when a ticker's first event after a reconnect shows a gap:
   *   the quotes published while sub was away (AppSync does not replay them).
   * @param keyField the event field naming a row (default `ticker`).
   */
  constructor(
    now: number = Date.now(),
    private readonly onReconnectGap?: (ticker: string, missed: number, epoch: number) => void,
    private readonly keyField = 'ticker',
  ) {
    this.sampledAt = now;
  }

  /** Records one event; fields that are absent (a narrow --fields) are simply not accounted. */
  record(quote: Readonly<Record<string, unknown>>, receivedAt: number, epoch: number): void {
    this.events += 1;
    if (epoch > 0) this.eventsAfterReconnect += 1;
    const key = quote[this.keyField];
    const ticker = typeof key === 'string' ? key : typeof key === 'number' ? String(key) : '?';
    let row = this.rows.get(ticker);
    if (row === undefined) {
      row = {
        ticker,
        events: 0,
        firstPrice: undefined,
        last: undefined,
        bid: undefined,
        ask: undefined,
        lastLatencyMs: undefined,
        rate: 0,
        eventsAtSample: 0,
        epoch,
        latency: createLatencyRecorder(),
      };
      this.rows.set(ticker, row);
    }
    row.events += 1;
    const price = quote['price'];
    if (isFiniteNumber(price)) {
      this.seen.price = true;
      row.firstPrice ??= price;
      row.last = price;
    }
    const bid = quote['bid'];
    if (isFiniteNumber(bid)) {
      this.seen.bid = true;
      row.bid = bid;
    }
    const ask = quote['ask'];
    if (isFiniteNumber(ask)) {
      this.seen.ask = true;
      row.ask = ask;
    }
    const ts = quote['ts'];
    if (isFiniteNumber(ts)) {
      this.seen.ts = true;
      const latency = receivedAt - ts;
      row.lastLatencyMs = latency;
      row.latency.record(latency);
      this.latency.record(latency);
    }
    const seq = quote['seq'];
    let missed = 0;
    if (Number.isSafeInteger(seq)) {
      this.seen.seq = true;
      missed = this.sequences.observe(ticker, seq as number);
    }
    if (row.epoch !== epoch) {
      row.epoch = epoch;
      if (missed > 0) this.onReconnectGap?.(ticker, missed, epoch);
    }
  }

  /** Updates each row's events/s from the events since the previous sample. */
  sample(now: number = Date.now()): void {
    const seconds = (now - this.sampledAt) / 1000;
    if (seconds <= 0) return;
    for (const row of this.rows.values()) {
      row.rate = (row.events - row.eventsAtSample) / seconds;
      row.eventsAtSample = row.events;
    }
    this.sampledAt = now;
  }

  /** Gaps (jumps), missed sequence numbers and duplicates of one ticker; null without `seq`. */
  sequenceOf(ticker: string): SequenceSummary {
    const counts = this.sequences.get(ticker);
    return counts === undefined
      ? { gaps: null, missed: null, duplicates: null }
      : { gaps: counts.gaps, missed: counts.missed, duplicates: counts.duplicates };
  }

  tickerStats(): TickerStats[] {
    return [...this.rows.values()].map((row) => ({
      ticker: row.ticker,
      events: row.events,
      ...this.sequenceOf(row.ticker),
      latencyMs: row.lastLatencyMs === undefined ? null : row.latency.summary(),
    }));
  }
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
