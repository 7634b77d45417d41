import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { startAppSyncLocal, stopChild } from '@tickerflow/bench-support';
import {
  createPublisher,
  type LatencySummary,
  type HttpPublisher,
} from '@tickerflow/appsync-client';
import { AppError, sleep } from '@tickerflow/core';
import { REPO_ROOT } from '@tickerflow/kafka-runner';
import { compileMutation } from '@tickerflow/relay';
import { startBlastSource } from './blast-source';
import { verdict } from './report';

const SUB_BIN = join(REPO_ROOT, 'apps/subscriber/bin/sub.mjs');

export type SourceKind = 'appsync-local' | 'raw';

export interface BenchOptions {
  /** Where events come from: appsync-local fed by the HTTP publisher (end to end), or a raw ws source (sub's own ceiling). */
  readonly source: SourceKind;
  /** Target publish rates, events/s, one step each. */
  readonly rates: readonly number[];
  /** Seconds of publishing per step. */
  readonly stepSeconds: number;
  /** Quotes per aliased mutation. */
  readonly batch: number;
  /** Distinct tickers (round-robin). */
  readonly tickers: number;
  /** HTTP connections of the publisher. */
  readonly connections: number;
  /** p99 latency above this counts as falling behind. */
  readonly latencyBoundMs: number;
  /** Progress lines (stderr). */
  readonly progress: (line: string) => void;
  readonly signal: AbortSignal;
}

export interface StepResult {
  readonly source: SourceKind;
  readonly targetRate: number;
  readonly published: number;
  readonly publishedRate: number;
  readonly received: number;
  readonly receivedRate: number;
  readonly latencyMs: LatencySummary;
  readonly missed: number;
  readonly duplicates: number;
  readonly reconnects: number;
  readonly verdict: string;
}

interface Sent {
  readonly sent: number;
  readonly ms: number;
}

/** What a step needs from an event source. */
interface Source {
  readonly graphqlUrl: string;
  readonly apiKey: string;
  readonly description: string;
  waitForSubscriber(exited: Promise<unknown>): Promise<void>;
  /** Sends up to `total` events at `rate`/s, stopping at `budgetMs`; resolves with how many and the ms it took. */
  send(rate: number, total: number, budgetMs: number): Promise<Sent>;
  close(): Promise<void>;
}

async function appsyncLocalSource(options: BenchOptions): Promise<Source> {
  const local = await startAppSyncLocal();
  const publisher = createPublisher({ url: local.graphqlUrl, apiKey: local.apiKey, connections: options.connections, timeoutMs: 30_000 });
  const seqs = new Map<string, number>();
  return {
    graphqlUrl: local.graphqlUrl,
    apiKey: local.apiKey,
    description: `appsync-local at ${local.graphqlUrl} (pid ${local.child.pid}), publisher: ${options.connections} connections, ${options.batch} quotes per mutation`,
    waitForSubscriber: (exited) => waitForSubscriptions(local.graphqlUrl, 1, exited),
    send: (rate, total, budgetMs) => publishAt(publisher, rate, total, budgetMs, seqs, options),
    async close() {
      await publisher.close();
      await stopChild(local.child, 5_000);
    },
  };
}

async function rawSource(options: BenchOptions): Promise<Source> {
  const blast = await startBlastSource();
  return {
    graphqlUrl: blast.graphqlUrl,
    apiKey: 'da2-benchbenchbenchbench0000',
    description: `raw ws source at ${blast.graphqlUrl} (data frames only, no GraphQL work)`,
    waitForSubscriber: () => blast.waitForSubscriber(30_000),
    send: (rate, total, budgetMs) => blast.blast(rate, total, budgetMs, options.tickers),
    close: () => blast.close(),
  };
}

/**
 * Starts appsync-local in a child process, then per rate: starts `sub --json --stats --count N`
 * (one connection, one unfiltered subscription, stdout to /dev/null), publishes N quotes at the
 * rate in aliased batches, and reads sub's own stats (events, latency from `ts`, gaps).
 */
export async function runBench(options: BenchOptions): Promise<StepResult[]> {
  const source = options.source === 'raw' ? await rawSource(options) : await appsyncLocalSource(options);
  const results: StepResult[] = [];
  try {
    options.progress(`source: ${source.description}`);
    for (const rate of options.rates) {
      if (options.signal.aborted) break;
      const total = Math.round(rate * options.stepSeconds);
      options.progress(`step ${rate}/s: ${total} events over ${options.stepSeconds} s`);
      const result = await runStep(source, rate, total, options);
      results.push(result);
      options.progress(
        `  -> sent at ${result.publishedRate}/s, received ${result.received}/${result.published} at ${result.receivedRate}/s, p99 ${result.latencyMs.p99} ms: ${result.verdict}`,
      );
    }
  } finally {
    await source.close();
  }
  return results;
}

