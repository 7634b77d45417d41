/**
 * The pieces of bench:bridge's phases: fresh topics, ticker-gen, the AppSync round trip alone,
 * the floor consumer (its own process) and the bridge run in this process.
 */
import { fileURLToPath } from 'node:url';
import type { Admin } from 'kafkajs';
import { pino } from 'pino';
import {
  createHistogram,
  forkChild,
  percentiles,
  produceThroughWindow as produceThrough,
  runTickerGen,
  type ChildHandle,
  type QuoteWindow,
  type TickerGenSummary,
} from '@tickerflow/bench-support';
import { BRIDGE_DEFAULTS, createBridgeMetrics, runBridge, type BridgeConfig } from '@tickerflow/bridge-runtime';
import { ensureTopic, type KafkaSettings } from '@tickerflow/kafka';
import { createPriceModel, DEFAULT_TICKERS, type Quote } from '@tickerflow/quote';
import { createPublisher } from '@tickerflow/appsync-client';
import { sleep } from '@tickerflow/core';
import { compileMutation, type SourceRecord } from '@tickerflow/relay';
import type { FloorSetup, FloorSummary } from './floor-consumer';
import type { BridgeBenchOptions } from './options';

/** One run's connections and the topics it made (deleted at the end). */
export interface BenchContext {
  readonly args: BridgeBenchOptions;
  readonly brokers: string;
  readonly settings: KafkaSettings;
  readonly admin: Admin;
  readonly runId: string;
  readonly topics: string[];
}

/** `appendTime`: the broker stamps each record when it appends it, so latency splits into producer, consumer and bridge parts. */
export async function freshTopic(ctx: BenchContext, label: string, options: { appendTime?: boolean } = {}): Promise<string> {
  const { admin, settings, topics } = ctx;
  const { partitions } = ctx.args;
  const topic = `bench-bridge-${ctx.runId}-${label}`;
  topics.push(topic);
  if (options.appendTime) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] }],
    });
  } else {
    await ensureTopic(admin, settings, { topic, partitions, create: true });
  }
  return topic;
}

/** ticker-gen into `topic`: `count` quotes at `rate` (0: as fast as it can) or until `signal`. */
export const produce = (ctx: BenchContext, topic: string, options: { count?: number; rate: number }): Promise<TickerGenSummary> =>
  runTickerGen({ brokers: ctx.brokers, topic, seed: `bench-${topic}`, ...options });

/** Requests per second of the round-trip phase: one per ticker-gen tick, as the live bridge sends them. */
export const ROUND_TRIPS_PER_SECOND = 100;

/**
 * The floor of the AppSync hop: the bridge's own publisher and mutation sending requests of the
 * size the live phase sends (a tick of quotes), one at a time at the live cadence, for 10 s.
 */
export async function measureRoundTrips(ctx: BenchContext, url: string): Promise<{ quotesPerRequest: number; p50Ms: number; p99Ms: number; maxMs: number }> {
  const publisher = createPublisher({ url, apiKey: BRIDGE_DEFAULTS.apiKey, connections: ctx.args.connections });
  const template = compileMutation(BRIDGE_DEFAULTS.mutation);
  const quotesPerRequest = Math.max(1, Math.round(ctx.args.rate / ROUND_TRIPS_PER_SECOND));
  const model = createPriceModel({ tickers: DEFAULT_TICKERS, seed: 'bench-round-trip' });
  const micros = createHistogram(60_000_000);
  try {
    for (let i = 0; i < 10 * ROUND_TRIPS_PER_SECOND + 100; i += 1) {
      const request = template.build(Array.from({ length: quotesPerRequest }, () => model.next()));
      const started = performance.now();
      await publisher.publish(request);
      if (i >= 100) micros.recordValue(Math.round((performance.now() - started) * 1000)); // the first 100 warm up
      await sleep(Math.max(0, 1000 / ROUND_TRIPS_PER_SECOND - (performance.now() - started)));
    }
  } finally {
    await publisher.close();
  }
  const ms = (value: number): number => Math.round(value / 100) / 10;
  const { p50, p99, max } = percentiles(micros);
  return { quotesPerRequest, p50Ms: ms(p50), p99Ms: ms(p99), maxMs: ms(max) };
}

