/**
 * npm run bench:bridge — how fast the bridge relays, on this machine.
 *
 * 1. Round trip: the bridge's publisher alone sends requests of the live phase's size at its
 *    cadence (one per ticker-gen tick) to appsync-local: the floor of the AppSync hop.
 * 2. Live: a fresh topic, the bridge caught up, ticker-gen (child process) producing --rate quotes/s for
 *    --seconds after --warmup; latency = AppSync's acceptance (the HTTP response arriving at the
 *    bridge) minus the quote's `ts` (set by the producer when it made the quote). Just before,
 *    in a phase of its own with the same rate and timing, a plain kafkajs consumer in its own
 *    process (floor-consumer.ts, the floor) notes ts -> fetched: the bridge's p99 minus the
 *    floor's is what the bridge adds (--floor-beside runs the floor in the bridge's seconds
 *    instead, on the same topic, where its CPU competes with the bridge). The topic stamps
 *    records with the broker's append time, which splits the bridge's path into producer,
 *    fetch and bridge parts.
 * 3. Backlog: pre-fills a fresh topic with --backlog quotes (ticker-gen --rate 0, a child
 *    process), then starts the bridge (a new group, from the beginning) and times it draining
 *    the topic: quotes/s from the group join to the last quote AppSync accepted.
 *
 * appsync-local runs as a child process (`node_modules/.bin/appsync-local --port 0`), the broker
 * is tools/kafka's (started if needed), the bridge runs in this process (runBridge, defaults
 * unless flags say otherwise).
 *
 *   npm run bench:bridge -- [--backlog 200000] [--rate 2000] [--seconds 15] [--partitions 6]
 *                           [--batch-size 25] [--max-in-flight 16] [--connections 8] [--warmup 3]
 *                           [--floor-beside] [--json]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as hdr from 'hdr-histogram-js';
import { pino } from 'pino';
import { BRIDGE_DEFAULTS, createBridgeMetrics, runBridge, type BridgeConfig } from '@tickerflow/bridge';
import { connectWithin, createKafka, ensureTopic, parseBrokers, type KafkaSettings } from '@tickerflow/kafka';
import { releaseBroker, startBroker, REPO_ROOT } from '@tickerflow/kafka-runner';
import { createPriceModel, DEFAULT_TICKERS, type Quote } from '@tickerflow/quote';
import { createPublisher } from '@tickerflow/appsync-client';
import { sleep } from '@tickerflow/core';
import { compileMutation, type SourceRecord } from '@tickerflow/relay';
import type { FloorSummary } from './floor-consumer';

const { values: args } = parseArgs({
  options: {
    backlog: { type: 'string', default: '200000' },
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    partitions: { type: 'string', default: '6' },
    'batch-size': { type: 'string', default: String(BRIDGE_DEFAULTS.batchSize) },
    'max-in-flight': { type: 'string', default: String(BRIDGE_DEFAULTS.maxInFlight) },
    connections: { type: 'string', default: String(BRIDGE_DEFAULTS.connections) },
    json: { type: 'boolean', default: false },
    'floor-beside': { type: 'boolean', default: false },
  },
});
const backlog = Number(args.backlog);
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const warmupSeconds = Number(args.warmup);
const partitions = Number(args.partitions);

const say = (line: string): void => {
  if (!args.json) process.stdout.write(`${line}\n`);
};

const fromEnv = process.env['KAFKA_BROKERS'];
const leased = fromEnv === undefined;
const brokers = fromEnv ?? (await startBroker({ startedBy: 'test', lease: true })).brokers;
const settings: KafkaSettings = { brokers: parseBrokers('KAFKA_BROKERS', brokers), clientId: 'bench-bridge', ssl: false, connectTimeoutMs: 10_000 };
const silent = pino({ level: 'silent' });
const kafka = createKafka(settings, silent);
const admin = kafka.admin();
const runId = Date.now().toString(36);
const topics: string[] = [];
let appsync: ChildProcess | undefined;
let floorChild: ChildProcess | undefined;

async function startAppSyncLocal(): Promise<string> {
  // graphql-js in production mode skips its development-time instanceof checks (about 10% of a request).
  const child = spawn(join(REPO_ROOT, 'node_modules/.bin/appsync-local'), ['--port', '0', '--json'], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  appsync = child;
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const event = JSON.parse(line) as { event?: string; graphqlUrl?: string };
    if (event.event === 'listening' && event.graphqlUrl) return event.graphqlUrl;
  }
  throw new Error('appsync-local exited before listening');
}

/** `appendTime`: the broker stamps each record when it appends it, so latency splits into producer, consumer and bridge parts. */
async function freshTopic(label: string, options: { appendTime?: boolean } = {}): Promise<string> {
  const topic = `bench-bridge-${runId}-${label}`;
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

/**
 * Runs ticker-gen (the producer CLI) as a child process, so producing does not compete with the
 * bridge for its event loop. Resolves with the number of quotes it sent (its --json summary).
 */
async function produce(topic: string, options: { count?: number; rate: number; signal?: AbortSignal }): Promise<{ sent: number; elapsedMs: number }> {
  const args = ['--topic', topic, '--rate', String(options.rate), '--brokers', brokers, '--json', '--seed', `bench-${topic}`];
  if (options.count !== undefined) args.push('--count', String(options.count));
  const child = spawn(join(REPO_ROOT, 'node_modules/.bin/ticker-gen'), args, { stdio: ['ignore', 'pipe', 'ignore'] });
  options.signal?.addEventListener('abort', () => child.kill('SIGINT'), { once: true });
  let summary: { sent: number; elapsedMs: number } | undefined;
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const event = JSON.parse(line) as { type?: string; sent?: number; elapsedMs?: number };
    if (event.type === 'summary') summary = { sent: event.sent ?? 0, elapsedMs: event.elapsedMs ?? 0 };
  }
  const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve)));
  if (summary === undefined) throw new Error(`ticker-gen exited with ${code} without a summary`);
  return summary;
}

