/**
 * Per-subscriber delivery accounting for one scenario: every (ticker, seq) pair is remembered
 * in a growable bitset (seq starts at 1 per ticker on a fresh topic), so a repeat is a
 * duplicate, an arrival below the highest seq seen that was not seen before is out of order,
 * and what never arrived is lost (expected − unique).
 */
export interface DeliveryCounts {
  /** Frames received, duplicates included. */
  readonly received: number;
  /** Distinct quotes received. */
  readonly unique: number;
  readonly duplicated: number;
  readonly outOfOrder: number;
}

export interface DeliveryTracker {
  /** Records one arrival; returns false for a duplicate. */
  observe(ticker: string, seq: number): boolean;
  counts(): DeliveryCounts;
}

interface TickerState {
  bits: Uint8Array;
  highest: number;
}

export function createDeliveryTracker(): DeliveryTracker {
  const tickers = new Map<string, TickerState>();
  let received = 0;
  let unique = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  return {
    observe(ticker, seq) {
      received += 1;
      let state = tickers.get(ticker);
      if (state === undefined) {
        state = { bits: new Uint8Array(1024), highest: 0 };
        tickers.set(ticker, state);
      }
      const byte = seq >>> 3;
      if (byte >= state.bits.length) {
        const grown = new Uint8Array(Math.max(byte + 1, state.bits.length * 2));
        grown.set(state.bits);
        state.bits = grown;
      }
      const mask = 1 << (seq & 7);
      if ((state.bits[byte] as number) & mask) {
        duplicated += 1;
        return false;
      }
      state.bits[byte] = (state.bits[byte] as number) | mask;
      unique += 1;
      if (seq < state.highest) outOfOrder += 1;
      else state.highest = seq;
      return true;
    },
    counts() {
      return { received, unique, duplicated, outOfOrder };
    },
  };
}