/** ticker-gen at --rate through the warm-up and the measured window (see produceThroughWindow). */
export const produceThroughWindow = (ctx: BenchContext, topic: string, measure: (window: QuoteWindow) => Promise<void>): Promise<TickerGenSummary> =>
  produceThrough({ brokers: ctx.brokers, topic, seed: `bench-${topic}`, rate: ctx.args.rate, warmupSeconds: ctx.args.warmup, seconds: ctx.args.seconds }, measure);

export interface FloorConsumer {
  /** The quotes that count, by ts (epoch ms, until exclusive). */
  window(from: number, until: number): void;
  stop(): Promise<FloorSummary>;
}

/** Starts floor-consumer.ts in its own process and waits until its group is joined. */
export async function startFloorConsumer(ctx: BenchContext, topic: string): Promise<FloorConsumer> {
  const child: ChildHandle = forkChild(fileURLToPath(new URL('./floor-consumer.ts', import.meta.url)), 'the floor consumer');
  const setup: FloorSetup = { brokers: ctx.brokers, topic, partitions: ctx.args.partitions };
  await child.ask({ cmd: 'setup', setup }, 'ready', 60_000);
  return {
    window(from, until) {
      child.send({ cmd: 'window', from, until });
    },
    async stop() {
      const summary = (await child.ask({ cmd: 'stop' }, 'summary', 30_000)) as unknown as FloorSummary;
      await child.stop();
      return summary;
    },
  };
}

export function bridgeConfig(ctx: BenchContext, topic: string, url: string): BridgeConfig {
  const { args } = ctx;
  return {
    kafka: { ...ctx.settings, clientId: 'bench-bridge' },
    topic,
    group: `${topic}-group`,
    fromBeginning: true,
    url,
    apiKey: BRIDGE_DEFAULTS.apiKey,
    mutation: BRIDGE_DEFAULTS.mutation,
    batchSize: args.batchSize,
    connections: args.connections,
    maxInFlight: args.maxInFlight,
    conflate: false,
    conflateLag: BRIDGE_DEFAULTS.conflateLag,
    shutdownTimeoutMs: 5_000,
    commitIntervalMs: BRIDGE_DEFAULTS.commitIntervalMs,
    requestTimeoutMs: BRIDGE_DEFAULTS.requestTimeoutMs,
    sessionTimeoutMs: BRIDGE_DEFAULTS.sessionTimeoutMs,
    metricsPort: undefined,
    metricsHost: '127.0.0.1',
  };
}

/** Runs the bridge until `until` resolves; `onAccepted` sees every accepted batch. */
export async function withBridge<T>(
  ctx: BenchContext,
  cfg: BridgeConfig,
  onAccepted: (quotes: readonly Quote[], at: number, records: readonly SourceRecord[]) => void,
  body: (ready: number) => Promise<T>,
): Promise<T> {
  const stop = new AbortController();
  let readyAt!: (at: number) => void;
  const ready = new Promise<number>((resolve) => (readyAt = resolve));
  const logger = pino({ level: ctx.args.bridgeLog }, pino.destination(2));
  const metrics = createBridgeMetrics();
  const done = runBridge(cfg, logger, { signal: stop.signal, onAccepted, metrics, onReady: () => readyAt(performance.now()) });
  try {
    const at = await Promise.race([ready, done.then(() => Promise.reject(new Error('bridge stopped early')))]);
    return await body(at);
  } finally {
    stop.abort();
    await done;
    if (ctx.args.bridgeLog === 'debug') {
      const text = await metrics.registry.metrics();
      process.stderr.write(text.split('\n').filter((l) => /bridge_(publish_latency|batch_size)_(sum|count)|bridge_publish_latency_seconds_bucket/.test(l)).join('\n') + '\n');
    }
  }
}