/** Requests per second of the round-trip phase: one per ticker-gen tick, as the live bridge sends them. */
const ROUND_TRIPS_PER_SECOND = 100;

/**
 * The floor of the AppSync hop: the bridge's own publisher and mutation sending requests of the
 * size the live phase sends (a tick of quotes), one at a time at the live cadence, for 10 s.
 */
async function measureRoundTrips(url: string): Promise<{ quotesPerRequest: number; p50Ms: number; p99Ms: number; maxMs: number }> {
  const publisher = createPublisher({ url, apiKey: BRIDGE_DEFAULTS.apiKey, connections: Number(args.connections) });
  const template = compileMutation(BRIDGE_DEFAULTS.mutation);
  const quotesPerRequest = Math.max(1, Math.round(rate / ROUND_TRIPS_PER_SECOND));
  const model = createPriceModel({ tickers: DEFAULT_TICKERS, seed: 'bench-round-trip' });
  const micros = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
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
  return { quotesPerRequest, p50Ms: ms(micros.getValueAtPercentile(50)), p99Ms: ms(micros.getValueAtPercentile(99)), maxMs: ms(micros.maxValue) };
}

/** Sleeps until the wall clock reaches `epochMs`. */
function sleepUntil(epochMs: number): Promise<void> {
  return sleep(Math.max(0, epochMs - Date.now()));
}

/**
 * ticker-gen at --rate into `topic` through the warm-up and the measured window, then a second
 * for the window's last quotes to arrive. `measure` gets the window (epoch ms, by the quotes'
 * ts; until exclusive) as producing starts and resolves once it is over. Resolves with
 * ticker-gen's summary.
 */
async function produceThroughWindow(
  topic: string,
  measure: (window: { readonly from: number; readonly until: number }) => Promise<void>,
): Promise<{ sent: number; elapsedMs: number }> {
  const from = Date.now() + warmupSeconds * 1000;
  const stopProducing = new AbortController();
  const producing = produce(topic, { rate, signal: stopProducing.signal });
  await measure({ from, until: from + seconds * 1000 });
  stopProducing.abort();
  const produced = await producing;
  await sleep(1_000);
  return produced;
}

interface FloorConsumer {
  /** The quotes that count, by ts (epoch ms, until exclusive). */
  window(from: number, until: number): void;
  stop(): Promise<FloorSummary>;
}

