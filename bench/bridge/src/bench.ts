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
 * appsync-local runs as a child process (`appsync-local --port 0`), the broker is --brokers or
 * tools/kafka's (started if needed), the bridge runs in this process (runBridge, defaults unless
 * flags say otherwise). `npm run bench:bridge -- --help` lists the options.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { createHistogram, killAllChildren, leaseBroker, percentiles, sleepUntil, startAppSyncLocal, type Histogram } from '@tickerflow/bench-support';
import { connectWithin, createKafka, parseBrokers, type KafkaSettings } from '@tickerflow/kafka';
import type { FloorSummary } from './floor-consumer';
import type { BridgeBenchOptions } from './options';
import {
  ROUND_TRIPS_PER_SECOND,
  bridgeConfig,
  freshTopic,
  measureRoundTrips,
  produce,
  produceThroughWindow,
  startFloorConsumer,
  withBridge,
  type BenchContext,
} from './setup';

/** Runs the three phases and prints the figures (text, or one JSON line with --json). */
export async function runBridgeBench(args: BridgeBenchOptions): Promise<void> {
  const { backlog, rate, seconds, partitions } = args;
  const warmupSeconds = args.warmup;
  const say = (line: string): void => {
    if (!args.json) process.stdout.write(`${line}\n`);
  };
  const broker = await leaseBroker(args.brokers, { keep: args.keepKafka });
  const brokers = broker.brokers;
  const settings: KafkaSettings = { brokers: parseBrokers('--brokers', brokers), clientId: 'bench-bridge', ssl: false, connectTimeoutMs: 10_000 };
  const kafka = createKafka(settings, pino({ level: 'silent' }));
  const admin = kafka.admin();
  const ctx: BenchContext = { args, brokers, settings, admin, runId: Date.now().toString(36), topics: [] };
  const { topics } = ctx;

  try {
    await connectWithin(kafka, admin);
    const appsync = await startAppSyncLocal();
    const url = appsync.graphqlUrl;
    say(`bench:bridge against ${brokers} and appsync-local at ${url}, ${partitions}-partition topics`);
    say(`bridge settings: batch-size ${args.batchSize}, max-in-flight ${args.maxInFlight}, connections ${args.connections}`);

    // 1. One AppSync round trip alone: the bridge's live requests, without Kafka or the bridge around them
    const roundTrip = await measureRoundTrips(ctx, url);

    // 2. Live: the floor (a plain kafkajs consumer in its own process), then the bridge, at the same rate
    // The floor runs in its own phase just before the bridge's (as in bench:e2e): beside the bridge,
    // its consumer's CPU (10-15 % of a core) competed with the bridge and added 1-3 ms to its p99.
    const floorAlone = !args.floorBeside;
    let floorSummary: FloorSummary | undefined;
    if (floorAlone) {
      const floorTopic = await freshTopic(ctx, 'floor', { appendTime: true });
      const alone = await startFloorConsumer(ctx, floorTopic);
      await produceThroughWindow(ctx, floorTopic, async ({ from, until }) => {
        alone.window(from, until);
        await sleepUntil(until);
      });
      floorSummary = await alone.stop();
    }
    const liveTopic = await freshTopic(ctx, 'live', { appendTime: true });
    const floor = floorAlone ? undefined : await startFloorConsumer(ctx, liveTopic);
    const newHistogram = (): Histogram => createHistogram(600_000); // ms
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
      ctx,
      bridgeConfig(ctx, liveTopic, url),
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
        produceThroughWindow(ctx, liveTopic, async ({ from, until }) => {
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
    const { p50, p99, max } = percentiles(histogram);
    const added = p99 - floorSummary.p99Ms;
    const part = (h: Histogram): string => {
      const { p50, p99, max } = percentiles(h);
      return `p50 ${p50} ms, p99 ${p99} ms, max ${max} ms`;
    };
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
    const backlogTopic = await freshTopic(ctx, 'backlog');
    const filled = await produce(ctx, backlogTopic, { count: backlog, rate: 0 });
    say(`pre-filled ${filled.sent.toLocaleString('en-US')} quotes in ${(filled.elapsedMs / 1000).toFixed(1)} s`);
    let accepted = 0;
    let lastAcceptedAt = 0;
    let finish!: () => void;
    const drained = new Promise<void>((resolve) => (finish = resolve));
    const drainMs = await withBridge(
      ctx,
      bridgeConfig(ctx, backlogTopic, url),
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
      const summary = (h: Histogram) => {
        const { p50, p99, max } = percentiles(h);
        return { p50Ms: p50, p99Ms: p99, maxMs: max };
      };
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
    killAllChildren();
    await admin.deleteTopics({ topics: [...topics, ...topics.map((t) => `${t}.dlq`)] }).catch(() => {});
    await admin.disconnect();
    await broker.release();
  }
}
