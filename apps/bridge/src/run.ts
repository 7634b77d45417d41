import type { Consumer, EachBatchPayload, Producer } from 'kafkajs';
import type { Logger } from '@tickerflow/cli';
import { AppError, errorMessage } from '@tickerflow/core';
import { connectWithin, createKafka, ensureTopic, holdRejoin, isRebalanceError, kafkajs, toKafkaAppError, TopicNotFoundError } from '@tickerflow/kafka';
import { createPublisher } from '@tickerflow/appsync-client';
import {
  compileMutation,
  createCommitTracker,
  createLimiter,
  createRelay,
  deadLetterTopic,
  DEFAULT_RELAY_SETTINGS,
  RelayFatalError,
  type AcceptObserver,
  type CommitOffset,
  type DeadLetterSink,
  type Publisher,
  type SourceRecord,
} from '@tickerflow/relay';
import { describeConfig, type BridgeConfig } from './config';
import { createBridgeMetrics, startMetricsServer, type BridgeMetrics, type MetricsServer } from './metrics';
import { createPartitionPipelines } from './partition-pipeline';
import { probeAppSync } from './probe';
import { createLiveStats, createStatusLog, type LiveStats, type StatusReporter } from './status';
import { waitForRoom } from './wait-for-room';
import { waitForTopic } from './wait-for-topic';

/** How often a missing topic is looked up again. */
const TOPIC_POLL_INTERVAL_MS = 1_000;

export interface RunHooks {
  /** Stops the bridge cleanly when aborted (SIGTERM/SIGINT in the CLI). */
  readonly signal: AbortSignal;
  /** Sees every batch AppSync accepted (benchmarks, tests). */
  readonly onAccepted?: AcceptObserver;
  /** Called once the group is joined and AppSync answered, with the metrics port if any. */
  readonly onReady?: (info: { metricsPort: number | undefined }) => void;
  /** Metrics to report into (a fresh registry by default). */
  readonly metrics?: BridgeMetrics;
  /** Shows the live counters (the CLI's terminal line); default: a `status` log line every config.statusIntervalMs. */
  readonly status?: (stats: LiveStats) => StatusReporter;
  /** Log kafkajs's routine group messages at info rather than debug. */
  readonly verbose?: boolean;
}

/** Slack the broker gives members to rejoin beyond our own drain bound. */
const REJOIN_MARGIN_MS = 30_000;

/**
 * The long-running relay: a kafkajs consumer group whose partitions are relayed in
 * parallel, each strictly in order, to AppSync; offsets are committed only for records
 * AppSync accepted (or that went to the dead-letter topic). Resolves after a clean stop;
 * rejects on a fatal error (refused key, unreachable Kafka at start).
 */
export async function runBridge(config: BridgeConfig, logger: Logger, hooks: RunHooks): Promise<void> {
  const log = logger.child({ component: 'bridge' });
  log.info({ config: describeConfig(config) }, 'starting');
  const template = compileMutation(config.mutation);
  if (template.missingSelection.length > 0) {
    log.warn(
      { missing: template.missingSelection },
      "the mutation's selection set lacks quote fields: subscribers only receive fields the mutation selects",
    );
  }
  const live = createLiveStats(hooks.metrics ?? createBridgeMetrics());
  const { metrics, stats } = live;
  const status = hooks.status?.(stats) ?? createStatusLog(stats, log, config.statusIntervalMs ?? 0);
  status.start();
  try {
    await relayUntilStopped(config, logger, hooks, metrics, stats, template);
  } finally {
    status.stop();
  }
}