async function runStep(source: Source, rate: number, total: number, options: BenchOptions): Promise<StepResult> {
  const devNull = openSync('/dev/null', 'w');
  const sub = spawn(
    process.execPath,
    [SUB_BIN, '--url', source.graphqlUrl, '--api-key', source.apiKey, '--json', '--stats', '--count', String(total), '--max-retries', '0'],
    { stdio: ['ignore', devNull, 'pipe'] },
  );
  closeSync(devNull);
  let stderr = '';
  sub.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => sub.on('close', (code) => resolve(code)));
  try {
    await source.waitForSubscriber(exited);
    const started = performance.now();
    // A source that cannot keep the rate stops at the step's time budget (plus 20 %), so a slow
    // source shortens the step instead of stretching it.
    const { sent, ms: sendMs } = await source.send(rate, total, options.stepSeconds * 1200);
    // A subscriber that keeps up has everything moments after the last event was sent.
    const drainMs = sent === total ? Math.max(5_000, options.stepSeconds * 1000) : 3_000;
    const code = await Promise.race([exited, sleep(drainMs).then(() => 'timeout' as const)]);
    if (code === 'timeout') {
      sub.kill('SIGINT');
      await Promise.race([exited, sleep(5_000)]);
    }
    const elapsedMs = performance.now() - started;
    const stats = parseStats(stderr);
    const publishedRate = Math.round((sent / sendMs) * 1000);
    return {
      source: options.source,
      targetRate: rate,
      published: sent,
      publishedRate,
      received: stats.events,
      receivedRate: Math.round((stats.events / elapsedMs) * 1000),
      latencyMs: stats.latencyMs,
      missed: stats.missed,
      duplicates: stats.duplicates,
      reconnects: stats.reconnects,
      verdict: verdict({ targetRate: rate, publishedRate, published: sent, received: stats.events, p99: stats.latencyMs.p99 }, options.latencyBoundMs),
    };
  } finally {
    await stopChild(sub, 5_000);
  }
}

/** Publishes `total` quotes paced at `rate`/s in batches, with bounded requests in flight; resolves with the ms it took. */
async function publishAt(
  publisher: HttpPublisher,
  rate: number,
  total: number,
  budgetMs: number,
  seqs: Map<string, number>,
  options: BenchOptions,
): Promise<Sent> {
  const tickers = Array.from({ length: options.tickers }, (_, index) => `T${index}`);
  const maxInFlight = options.connections * 2;
  const template = compileMutation();
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  let sent = 0;
  let batches = 0;
  let failure: unknown;
  while (sent < total && failure === undefined && performance.now() - start < budgetMs) {
    const wait = start + (sent / rate) * 1000 - performance.now();
    if (wait >= 1) await sleep(wait);
    if (pending.size >= maxInFlight) {
      await Promise.race(pending);
      continue;
    }
    const count = Math.min(options.batch, total - sent);
    const quotes = [];
    const now = Date.now();
    // One ticker per batch, round-robin: requests run concurrently on several connections, and
    // AWS orders only one publisher's sequential requests, so a ticker's quotes never race.
    const ticker = tickers[batches % tickers.length] as string;
    batches += 1;
    for (let index = 0; index < count; index += 1) {
      const n = sent + index;
      const seq = (seqs.get(ticker) ?? 0) + 1;
      seqs.set(ticker, seq);
      const price = 100 + (n % 100) / 100;
      quotes.push({
        id: `${ticker}-${seq}-bench`,
        ticker,
        seq,
        price,
        bid: price - 0.01,
        ask: price + 0.01,
        size: 1,
        matchtime: new Date(now).toISOString(),
        ts: now,
      });
    }
    const request = template.build(quotes);
    const inFlight: Promise<void> = publisher
      .publish(request)
      .then((result) => {
        if (result.errors !== undefined) throw new AppError('BENCH_PUBLISH', `publish errors: ${JSON.stringify(result.errors[0])}`);
      })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => pending.delete(inFlight));
    pending.add(inFlight);
    sent += count;
  }
  await Promise.all(pending);
  if (failure !== undefined) throw failure;
  return { sent, ms: performance.now() - start };
}

interface SubStats {
  events: number;
  missed: number;
  duplicates: number;
  reconnects: number;
  latencyMs: LatencySummary;
}

function parseStats(stderr: string): SubStats {
  const line = stderr.split('\n').find((text) => text.startsWith('{"stats"'));
  if (line === undefined) throw new AppError('BENCH_NO_STATS', `sub printed no stats; its stderr:\n${stderr.slice(-2_000)}`);
  return (JSON.parse(line) as { stats: SubStats }).stats;
}

/** Polls appsync-local's /healthz until `n` subscriptions are live (sub is ready). */
async function waitForSubscriptions(graphqlUrl: string, n: number, exited: Promise<unknown>): Promise<void> {
  const health = new URL('/healthz', graphqlUrl).toString();
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (gone) throw new AppError('BENCH_SUB', 'sub exited before subscribing');
    const response = await request(health);
    const body = (await response.body.json()) as { subscriptions?: number };
    if ((body.subscriptions ?? 0) >= n) return;
    await sleep(50);
  }
  throw new AppError('BENCH_SUB', 'sub did not subscribe within 30 s');
}
