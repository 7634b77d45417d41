/**
 * Tracks, per topic-partition, the offset up to which every record was handled
 * (accepted by AppSync, dead-lettered, or conflated), and which of those are not
 * committed yet. Kafka commits the NEXT offset to read, so a handled offset N
 * commits as N + 1. Offsets are decimal strings (64-bit) compared as BigInt.
 */
export interface CommitOffset {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to consume (last handled + 1). */
  readonly offset: string;
}

export interface CommitTracker {
  /** Everything up to and including `offset` is handled. Never moves backwards. */
  handled(topic: string, partition: number, offset: string): void;
  /** Offsets that moved since the last markCommitted, ready for consumer.commitOffsets. */
  pending(): CommitOffset[];
  /** Records that these offsets are now committed. */
  markCommitted(offsets: readonly CommitOffset[]): void;
  /** Forgets partitions this member no longer owns (after a rebalance). */
  retain(owned: (topic: string, partition: number) => boolean): void;
  /** The next offset to commit for a partition, if any record was handled. */
  position(topic: string, partition: number): string | undefined;
}

interface Entry {
  readonly topic: string;
  readonly partition: number;
  next: bigint;
  committed: bigint | undefined;
}

export function createCommitTracker(): CommitTracker {
  const entries = new Map<string, Entry>();
  const keyOf = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

  return {
    handled(topic, partition, offset) {
      const next = BigInt(offset) + 1n;
      const key = keyOf(topic, partition);
      const entry = entries.get(key);
      if (entry === undefined) entries.set(key, { topic, partition, next, committed: undefined });
      else if (next > entry.next) entry.next = next;
    },
    pending() {
      const out: CommitOffset[] = [];
      for (const entry of entries.values()) {
        if (entry.committed === undefined || entry.next > entry.committed) {
          out.push({ topic: entry.topic, partition: entry.partition, offset: entry.next.toString() });
        }
      }
      return out;
    },
    markCommitted(offsets) {
      for (const { topic, partition, offset } of offsets) {
        const entry = entries.get(keyOf(topic, partition));
        if (entry === undefined) continue;
        const committed = BigInt(offset);
        if (entry.committed === undefined || committed > entry.committed) entry.committed = committed;
      }
    },
    retain(owned) {
      for (const [key, entry] of entries) if (!owned(entry.topic, entry.partition)) entries.delete(key);
    },
    position(topic, partition) {
      return entries.get(keyOf(topic, partition))?.next.toString();
    },
  };
}
