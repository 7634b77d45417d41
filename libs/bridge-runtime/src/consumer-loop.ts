import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from '@tickerflow/cli';
import { connectWithin, holdRejoin, isRebalanceError, toKafkaAppError } from '@tickerflow/kafka';
import type { SourceRecord } from '@tickerflow/relay';
import type { Committer } from './committer';
import type { BridgeConfig } from './config';
import type { BridgeMetrics } from './metrics';
import type { PartitionPipelines } from './partition-pipeline';
import type { LiveStats } from './status';
import { waitForRoom } from './wait-for-room';

/** Slack the broker gives members to rejoin beyond our own drain bound. */
const REJOIN_MARGIN_MS = 30_000;

const heartbeatIntervalMs = (config: BridgeConfig): number => Math.max(500, Math.floor(config.sessionTimeoutMs / 10));

/** The bridge's group member: commits are the bridge's own (see Committer), never kafkajs's. */
export function createBridgeConsumer(kafka: Kafka, config: BridgeConfig): Consumer {
  // A rebalance waits config.shutdownTimeoutMs for requests in flight; the broker waits longer for us to rejoin.
  return kafka.consumer({
    groupId: config.group,
    minBytes: 1,
    maxWaitTimeInMs: 250,
    maxBytesPerPartition: 1024 * 1024,
    sessionTimeout: config.sessionTimeoutMs,
    rebalanceTimeout: Math.max(60_000, config.shutdownTimeoutMs + REJOIN_MARGIN_MS),
    heartbeatInterval: heartbeatIntervalMs(config),
    retry: { retries: 10 },
  });
}

export interface ConsumerLoopOptions {
  /** The client `consumer` was made from (connectWithin needs it). */
  readonly kafka: Kafka;
  readonly consumer: Consumer;
  readonly config: BridgeConfig;
  readonly pipelines: PartitionPipelines;
  readonly committer: Committer;
  readonly stats: LiveStats;
  readonly metrics: BridgeMetrics;
  readonly log: Logger;
  /** The bridge is stopping. */
  readonly stop: AbortSignal;
  /** The group was joined (again). */
  onJoined(): void;
  /** kafkajs's consumer crashed for good: stop the bridge with this error. */
  onFatal(error: unknown): void;
}

export interface ConsumerLoop {
  /** Connects, subscribes and runs eachBatch, one partition of `partitions` at a time each. */
  start(partitions: number, fromBeginning: boolean): Promise<void>;
}

/**
 * Hands every fetched batch to its partition's pipeline, and follows the group: on a
 * rebalance the partitions are let go (requests in flight finished, accepted offsets
 * committed) before kafkajs rejoins; on a join the pipelines and commits start afresh.
 */
export function createConsumerLoop(options: ConsumerLoopOptions): ConsumerLoop {
  const { consumer, config, pipelines, committer, stats, metrics, log, stop } = options;
  const heartbeatMs = heartbeatIntervalMs(config);
  const drainTimeoutMs = config.shutdownTimeoutMs;

  /**
   * Lets every partition go before kafkajs rejoins the group (kafkajs 2 has no
   * onPartitionsRevoked: this is the rejoin hold, or runs inside eachBatch, which kafkajs
   * waits for before rejoining). Requests in flight finish or are abandoned after the drain timeout and are
   * never retried; what AppSync accepted is committed under the generation that still owns
   * it (the broker accepts commits until every member has rejoined); nothing computed
   * before the rebalance is committed after it.
   */
  let releasing: Promise<void> | undefined;
  const release = (): Promise<void> =>
    (releasing ??= (async () => {
      stats.state = 'rebalancing';
      const started = Date.now();
      log.info({ timeoutMs: drainTimeoutMs }, 'group rebalancing: finishing requests in flight and committing before letting the partitions go');
      const { abandoned } = await pipelines.release(drainTimeoutMs);
      await committer.commit();
      const uncommitted = committer.pending();
      committer.closeAndForget();
      if (uncommitted.length === 0) log.info({ ms: Date.now() - started, abandoned }, 'partitions released with every accepted offset committed');
      else log.warn({ ms: Date.now() - started, abandoned, uncommitted }, 'partitions released; these accepted offsets could not be committed, their quotes will be relayed again');
    })());

  // kafkajs emits REBALANCING right before it rejoins, and (patched, see holdRejoin) waits
  // for the hold first: the partitions are released, and their accepted offsets committed,
  // while this member still owns them. While stopping, the final commit is the hold.
  consumer.on(consumer.events.REBALANCING, ({ payload }) => {
    holdRejoin(payload, stop.aborted ? committer.finished : release());
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    const assigned = payload.memberAssignment[config.topic] ?? [];
    committer.reopen((topic, partition) => topic === config.topic && assigned.includes(partition));
    pipelines.reset();
    releasing = undefined;
    stats.retainPartitions(assigned);
    if (!stop.aborted) stats.state = 'relaying';
    log.info({ group: config.group, partitions: assigned }, 'joined the group');
    options.onJoined();
  });
  if (log.isLevelEnabled('debug')) {
    consumer.on(consumer.events.FETCH, ({ payload }) => log.debug({ fetchMs: payload.duration }, 'fetched'));
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
      log.debug({ partition: payload.partition, records: payload.batchSize, ms: payload.duration, lag: payload.offsetLagLow }, 'batch queued'),
    );
  }
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    log.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
    if (!payload.restart) options.onFatal(toKafkaAppError(payload.error, config.kafka));
  });

  const eachBatch = async ({ batch, resolveOffset, heartbeat }: EachBatchPayload): Promise<void> => {
    if (stop.aborted || batch.messages.length === 0) return;
    try {
      // kafkajs learns of a rebalance from a heartbeat; learning it here, inside eachBatch,
      // holds kafkajs's rejoin until release() let the partitions go.
      await heartbeat();
      const { topic, partition } = batch;
      const receivedAt = Date.now();
      const records: SourceRecord[] = batch.messages.map((message) => ({
        topic,
        partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        receivedAt,
        timestamp: kafkaTimestamp(message.timestamp),
      }));
      metrics.lag(partition, Number(BigInt(batch.highWatermark) - BigInt(records[0]!.offset)));
      // Moves only kafkajs' fetch position: commits come from the committer, for accepted records only.
      resolveOffset(records[records.length - 1]!.offset);
      const full = pipelines.enqueue(topic, partition, records, batch.highWatermark);
      if (full !== undefined) await waitForRoom(full, heartbeat, heartbeatMs, stop);
    } catch (error) {
      if (!isRebalanceError(error) || stop.aborted) throw error;
      await release();
      throw error;
    }
  };

  return {
    async start(partitions, fromBeginning) {
      await connectWithin(options.kafka, consumer);
      await consumer.subscribe({ topics: [config.topic], fromBeginning });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: Math.max(1, partitions),
        eachBatch,
      });
    },
  };
}

/** A record's Kafka timestamp in epoch ms; undefined for Kafka's "none" (-1) or anything unreadable. */
function kafkaTimestamp(raw: string): number | undefined {
  const ms = Number(raw);
  return ms > 0 ? ms : undefined;
}