async function relayUntilStopped(
  config: BridgeConfig,
  logger: Logger,
  hooks: RunHooks,
  metrics: BridgeMetrics,
  stats: LiveStats,
  template: ReturnType<typeof compileMutation>,
): Promise<void> {
  const log = logger.child({ component: 'bridge' });
  const kafka = createKafka(config.kafka, logger.child({ component: 'kafkajs' }), { infoAsDebug: hooks.verbose !== true });

  // Before joining the group: wait for the topic (ticker-gen creates it), create its DLQ.
  const admin = kafka.admin();
  await connectWithin(kafka, admin);
  let partitions: number;
  let fromBeginning = config.fromBeginning;
  try {
    const found = await waitForTopic(
      async () => {
        try {
          return (await ensureTopic(admin, config.kafka, { topic: config.topic, partitions: 1, create: false })).partitions;
        } catch (error) {
          if (error instanceof TopicNotFoundError) return undefined;
          throw error;
        }
      },
      {
        signal: hooks.signal,
        intervalMs: TOPIC_POLL_INTERVAL_MS,
        onWaiting: () => {
          stats.state = 'waiting for topic';
          log.info({ topic: config.topic }, `topic '${config.topic}' does not exist yet; waiting for it (ticker-gen creates it; or pass --topic)`);
        },
      },
    );
    if (found === undefined) {
      log.info('stopped before the topic appeared');
      return;
    }
    partitions = found.partitions;
    if (found.waited && !fromBeginning) {
      // Everything in a topic born after the bridge started is new to it: read it all.
      fromBeginning = true;
      log.info({ topic: config.topic, partitions }, 'the topic appeared; reading it from the beginning');
    }
    const dlq = await ensureTopic(admin, config.kafka, { topic: deadLetterTopic(config.topic), partitions, create: true });
    if (dlq.created) log.info({ topic: dlq.topic, partitions }, 'created the dead-letter topic');
  } finally {
    await admin.disconnect().catch(() => {});
  }

  const publisher = createPublisher({ url: config.url, apiKey: config.apiKey, connections: config.connections, timeoutMs: config.requestTimeoutMs });
  let appsyncAnswered = false;
  let joined = false;
  // Fail fast on a refused key or a mutation the schema does not accept; a down AppSync only warns (publishes retry).
  const probe = await probeAppSync(publisher as Publisher, template);
  if (probe.ok) appsyncAnswered = true;
  else if (probe.fatal) {
    await publisher.close().catch(() => {});
    throw probe.error;
  }
  else log.warn({ error: errorMessage(probe.error) }, 'AppSync is not answering yet; quotes will be retried until it does');

  // Dead letters: acks from all replicas before an offset counts as handled; a duplicate dead letter is harmless.
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: kafkajs().Partitioners.DefaultPartitioner });
  await connectWithin(kafka, producer);
  const deadLetters: DeadLetterSink = {
    async send(letters) {
      const byTopic = new Map<string, typeof letters[number][]>();
      for (const letter of letters) byTopic.set(letter.topic, [...(byTopic.get(letter.topic) ?? []), letter]);
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, items]) => ({
          topic,
          messages: items.map((item) => ({ key: item.key, value: item.value, headers: { ...item.headers } })),
        })),
      });
    },
  };

  const stop = new AbortController();
  const abort = new AbortController();
  let fatal: unknown;
  const relay = createRelay(
    { ...DEFAULT_RELAY_SETTINGS, batchSize: config.batchSize, conflate: config.conflate, conflateLag: config.conflateLag },
    {
      publisher: publisher as Publisher,
      template,
      deadLetters,
      metrics,
      logger: logger.child({ component: 'relay' }),
      limiter: createLimiter(config.maxInFlight),
      onAccepted: (quotes, at, records) => {
        appsyncAnswered = true;
        hooks.onAccepted?.(quotes, at, records);
      },
    },
  );
  const tracker = createCommitTracker();

  const pipelines = createPartitionPipelines({
    relay,
    stop: stop.signal,
    abort: abort.signal,
    queueLimit: Math.max(10_000, config.batchSize * 200),
    logger: log,
    onHandled(topic, partition, offset, highWatermark) {
      tracker.handled(topic, partition, offset);
      metrics.lag(partition, Number(highWatermark - BigInt(offset) - 1n));
    },
    onFatal(error) {
      shutdown(error instanceof RelayFatalError ? error : new RelayFatalError(errorMessage(error), { cause: error }));
    },
  });

  const heartbeatIntervalMs = Math.max(500, Math.floor(config.sessionTimeoutMs / 10));
  // A rebalance waits this long for requests in flight; the broker waits longer for us to rejoin.
  const drainTimeoutMs = config.shutdownTimeoutMs;
  const consumer: Consumer = kafka.consumer({
    groupId: config.group,
    minBytes: 1,
    maxWaitTimeInMs: 250,
    maxBytesPerPartition: 1024 * 1024,
    sessionTimeout: config.sessionTimeoutMs,
    rebalanceTimeout: Math.max(60_000, drainTimeoutMs + REJOIN_MARGIN_MS),
    heartbeatInterval: heartbeatIntervalMs,
    retry: { retries: 10 },
  });

  // Commits carry only offsets AppSync accepted, and only under the generation that owns them:
  // closed from the moment a rebalance is known until the group is joined again.
  let commitsOpen = true;
  // kafkajs returns from commitOffsets without committing when its runner is not running, so
  // only its COMMIT_OFFSETS event (sent after the broker's answer) marks offsets committed.
  let commitsConfirmed = 0;
  consumer.on(consumer.events.COMMIT_OFFSETS, ({ payload }) => {
    commitsConfirmed += 1;
    tracker.markCommitted(
      payload.topics.flatMap(({ topic, partitions }) =>
        partitions.map(({ partition, offset }) => ({ topic, partition: Number(partition), offset: String(offset) })),
      ),
    );
  });
  const commitNow = async (pending: readonly CommitOffset[]): Promise<void> => {
    const before = commitsConfirmed;
    try {
      await consumer.commitOffsets([...pending]);
      if (commitsConfirmed === before) log.debug({ offsets: pending }, 'kafkajs did not commit (its consumer is not running); will retry');
      else log.debug({ offsets: pending }, 'committed');
    } catch (error) {
      if (isRebalanceError(error)) log.debug({ error: errorMessage(error), offsets: pending }, 'commit refused: the group is rebalancing');
      else log.warn({ error: errorMessage(error), offsets: pending }, 'commit failed; will retry');
    }
  };
  let committing: Promise<void> = Promise.resolve();
  const commit = (): Promise<void> => {
    committing = committing.then(async () => {
      const pending = commitsOpen ? tracker.pending() : [];
      if (pending.length > 0) await commitNow(pending);
    });
    return committing;
  };
  // Settles after the shutdown's last commit: what a rejoin that kafkajs starts while we stop waits for.
  let finalCommitDone!: () => void;
  const finalCommit = new Promise<void>((resolve) => (finalCommitDone = resolve));
  const commitTimer = setInterval(() => void commit(), config.commitIntervalMs);
  commitTimer.unref();

  /**
   * Lets every partition go before kafkajs rejoins the group (kafkajs 2 has no
   * onPartitionsRevoked: this is the rejoin hold, or runs inside eachBatch, which kafkajs
   * waits for before rejoining). Requests in flight finish or are abandoned after the drain
   * timeout and are never retried; what AppSync accepted is committed under the generation
   * that still owns it (the broker accepts commits until every member has rejoined);
   * nothing computed before the rebalance is committed after it.
   */
  let releasing: Promise<void> | undefined;
  const release = (): Promise<void> =>
    (releasing ??= (async () => {
      stats.state = 'rebalancing';
      const started = Date.now();
      log.info({ timeoutMs: drainTimeoutMs }, 'group rebalancing: finishing requests in flight and committing before letting the partitions go');
      const { abandoned } = await pipelines.release(drainTimeoutMs);
      await commit();
      const uncommitted = tracker.pending();
      commitsOpen = false;
      tracker.retain(() => false);
      if (uncommitted.length === 0) log.info({ ms: Date.now() - started, abandoned }, 'partitions released with every accepted offset committed');
      else log.warn({ ms: Date.now() - started, abandoned, uncommitted }, 'partitions released; these accepted offsets could not be committed, their quotes will be relayed again');
    })());

  // kafkajs emits REBALANCING right before it rejoins, and (patched, see holdRejoin) waits
  // for the hold first: the partitions are released, and their accepted offsets committed,
  // while this member still owns them. While stopping, the final commit is the hold.
  consumer.on(consumer.events.REBALANCING, ({ payload }) => {
    holdRejoin(payload, stop.signal.aborted ? finalCommit : release());
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    joined = true;
    const assigned = payload.memberAssignment[config.topic] ?? [];
    tracker.retain((topic, partition) => topic === config.topic && assigned.includes(partition));
    pipelines.reset();
    releasing = undefined;
    commitsOpen = true;
    stats.retainPartitions(assigned);
    if (!stop.signal.aborted) stats.state = 'relaying';
    log.info({ group: config.group, partitions: assigned }, 'joined the group');
    if (appsyncAnswered) ready();
  });
  if (log.isLevelEnabled('debug')) {
    consumer.on(consumer.events.FETCH, ({ payload }) => log.debug({ fetchMs: payload.duration }, 'fetched'));
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
      log.debug({ partition: payload.partition, records: payload.batchSize, ms: payload.duration, lag: payload.offsetLagLow }, 'batch queued'),
    );
  }
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    log.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
    if (!payload.restart) shutdown(toKafkaAppError(payload.error, config.kafka));
  });

  const eachBatch = async ({ batch, resolveOffset, heartbeat }: EachBatchPayload): Promise<void> => {
    if (stop.signal.aborted || batch.messages.length === 0) return;
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
      // Moves only kafkajs' fetch position: commits come from the tracker, for accepted records only.
      resolveOffset(records[records.length - 1]!.offset);
      const full = pipelines.enqueue(topic, partition, records, batch.highWatermark);
      if (full !== undefined) await waitForRoom(full, heartbeat, heartbeatIntervalMs, stop.signal);
    } catch (error) {
      if (!isRebalanceError(error) || stop.signal.aborted) throw error;
      await release();
      throw error;
    }
  };

  let metricsServer: MetricsServer | undefined;
  let readyFired = false;
  const ready = (): void => {
    if (readyFired) return;
    readyFired = true;
    hooks.onReady?.({ metricsPort: metricsServer?.port });
  };

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  function shutdown(error?: unknown): void {
    if (error !== undefined && fatal === undefined) fatal = error;
    if (stop.signal.aborted) return;
    stop.abort();
    resolveStopped();
  }
  if (hooks.signal.aborted) shutdown();
  hooks.signal.addEventListener('abort', () => shutdown(), { once: true });

  try {
    if (config.metricsPort !== undefined) {
      metricsServer = await startMetricsServer(metrics.registry, {
        port: config.metricsPort,
        host: config.metricsHost,
        ready: () => joined && appsyncAnswered && !stop.signal.aborted,
      });
      log.info({ port: metricsServer.port }, 'metrics on /metrics, /healthz, /readyz');
    }
    stats.state = 'joining';
    await connectWithin(kafka, consumer);
    await consumer.subscribe({ topics: [config.topic], fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.max(1, partitions),
      eachBatch,
    });
    log.info({ topic: config.topic, partitions }, 'relaying');
    if (appsyncAnswered && joined) ready();
    await stopped;
  } catch (error) {
    shutdown(error);
  }

  // Shutdown: fetch nothing new, let requests in flight finish within the timeout, commit, leave.
  stats.state = 'stopping';
  log.info({ timeoutMs: config.shutdownTimeoutMs }, 'stopping');
  try {
    consumer.pause([{ topic: config.topic }]);
  } catch {
    // not running yet
  }
  {
    const timer = setTimeout(() => abort.abort(new Error('shutdown timeout')), config.shutdownTimeoutMs);
    await pipelines.idle();
    clearTimeout(timer);
  }
  clearInterval(commitTimer);
  await commit();
  finalCommitDone();
  const committed = tracker.pending().length === 0;
  await consumer.disconnect().catch((error: unknown) => log.warn({ error: errorMessage(error) }, 'consumer disconnect failed'));
  await producer.disconnect().catch(() => {});
  await publisher.close().catch(() => {});
  await metricsServer?.close();
  log.info({ committed, published: undefined }, 'stopped');
  if (fatal !== undefined) throw fatal instanceof AppError ? fatal : new RelayFatalError(errorMessage(fatal), { cause: fatal });
}

/** A record's Kafka timestamp in epoch ms; undefined for Kafka's "none" (-1) or anything unreadable. */
function kafkaTimestamp(raw: string): number | undefined {
  const ms = Number(raw);
  return ms > 0 ? ms : undefined;
}
