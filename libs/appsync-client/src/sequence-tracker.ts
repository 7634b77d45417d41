/**
 * Per-key sequence accounting: each key's `seq` must go up by exactly one.
 * A jump forward is a gap (and the number of sequence numbers skipped is counted);
 * a number at or below the last one seen is a duplicate and does not move the mark.
 * The first number seen for a key is taken as the start: a subscriber joins mid-stream.
 */
export interface SequenceCounts {
  /** Events seen, duplicates included. */
  readonly events: number;
  /** Highest sequence number seen. */
  readonly lastSeq: number;
  /** Jumps forward (each jump counts once, however many numbers it skipped). */
  readonly gaps: number;
  /** Sequence numbers skipped over by those jumps: the events that never arrived. */
  readonly missed: number;
  /** Events whose seq was at or below the last one seen. */
  readonly duplicates: number;
}

interface MutableCounts {
  events: number;
  lastSeq: number;
  gaps: number;
  missed: number;
  duplicates: number;
}

/** `observe` result for an event that arrived in order (or was the first for its key). */
export const IN_ORDER = 0;
/** `observe` result for a duplicate (seq <= last seen). */
export const DUPLICATE = -1;

export interface SequenceTracker {
  /**
   * Records one event. Returns IN_ORDER (0), DUPLICATE (-1), or the number of
   * sequence numbers skipped (> 0) when it closes a gap. No allocation after a key's first event.
   */
  observe(key: string, seq: number): number;
  /** Counts for one key, or undefined before its first event. */
  get(key: string): SequenceCounts | undefined;
  /** Keys in the order they were first seen. */
  keys(): IterableIterator<string>;
  /** Totals over every key. */
  totals(): SequenceCounts & { readonly keys: number };
}

export function createSequenceTracker(): SequenceTracker {
  const byKey = new Map<string, MutableCounts>();
  return {
    observe(key, seq) {
      const counts = byKey.get(key);
      if (counts === undefined) {
        byKey.set(key, { events: 1, lastSeq: seq, gaps: 0, missed: 0, duplicates: 0 });
        return IN_ORDER;
      }
      counts.events += 1;
      const step = seq - counts.lastSeq;
      if (step === 1) {
        counts.lastSeq = seq;
        return IN_ORDER;
      }
      if (step <= 0) {
        counts.duplicates += 1;
        return DUPLICATE;
      }
      counts.gaps += 1;
      counts.missed += step - 1;
      counts.lastSeq = seq;
      return step - 1;
    },
    get(key) {
      return byKey.get(key);
    },
    keys() {
      return byKey.keys();
    },
    totals() {
      let events = 0;
      let gaps = 0;
      let missed = 0;
      let duplicates = 0;
      let lastSeq = 0;
      for (const counts of byKey.values()) {
        events += counts.events;
        gaps += counts.gaps;
        missed += counts.missed;
        duplicates += counts.duplicates;
        lastSeq = Math.max(lastSeq, counts.lastSeq);
      }
      return { keys: byKey.size, events, lastSeq, gaps, missed, duplicates };
    },
  };
}