/** Starts floor-consumer.ts in its own process and waits until its group is joined. */
async function startFloorConsumer(topic: string): Promise<FloorConsumer> {
  const script = join(REPO_ROOT, 'bench/bridge/src/floor-consumer.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, brokers, topic, String(partitions)], { stdio: ['pipe', 'pipe', 'inherit'] });
  floorChild = child;
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (event: string): Promise<Record<string, unknown>> => {
    for (let line = await lines.next(); !line.done; line = await lines.next()) {
      const message = JSON.parse(line.value) as Record<string, unknown>;
      if (message['event'] === event) return message;
    }
    throw new Error(`the floor consumer exited before '${event}'`);
  };
  await next('ready');
  return {
    window(from, until) {
      child.stdin!.write(`window ${from} ${until}\n`);
    },
    async stop() {
      child.stdin!.write('stop\n');
      return (await next('summary')) as unknown as FloorSummary;
    },
  };
}

function config(topic: string, url: string): BridgeConfig {
  return {
    kafka: { ...settings, clientId: 'bench-bridge' },
    topic,
    group: `${topic}-group`,
    fromBeginning: true,
    url,
    apiKey: BRIDGE_DEFAULTS.apiKey,
    mutation: BRIDGE_DEFAULTS.mutation,
    batchSize: Number(args['batch-size']),
    connections: Number(args.connections),
    maxInFlight: Number(args['max-in-flight']),
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
async function withBridge<T>(
  cfg: BridgeConfig,
  onAccepted: (quotes: readonly Quote[], at: number, records: readonly SourceRecord[]) => void,
  body: (ready: number) => Promise<T>,
): Promise<T> {
  const stop = new AbortController();
  let readyAt!: (at: number) => void;
  const ready = new Promise<number>((resolve) => (readyAt = resolve));
  const logger = pino({ level: process.env['BRIDGE_BENCH_LOG'] ?? 'warn' }, pino.destination(2));
  const metrics = createBridgeMetrics();
  const done = runBridge(cfg, logger, { signal: stop.signal, onAccepted, metrics, onReady: () => readyAt(performance.now()) });
  try {
    const at = await Promise.race([ready, done.then(() => Promise.reject(new Error('bridge stopped early')))]);
    return await body(at);
  } finally {
    stop.abort();
    await done;
    if (process.env['BRIDGE_BENCH_LOG'] === 'debug') {
      const text = await metrics.registry.metrics();
      process.stderr.write(text.split('\n').filter((l) => /bridge_(publish_latency|batch_size)_(sum|count)|bridge_publish_latency_seconds_bucket/.test(l)).join('\n') + '\n');
    }
  }
}

try {
  await connectWithin(kafka, admin);
  const url = await startAppSyncLocal();
  say(`bench:bridge against ${brokers} and appsync-local at ${url}, ${partitions}-partition topics`);
  say(`bridge settings: batch-size ${args['batch-size']}, max-in-flight ${args['max-in-flight']}, connections ${args.connections}`);

  // 1. One AppSync round trip alone: the bridge's live requests, without Kafka or the bridge around them
  const roundTrip = await measureRoundTrips(url);

  // 2. Live: the floor (a plain kafkajs consumer in its own process), then the bridge, at the same rate
  // The floor runs in its own phase just before the bridge's (as in bench:e2e): beside the bridge,
  // its consumer's CPU (10-15 % of a core) competed with the bridge and added 1-3 ms to its p99.
  const floorAlone = !args['floor-beside'];
  let floorSummary: FloorSummary | undefined;
  if (floorAlone) {
    const floorTopic = await freshTopic('floor', { appendTime: true });
    const alone = await startFloorConsumer(floorTopic);
    await produceThroughWindow(floorTopic, async ({ from, until }) => {
      alone.window(from, until);
      await sleepUntil(until);
    });
    floorSummary = await alone.stop();
  }
  const liveTopic = await freshTopic('live', { appendTime: true });
  const floor = floorAlone ? undefined : await startFloorConsumer(liveTopic);
  const newHistogram = (): hdr.Histogram => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000, numberOfSignificantValueDigits: 3 });
  const histogram = newHistogram();
  const toKafka = newHistogram();
  const fromKafka = newHistogram();
  const inBridge = newHistogram();
  // The quotes that count, by the ts ticker-gen gave them: made after the warm-up, before the end.
  let windowFrom = Number.POSITIVE_INFINITY;
  let windowUntil = Number.NEGATIVE_INFINITY;
  let live = 0;
  let bridgeCpuMs = 0;
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  const liveSummary = await withBridge(
    config(liveTopic, url),
    (quotes, at, records) => {
      for (let i = 0; i < quotes.length; i += 1) {
        const { ts } = quotes[i]!;
        if (ts < windowFrom || ts >= windowUntil) continue;
        const { timestamp = ts, receivedAt = at } = records[i]!;
        histogram.recordValue(Math.max(0, at - ts));
        toKafka.recordValue(Math.max(0, timestamp - ts));
        fromKafka.recordValue(Math.max(0, receivedAt - timestamp));
        inBridge.recordValue(Math.max(0, at - receivedAt));
        live += 1;
      }
    },
    () =>
      produceThroughWindow(liveTopic, async ({ from, until }) => {
        windowFrom = from;
        windowUntil = until;
        floor?.window(from, until);
        await sleepUntil(from);
        loopDelay.enable();
        const cpuBefore = process.cpuUsage();
        await sleepUntil(until);
        const cpu = process.cpuUsage(cpuBefore);
        bridgeCpuMs = (cpu.user + cpu.system) / 1000;
        loopDelay.disable();
      }),
  );
  floorSummary ??= await floor!.stop();
  const p50 = histogram.getValueAtPercentile(50);
  const p99 = histogram.getValueAtPercentile(99);
  const max = histogram.maxValue;
  const added = p99 - floorSummary.p99Ms;
  const part = (h: hdr.Histogram): string => `p50 ${h.getValueAtPercentile(50)} ms, p99 ${h.getValueAtPercentile(99)} ms, max ${h.maxValue} ms`;
  const ms = (ns: number): string => (ns / 1e6).toFixed(1);
  say(`live: ${rate.toLocaleString('en-US')} quotes/s, ${seconds} s measured after ${warmupSeconds} s of warm-up (${liveSummary.sent.toLocaleString('en-US')} produced)`);
  say(`  bridge: ts -> AppSync acceptance           p50 ${p50} ms, p99 ${p99} ms, max ${max} ms (${live.toLocaleString('en-US')} quotes)`);
  say(`  floor:  ts -> fetched by a plain consumer  p50 ${floorSummary.p50Ms} ms, p99 ${floorSummary.p99Ms} ms, max ${floorSummary.maxMs} ms (${floorSummary.count.toLocaleString('en-US')} quotes, ${floorAlone ? 'its own phase just before' : 'same seconds'})`);
  say(`  the bridge adds ${added} ms at p99 over the floor (target <= 5 ms)`);
  say(`  one AppSync round trip alone (${roundTrip.quotesPerRequest} quotes, ${ROUND_TRIPS_PER_SECOND}/s, before the live phase): p50 ${roundTrip.p50Ms} ms, p99 ${roundTrip.p99Ms} ms, max ${roundTrip.maxMs} ms`);
  say(`  the bridge's path, per quote:`);
  say(`    ts -> appended to Kafka (ticker-gen + broker)       ${part(toKafka)}`);
  say(`    appended -> fetched by the bridge (broker + kafkajs) ${part(fromKafka)}`);
  say(`    fetched -> AppSync acceptance (inside the bridge)    ${part(inBridge)}`);
  say(`    bridge event-loop delay                              p50 ${ms(loopDelay.percentile(50))} ms, p99 ${ms(loopDelay.percentile(99))} ms, max ${ms(loopDelay.max)} ms`);
  say(`    bridge CPU (this process)                            ${((100 * bridgeCpuMs) / (seconds * 1000)).toFixed(0)}% of a core, ${((1000 * bridgeCpuMs) / Math.max(1, live)).toFixed(0)} µs per quote`);

  // 3. Backlog, last: draining 200k quotes leaves garbage whose collection would land in the live phase
  const backlogTopic = await freshTopic('backlog');
  const filled = await produce(backlogTopic, { count: backlog, rate: 0 });
  say(`pre-filled ${filled.sent.toLocaleString('en-US')} quotes in ${(filled.elapsedMs / 1000).toFixed(1)} s`);
  let accepted = 0;
  let lastAcceptedAt = 0;
  let finish!: () => void;
  const drained = new Promise<void>((resolve) => (finish = resolve));
  const drainMs = await withBridge(
    config(backlogTopic, url),
    (quotes) => {
      accepted += quotes.length;
      lastAcceptedAt = performance.now();
      if (accepted >= filled.sent) finish();
    },
    async (readyAt) => {
      await drained;
      return lastAcceptedAt - readyAt;
    },
  );
  const throughput = Math.round(filled.sent / (drainMs / 1000));
  say(`backlog: ${filled.sent.toLocaleString('en-US')} quotes drained in ${(drainMs / 1000).toFixed(2)} s = ${throughput.toLocaleString('en-US')} quotes/s (target >= 20,000)`);

  if (args.json) {
    const summary = (h: hdr.Histogram) => ({ p50Ms: h.getValueAtPercentile(50), p99Ms: h.getValueAtPercentile(99), maxMs: h.maxValue });
    process.stdout.write(
      `${JSON.stringify({
        backlog: { quotes: filled.sent, seconds: drainMs / 1000, quotesPerSecond: throughput },
        live: {
          rate,
          measured: live,
          p50Ms: p50,
          p99Ms: p99,
          maxMs: max,
          floor: { phase: floorAlone ? 'own' : 'beside', measured: floorSummary.count, p50Ms: floorSummary.p50Ms, p99Ms: floorSummary.p99Ms, maxMs: floorSummary.maxMs },
          addedP99Ms: added,
          appsyncRoundTrip: roundTrip,
          tsToAppend: summary(toKafka),
          appendToFetched: summary(fromKafka),
          insideBridge: summary(inBridge),
          bridgeCpuMicrosPerQuote: Math.round((1000 * bridgeCpuMs) / Math.max(1, live)),
        },
      })}\n`,
    );
  }
} finally {
  appsync?.kill('SIGTERM');
  floorChild?.kill('SIGTERM');
  await admin.deleteTopics({ topics: [...topics, ...topics.map((t) => `${t}.dlq`)] }).catch(() => {});
  await admin.disconnect();
  if (leased) await releaseBroker({ keep: Boolean(process.env['TICKERFLOW_KEEP_KAFKA']) });
}
