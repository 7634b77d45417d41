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
   * always), else a promise that resolves once it is below its limit again. Records offered
   * while released (between release() and the next reset()) are dropped: kafkajs fetches
   * them again for whoever owns the partition next.
   */
  enqueue(topic: string, partition: number, records: readonly SourceRecord[], highWatermark: string): Promise<void> | undefined;
  /**
   * Starts a new generation (after the group was joined): forgets queued records, and what
   * the older generation's requests still in flight report is ignored (kafkajs fetches again
   * from the committed offsets). Those requests are never retried.
   */
  reset(): void;
  /**
   * Lets every partition go before a rebalance: no new request and no retry starts, queued
   * records are dropped, requests in flight finish (their offsets still count) or are
   * aborted after `timeoutMs`. Resolves once nothing is in flight; the pipelines then stay
   * closed until reset().
   */
  release(timeoutMs: number): Promise<{ readonly abandoned: boolean }>;
  /** Resolves when no partition has a request in flight (after stop, nothing new starts). */
  idle(): Promise<void>;
  /** Records queued or being relayed, over all partitions. */
  readonly backlog: number;
}

export interface PipelineOptions {
  readonly relay: Relay;
  /** The bridge is stopping: start no new request and no retry. */
  readonly stop: AbortSignal;
  /** The shutdown timeout passed: cancel requests in flight. */
  readonly abort: AbortSignal;
  /** Most records queued per partition before enqueue waits. */
  readonly queueLimit: number;
  readonly logger: RelayLogger;
  /** Every record of the partition up to `offset` is handled. */
  onHandled(topic: string, partition: number, offset: string, highWatermark: bigint): void;
  /** The relay threw (fatal): stop the bridge. */
  onFatal(error: unknown): void;
}

/** One group generation: its requests stop (and abort) with the bridge or when it ends. */
interface Generation {
  readonly stopper: AbortController;
  readonly aborter: AbortController;
  readonly stop: AbortSignal;
  readonly abort: AbortSignal;
}

interface Queue {
  readonly topic: string;
  readonly partition: number;
  records: SourceRecord[];
  inHand: number;
  highWatermark: bigint;
  generation: Generation;
  running: boolean;
  readonly spaceWaiters: (() => void)[];
}

export function createPartitionPipelines(options: PipelineOptions): PartitionPipelines {
  const queues = new Map<string, Queue>();
  const newGeneration = (): Generation => {
    const stopper = new AbortController();
    const aborter = new AbortController();
    return {
      stopper,
      aborter,
      stop: AbortSignal.any([options.stop, stopper.signal]),
      abort: AbortSignal.any([options.abort, aborter.signal]),
    };
  };
  let generation = newGeneration();
  let running = 0;
  const idleWaiters: (() => void)[] = [];

  const wakeSpace = (queue: Queue): void => {
    if (queue.records.length >= options.queueLimit && !queue.generation.stop.aborted) return;
    for (const wake of queue.spaceWaiters.splice(0)) wake();
  };

  const dropQueued = (): void => {
    for (const queue of queues.values()) {
      if (queue.records.length > 0) options.logger.debug({ partition: queue.partition, dropped: queue.records.length }, 'rebalance: dropped queued records; they are fetched again');
      queue.records = [];
      queue.generation = generation;
      wakeSpace(queue);
    }
  };

  const idle = (): Promise<void> => (running === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve)));

  const pump = (queue: Queue): void => {
    if (queue.running || queue.records.length === 0 || queue.generation.stop.aborted) return;
    queue.running = true;
    running += 1;
    void (async () => {
      try {
        while (queue.records.length > 0 && !queue.generation.stop.aborted) {
          const records = queue.records;
          const mine = queue.generation;
          queue.records = [];
          queue.inHand = records.length;
          wakeSpace(queue);
          const first = records[0] as SourceRecord;
          const lag = Number(queue.highWatermark - BigInt(first.offset));
          const outcome = await options.relay.relayBatch(records, lag, {
            stop: mine.stop,
            abort: mine.abort,
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
        // Records of a newer generation may have queued up behind the old one's last request.
        pump(queue);
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
      if (generation.stop.aborted || records.length === 0) return undefined;
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
      generation.stopper.abort();
      generation = newGeneration();
      dropQueued();
    },
    async release(timeoutMs) {
      const releasing = generation;
      releasing.stopper.abort();
      dropQueued();
      let abandoned = false;
      const timer = setTimeout(() => {
        abandoned = running > 0;
        releasing.aborter.abort(new Error('rebalance timeout'));
      }, timeoutMs);
      await idle();
      clearTimeout(timer);
      return { abandoned };
    },
    idle,
    get backlog() {
      let total = 0;
      for (const queue of queues.values()) total += queue.records.length + queue.inHand;
      return total;
    },
  };
}
