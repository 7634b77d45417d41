import type { Logger } from '@tickerflow/cli';
import { AppError, errorMessage } from '@tickerflow/core';
import { createKafka } from '@tickerflow/kafka';
import { createPublisher } from '@tickerflow/appsync-client';
import {
  createLimiter,
  createRelay,
  DEFAULT_RELAY_SETTINGS,
  MutationLoadAborted,
  RelayFatalError,
  type AcceptObserver,
} from '@tickerflow/relay';
import { createCommitter } from './committer';
import { describeConfig, type BridgeConfig } from './config';
import { createBridgeConsumer, createConsumerLoop } from './consumer-loop';
import { openDeadLetterSink } from './dead-letter-sink';
import { createBridgeMetrics, startMetricsServer, type BridgeMetrics, type MetricsServer } from './metrics';
import { loadBridgeMutation } from './mutation-source';
import { createPartitionPipelines } from './partition-pipeline';
import { probeAppSync } from './probe';
import { shutDown } from './shutdown';
import { createLiveStats, createStatusLog, type LiveStats, type StatusReporter } from './status';
import { prepareTopics } from './topic-setup';

export interface RunHooks {
  /** Stops the bridge cleanly when aborted (SIGTERM/SIGINT in the CLI). */
  readonly signal: AbortSignal;
  /**
   * Sees every batch AppSync accepted (benchmarks, tests). A method, so an observer written for
   * tickerflow quotes (the benchmarks relay only those) still fits: see AcceptObserver.
   */
  onAccepted?(...args: Parameters<AcceptObserver>): void;
  /** Called once the group is joined and AppSync answered, with the metrics port if any. */
  readonly onReady?: (info: { metricsPort: number | undefined }) => void;
  /** Metrics to report into (a fresh registry by default). */
  readonly metrics?: BridgeMetrics;
  /** Shows the live counters (the CLI's terminal line); default: a `status` log line every config.statusIntervalMs. */
  readonly status?: (stats: LiveStats) => StatusReporter;
  /** Log kafkajs's routine group messages at info rather than debug. */
  readonly verbose?: boolean;
}

/**
 * The long-running relay: a kafkajs consumer group whose partitions are relayed in
 * parallel, each strictly in order, to AppSync; offsets are committed only for records
 * AppSync accepted (or that went to the dead-letter topic). Resolves after a clean stop;
 * rejects on a fatal error (refused key, unreachable Kafka at start).
 */
export async function runBridge(config: BridgeConfig, logger: Logger, hooks: RunHooks): Promise<void> {
  const log = logger.child({ component: 'bridge' });
  log.info({ config: describeConfig(config) }, 'starting');
  const live = createLiveStats(hooks.metrics ?? createBridgeMetrics());
  const { metrics, stats } = live;
  const status = hooks.status?.(stats) ?? createStatusLog(stats, log, config.statusIntervalMs ?? 0);
  status.start();
  try {
    await relayUntilStopped(config, logger, hooks, metrics, stats);
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
): Promise<void> {
  const log = logger.child({ component: 'bridge' });
  const kafka = createKafka(config.kafka, logger.child({ component: 'kafkajs' }), { infoAsDebug: hooks.verbose !== true });

  const topics = await prepareTopics(kafka, config, { signal: hooks.signal, log, onWaiting: () => (stats.state = 'waiting for topic') });
  if (topics === undefined) {
    log.info('stopped before the topic appeared');
    return;
  }
  const { partitions, fromBeginning } = topics;

  const publisher = createPublisher({ url: config.url, apiKey: config.apiKey, connections: config.connections, timeoutMs: config.requestTimeoutMs });
  let template;
  try {
    template = await loadBridgeMutation(config, publisher, hooks.signal, log);
  } catch (error) {
    await publisher.close().catch(() => {});
    if (!(error instanceof MutationLoadAborted)) throw error;
    log.info('stopped before AppSync answered');
    return;
  }
  let appsyncAnswered = false;
  let joined = false;
  // Fail fast on a refused key or a mutation the schema does not accept; a down AppSync only warns (publishes retry).
  const probe = await probeAppSync(publisher, template);
  if (probe.ok) appsyncAnswered = true;
  else if (probe.fatal) {
    await publisher.close().catch(() => {});
    throw probe.error;
  }
  else log.warn({ error: errorMessage(probe.error) }, 'AppSync did not answer the probe as a GraphQL API does (yet); quotes will be retried until it accepts them');

  const deadLetters = await openDeadLetterSink(kafka);

  const stop = new AbortController();
  const abort = new AbortController();
  let fatal: unknown;
  const relay = createRelay(
    { ...DEFAULT_RELAY_SETTINGS, batchSize: config.batchSize, conflate: config.conflate, conflateLag: config.conflateLag },
    {
      publisher: publisher,
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

  const consumer = createBridgeConsumer(kafka, config);
  const committer = createCommitter(consumer, log);
  const pipelines = createPartitionPipelines({
    relay,
    stop: stop.signal,
    abort: abort.signal,
    queueLimit: Math.max(10_000, config.batchSize * 200),
    logger: log,
    onHandled(topic, partition, offset, highWatermark) {
      committer.handled(topic, partition, offset);
      metrics.lag(partition, Number(highWatermark - BigInt(offset) - 1n));
    },
    onFatal(error) {
      shutdown(error instanceof RelayFatalError ? error : new RelayFatalError(errorMessage(error), { cause: error }));
    },
  });
  committer.startTimer(config.commitIntervalMs);

  const loop = createConsumerLoop({
    kafka,
    consumer,
    config,
    pipelines,
    committer,
    stats,
    metrics,
    log,
    stop: stop.signal,
    onJoined() {
      joined = true;
      if (appsyncAnswered) ready();
    },
    onFatal: (error) => shutdown(error),
  });

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
        // Not ready while AppSync's answers accept nothing (relay.accepting()), e.g. 200 {"data":null}.
        ready: () => joined && appsyncAnswered && relay.accepting() && !stop.signal.aborted,
      });
      log.info({ port: metricsServer.port }, 'metrics on /metrics, /healthz, /readyz');
    }
    stats.state = 'joining';
    await loop.start(partitions, fromBeginning);
    log.info({ topic: config.topic, partitions }, 'relaying');
    if (appsyncAnswered && joined) ready();
    await stopped;
  } catch (error) {
    shutdown(error);
  }

  await shutDown({ consumer, pipelines, committer, abort, deadLetters, publisher, metricsServer }, config, stats, log);
  if (fatal !== undefined) throw fatal instanceof AppError ? fatal : new RelayFatalError(errorMessage(fatal), { cause: fatal });
}
