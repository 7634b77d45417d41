import type { Relay, RelayLogger, SourceRecord } from '@tickerflow/relay';

/**
 * Decouples fetching from publishing. kafkajs fetches the next batch only after eachBatch
 * returns for every partition of the previous fetch; if eachBatch awaited AppSync, every
 * quote would wait for the slowest partition's requests plus a fetch round trip. Instead
 * eachBatch appends the records to their partition's queue and returns (it waits only when
 * the queue is full: backpressure), and one worker per partition relays whatever is queued,
 * in order, one request at a time. Offsets still count as handled only after AppSync
 * accepted them (the relay's onHandled); kafkajs' own "resolved" offset merely moves the
 * fetch position, and with autoCommit off kafkajs never commits it.
 */
export interface PartitionPipelines {
  /**
   * Queues a fetched batch. Returns undefined while the partition's queue has room (nearly
   * always), else a promise that resolves once it is below its limit again.
   */
  enqueue(topic: string, partition: number, records: readonly SourceRecord[], highWatermark: string): Promise<void> | undefined;
  /**
   * Forgets queued (not yet sent) records of every partition: after a rebalance kafkajs fetches
   * again from the committed offsets, and offsets handled by an older generation are ignored.
   */
  reset(): void;
  /** Resolves when no partition has a request in flight (after stop, nothing new starts). */
  idle(): Promise<void>;
  /** Records queued or being relayed, over all partitions. */
  readonly backlog: number;
}

export interface PipelineOptions {
  readonly relay: Relay;
  readonly stop: AbortSignal;
  readonly abort: AbortSignal;
  /** Most records queued per partition before enqueue waits. */
  readonly queueLimit: number;
  readonly logger: RelayLogger;
  /** Every record of the partition up to `offset` is handled. */
  onHandled(topic: string, partition: number, offset: string, highWatermark: bigint): void;
  /** The relay threw (fatal): stop the bridge. */
  onFatal(error: unknown): void;
}

interface Queue {
  readonly topic: string;
  readonly partition: number;
  records: SourceRecord[];
  inHand: number;
  highWatermark: bigint;
  generation: number;
  running: boolean;
  readonly spaceWaiters: (() => void)[];
}

export function createPartitionPipelines(options: PipelineOptions): PartitionPipelines {
  const queues = new Map<string, Queue>();
  let generation = 0;
  let running = 0;
  const idleWaiters: (() => void)[] = [];

  const wakeSpace = (queue: Queue): void => {
    if (queue.records.length >= options.queueLimit && !options.stop.aborted) return;
    for (const wake of queue.spaceWaiters.splice(0)) wake();
  };

  const pump = (queue: Queue): void => {
    if (queue.running || queue.records.length === 0 || options.stop.aborted) return;
    queue.running = true;
    running += 1;
    void (async () => {
      try {
        while (queue.records.length > 0 && !options.stop.aborted) {
          const records = queue.records;
          const mine = queue.generation;
          queue.records = [];
          queue.inHand = records.length;
          wakeSpace(queue);
          const first = records[0] as SourceRecord;
          const lag = Number(queue.highWatermark - BigInt(first.offset));
          const outcome = await options.relay.relayBatch(records, lag, {
            stop: options.stop,
            abort: options.abort,
            onHandled: (offset) => {
              if (queue.generation === mine) options.onHandled(queue.topic, queue.partition, offset, queue.highWatermark);
            },
          });
          queue.inHand = 0;
          if (!outcome.complete) break;
        }
      } catch (error) {
        options.onFatal(error);
      } finally {
        queue.inHand = 0;
        queue.running = false;
        running -= 1;
        wakeSpace(queue);
        if (running === 0) for (const wake of idleWaiters.splice(0)) wake();
        if (!options.stop.aborted) pump(queue);
      }
    })();
  };

  options.stop.addEventListener('abort', () => {
    for (const queue of queues.values()) {
      queue.records = [];
      wakeSpace(queue);
    }
  });

  return {
    enqueue(topic, partition, records, highWatermark) {
      if (options.stop.aborted || records.length === 0) return undefined;
      const key = `${topic}\u0000${partition}`;
      let queue = queues.get(key);
      if (queue === undefined) {
        queue = { topic, partition, records: [], inHand: 0, highWatermark: 0n, generation, running: false, spaceWaiters: [] };
        queues.set(key, queue);
      }
      if (queue.generation !== generation) {
        queue.generation = generation;
        queue.records = [];
      }
      const hw = BigInt(highWatermark);
      if (hw > queue.highWatermark) queue.highWatermark = hw;
      queue.records.push(...records);
      pump(queue);
      if (queue.records.length < options.queueLimit) return undefined;
      const full = queue;
      return new Promise<void>((resolve) => full.spaceWaiters.push(resolve));
    },
    reset() {
      generation += 1;
      for (const queue of queues.values()) {
        queue.generation = generation;
        if (queue.records.length > 0) options.logger.debug({ partition: queue.partition, dropped: queue.records.length }, 'rebalance: dropped queued records; they are fetched again');
        queue.records = [];
        wakeSpace(queue);
      }
    },
    idle() {
      if (running === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    get backlog() {
      let total = 0;
      for (const queue of queues.values()) total += queue.records.length + queue.inHand;
      return total;
    },
  };
}
