import type { Consumer } from 'kafkajs';
import type { Logger } from '@tickerflow/cli';
import { errorMessage } from '@tickerflow/core';
import { isRebalanceError } from '@tickerflow/kafka';
import { createCommitTracker, type CommitOffset } from '@tickerflow/relay';

/**
 * The bridge's offset commits. They carry only offsets AppSync accepted (or that went to the
 * dead-letter topic), and only under the generation that owns them: closed from the moment a
 * rebalance is known until the group is joined again.
 */
export interface Committer {
  /** Every record of the partition up to `offset` is handled: commit it next time. */
  handled(topic: string, partition: number, offset: string): void;
  /** Commits what is pending (nothing while closed), after any commit still in progress. */
  commit(): Promise<void>;
  /** Offsets handled and not confirmed committed yet. */
  pending(): CommitOffset[];
  /** Stops the timer and sends the shutdown's last commit; {@link finished} settles after it. */
  finish(): Promise<void>;
  /** Settles once the shutdown's last commit is done: what a rejoin kafkajs starts while we stop waits for. */
  readonly finished: Promise<void>;
  /** After the partitions were let go: closes and forgets every offset. */
  closeAndForget(): void;
  /** The group is joined again: keeps the offsets of the partitions this member owns, and opens. */
  reopen(owned: (topic: string, partition: number) => boolean): void;
  /** Commits every `intervalMs` until finish(). */
  startTimer(intervalMs: number): void;
}

export function createCommitter(consumer: Consumer, log: Logger): Committer {
  const tracker = createCommitTracker();
  let open = true;
  // kafkajs returns from commitOffsets without committing when its runner is not running, so
  // only its COMMIT_OFFSETS event (sent after the broker's answer) marks offsets committed.
  let confirmed = 0;
  consumer.on(consumer.events.COMMIT_OFFSETS, ({ payload }) => {
    confirmed += 1;
    tracker.markCommitted(
      payload.topics.flatMap(({ topic, partitions }) =>
        partitions.map(({ partition, offset }) => ({ topic, partition: Number(partition), offset: String(offset) })),
      ),
    );
  });
  const commitNow = async (pending: readonly CommitOffset[]): Promise<void> => {
    const before = confirmed;
    try {
      await consumer.commitOffsets([...pending]);
      if (confirmed === before) log.debug({ offsets: pending }, 'kafkajs did not commit (its consumer is not running); will retry');
      else log.debug({ offsets: pending }, 'committed');
    } catch (error) {
      if (isRebalanceError(error)) log.debug({ error: errorMessage(error), offsets: pending }, 'commit refused: the group is rebalancing');
      else log.warn({ error: errorMessage(error), offsets: pending }, 'commit failed; will retry');
    }
  };
  let committing: Promise<void> = Promise.resolve();
  const commit = (): Promise<void> => {
    committing = committing.then(async () => {
      const pending = open ? tracker.pending() : [];
      if (pending.length > 0) await commitNow(pending);
    });
    return committing;
  };
  let timer: NodeJS.Timeout | undefined;
  let finishedNow!: () => void;
  const finished = new Promise<void>((resolve) => (finishedNow = resolve));

  return {
    handled: (topic, partition, offset) => tracker.handled(topic, partition, offset),
    commit,
    pending: () => tracker.pending(),
    async finish() {
      clearInterval(timer);
      await commit();
      finishedNow();
    },
    finished,
    closeAndForget() {
      open = false;
      tracker.retain(() => false);
    },
    reopen(owned) {
      tracker.retain(owned);
      open = true;
    },
    startTimer(intervalMs) {
      timer = setInterval(() => void commit(), intervalMs);
      timer.unref();
    },
  };
}
