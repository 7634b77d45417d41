import { pino } from 'pino';
import type { Kafka } from 'kafkajs';
import { createAppSyncServer, type AppSyncServerUrls } from '@tickerflow/appsync-server';
import { createRealtimeClient } from '@tickerflow/appsync-client';
import { kafkaSettingsFromOptions } from '@tickerflow/kafka';
import { createPriceModel, type Quote } from '@tickerflow/quote';
import { testBrokers, testKafka, uniqueName } from '@tickerflow/test-support';
import type { FaultOptions } from '@tickerflow/appsync-server';
import { BRIDGE_DEFAULTS, type BridgeConfig } from '@tickerflow/bridge-runtime';

export const quietLogger = () => pino({ level: process.env['BRIDGE_TEST_LOG'] ?? 'silent' });

/** A client for the test broker that logs through quietLogger (BRIDGE_TEST_LOG=debug to see kafkajs). */
export function kafkaClient(): Kafka {
  return testKafka({ clientId: 'bridge-test', logger: quietLogger() });
}

/** `count` quotes over `tickers`, per-ticker seq from 1, ts = now at creation. */
export function makeQuotes(count: number, tickers: readonly string[] = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF']): Quote[] {
  const model = createPriceModel({ seed: uniqueName('seed'), tickers });
  return Array.from({ length: count }, () => model.next());
}

export async function startAppSync(faults?: FaultOptions): Promise<AppSyncServerUrls & { close(): Promise<void> }> {
  const server = createAppSyncServer({ port: 0, ...(faults ? { faults } : {}) });
  const urls = await server.listen();
  return { ...urls, close: () => server.close() };
}

export interface Collector {
  readonly quotes: Quote[];
  /** When each quote of `quotes` arrived (epoch ms). */
  readonly arrivedAt: number[];
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A realtime subscriber (appsync-client) collecting every quote published, in arrival order. */
export async function subscribe(urls: AppSyncServerUrls): Promise<Collector> {
  const client = createRealtimeClient({ url: urls.graphqlUrl, realtimeUrl: urls.realtimeUrl, apiKey: urls.apiKey });
  await client.connect();
  const quotes: Quote[] = [];
  const arrivedAt: number[] = [];
  let waiter: { count: number; resolve: () => void } | undefined;
  await new Promise<void>((resolve, reject) => {
    client.subscribe(
      { query: 'subscription { tickerlocal { id ticker seq price bid ask size matchtime ts } }' },
      {
        onStarted: () => resolve(),
        onError: (errors) => reject(new Error(JSON.stringify(errors))),
        onData(data) {
          quotes.push((data as { tickerlocal: Quote }).tickerlocal);
          arrivedAt.push(Date.now());
          if (waiter && quotes.length >= waiter.count) waiter.resolve();
        },
      },
    );
  });
  return {
    quotes,
    arrivedAt,
    async waitFor(count, timeoutMs = 30_000) {
      if (quotes.length >= count) return;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out with ${quotes.length}/${count} quotes`)), timeoutMs);
        waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
      });
    },
    close: () => client.close(),
  };
}

/** Per ticker: seqs that never arrived (gaps), seqs seen twice, and forward jumps in arrival order. */
export function sequenceReport(quotes: readonly Quote[], expected: readonly Quote[]) {
  const expectedMax = new Map<string, number>();
  for (const q of expected) expectedMax.set(q.ticker, Math.max(expectedMax.get(q.ticker) ?? 0, q.seq));
  const seen = new Map<string, number[]>();
  for (const q of quotes) seen.set(q.ticker, [...(seen.get(q.ticker) ?? []), q.seq]);
  let missing = 0;
  let duplicates = 0;
  let jumps = 0;
  for (const [ticker, max] of expectedMax) {
    const seqs = seen.get(ticker) ?? [];
    const set = new Set(seqs);
    for (let s = 1; s <= max; s += 1) if (!set.has(s)) missing += 1;
    duplicates += seqs.length - set.size;
    let previous = 0;
    for (const s of seqs) {
      if (s > previous + 1) jumps += 1;
      previous = s;
    }
  }
  return { missing, duplicates, jumps };
}

export function bridgeConfig(overrides: Partial<BridgeConfig> & { topic: string; url: string }): BridgeConfig {
  return {
    kafka: kafkaSettingsFromOptions({ brokers: [testBrokers()], connectTimeout: 10_000 }, 'bridge-test'),
    group: uniqueName('group'),
    fromBeginning: true,
    apiKey: BRIDGE_DEFAULTS.apiKey,
    mutation: BRIDGE_DEFAULTS.mutation,
    batchSize: BRIDGE_DEFAULTS.batchSize,
    connections: 4,
    maxInFlight: 8,
    conflate: false,
    conflateLag: BRIDGE_DEFAULTS.conflateLag,
    shutdownTimeoutMs: 5_000,
    commitIntervalMs: 200,
    requestTimeoutMs: 5_000,
    sessionTimeoutMs: 10_000,
    metricsPort: undefined,
    metricsHost: '127.0.0.1',
    statusIntervalMs: 0,
    ...overrides,
  };
}

/** Reads `count` records of a topic from the beginning (own group), with their headers as strings. */
export async function readTopic(topic: string, count: number, timeoutMs = 20_000) {
  const consumer = kafkaClient().consumer({ groupId: uniqueName('reader') });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const out: { key: string | null; value: Buffer | null; headers: Record<string, string> }[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out with ${out.length}/${count} records of ${topic}`)), timeoutMs);
    void consumer.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        out.push({ key: message.key?.toString() ?? null, value: message.value, headers });
        if (out.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return out;
}

/** True when, per ticker, the first arrival of each seq comes in seq order (duplicates aside). */
export function firstArrivalsInOrder(quotes: readonly Quote[]): boolean {
  const seen = new Map<string, Set<number>>();
  const last = new Map<string, number>();
  for (const q of quotes) {
    const seqs = seen.get(q.ticker) ?? new Set<number>();
    seen.set(q.ticker, seqs);
    if (seqs.has(q.seq)) continue;
    seqs.add(q.seq);
    if (q.seq < (last.get(q.ticker) ?? 0)) return false;
    last.set(q.ticker, q.seq);
  }
  return true;
}

/** Committed offsets of a group on a topic, summed over partitions. */
export async function committedTotal(group: string, topic: string): Promise<number> {
  const admin = kafkaClient().admin();
  await admin.connect();
  const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  await admin.disconnect();
  return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}
