/**
 * One scenario: one path, one offered rate, K subscribers, a fresh topic. Starts what the path
 * needs (subscriber process, relay, producer), produces for `seconds`, waits for the last
 * deliveries (bounded), collects counts, latency and per-process CPU / peak memory, and stops
 * everything it started, whatever happens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Admin } from 'kafkajs';
import { forkChild, resetPeakRss, sampleProcess, stopChild, track, type ChildHandle, type LocalAppSync, type ProcSample } from '@tickerflow/bench-support';
import { ensureTopic, type KafkaSettings } from '@tickerflow/kafka';
import { REPO_ROOT } from '@tickerflow/kafka-runner';
import { assignSubscribers, expectedDeliveries } from './mix';
import type { BenchPlan, LatencySummary, PathName, ProcessUsage, ScenarioResult } from './types';

export type AppSyncEndpoint = Pick<LocalAppSync, 'graphqlUrl' | 'realtimeUrl' | 'apiKey' | 'pid'>;

export interface BenchEnv {
  readonly brokers: string;
  readonly settings: KafkaSettings;
  readonly admin: Admin;
  readonly appsync: AppSyncEndpoint;
  readonly plan: BenchPlan;
  readonly runId: string;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
}

export interface ScenarioSpec {
  readonly path: PathName;
  readonly subscribers: number;
  readonly rate: number;
  readonly kind: 'fixed' | 'search';
}

const SETUP_TIMEOUT_MS = 60_000;

/** Forks `children/<script>.ts` of this package. */
const forkScript = (script: string, name: string): ChildHandle => forkChild(fileURLToPath(new URL(`./children/${script}.ts`, import.meta.url)), name);
let scenarioCounter = 0;

/** Resolves after `ms`, or early when `signal` aborts (its listener removed either way). */
const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Spawns the bridge bin and resolves once its /readyz says it joined the group and AppSync answered. */
async function startBridge(env: BenchEnv, topic: string): Promise<ChildProcess> {
  const args = ['run', '--brokers', env.brokers, '--topic', topic, '--group', `${topic}-bridge`, '--from-beginning', '--url', env.appsync.graphqlUrl, '--metrics-port', '0', '--metrics-host', '127.0.0.1'];
  const child = spawn(join(REPO_ROOT, 'node_modules/.bin/bridge'), args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, APPSYNC_API_KEY: env.appsync.apiKey, NODE_ENV: 'production' },
  });
  track(child);
  try {
    return await waitForBridge(child);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

async function waitForBridge(child: ChildProcess): Promise<ChildProcess> {
  const lines = createInterface({ input: child.stderr! });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bridge did not start its metrics server within 60 s')), SETUP_TIMEOUT_MS);
    lines.on('line', (line) => {
      if (!line.includes('/readyz')) return;
      try {
        const event = JSON.parse(line) as { port?: number };
        if (event.port !== undefined) {
          clearTimeout(timer);
          resolve(event.port);
        }
      } catch {
        // not JSON: ignore
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bridge exited with ${code} before it was ready`));
    });
  });
  const deadline = Date.now() + SETUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`bridge exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ok) return child;
    await sleep(100);
  }
  throw new Error('bridge not ready within 60 s');
}

interface Watched {
  readonly name: string;
  readonly pid: number;
  start?: ProcSample;
  end?: ProcSample;
}

function usage(watched: readonly Watched[], wallSeconds: number): ProcessUsage[] {
  return watched.flatMap((w) => {
    if (w.start === undefined || w.end === undefined) return [];
    const cpuSeconds = Math.max(0, w.end.cpuSeconds - w.start.cpuSeconds);
    return [{ name: w.name, pid: w.pid, cpuSeconds, cpuPercent: wallSeconds > 0 ? (cpuSeconds / wallSeconds) * 100 : 0, peakRssMiB: w.end.peakRssMiB }];
  });
}

const ZERO_LATENCY: LatencySummary = { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };

export function failedResult(spec: ScenarioSpec, seconds: number, error: string): ScenarioResult {
  return {
    ...spec,
    seconds,
    produced: 0,
    achievedRate: 0,
    expectedDeliveries: 0,
    delivered: 0,
    lost: 0,
    duplicated: 0,
    outOfOrder: 0,
    deliveriesPerSecond: 0,
    latencyMs: ZERO_LATENCY,
    latencyCensored: false,
    p99AtLeastMs: 0,
    connectionsClosed: 0,
    sustained: false,
    processes: [],
    error,
  };
}

export async function runScenario(env: BenchEnv, spec: ScenarioSpec): Promise<ScenarioResult> {
  const { plan } = env;
  const filters = assignSubscribers(spec.subscribers, plan.tickers);
  const usesKafka = spec.path !== 'ceiling';
  scenarioCounter += 1;
  const topic = `bench-e2e-${env.runId}-${scenarioCounter}-${spec.path}-${spec.subscribers}-${spec.rate}`;
  const handles: ChildHandle[] = [];
  const spawned: ChildProcess[] = [];
  const watched: Watched[] = [];
  const seed = `bench-e2e-${topic}`;
  try {
    if (usesKafka) await ensureTopic(env.admin, env.settings, { topic, partitions: plan.partitions, create: true });

    // The source side: the ceiling's own server, or a producer child for the Kafka paths.
    let source: ChildHandle;
    let wsTarget: { graphqlUrl: string; realtimeUrl: string } | undefined;
    if (spec.path === 'ceiling') {
      source = forkScript('fanout-server', 'fanout-server');
      handles.push(source);
      const listening = await source.ask({ cmd: 'setup', setup: { rate: spec.rate, seed, tickers: plan.tickers } }, 'listening', SETUP_TIMEOUT_MS);
      const realtimeUrl = listening['url'] as string;
      wsTarget = { realtimeUrl, graphqlUrl: realtimeUrl.replace('ws://', 'http://').replace('/graphql/realtime', '/graphql') };
      watched.push({ name: 'fanout-server', pid: source.process.pid ?? 0 });
    } else {
      source = forkScript('producer', 'producer');
      handles.push(source);
      source.send({ cmd: 'setup', setup: { brokers: env.brokers, topic, partitions: plan.partitions, rate: spec.rate, seed, tickers: plan.tickers } });
      watched.push({ name: 'producer', pid: source.process.pid ?? 0 });
      if (spec.path !== 'floor') wsTarget = env.appsync;
    }

    // The subscribers.
    const sink = forkScript('sink', 'subscribers');
    handles.push(sink);
    const sinkSetup =
      wsTarget === undefined
        ? { mode: 'kafka', brokers: env.brokers, topic, filters }
        : { mode: 'ws', graphqlUrl: wsTarget.graphqlUrl, realtimeUrl: wsTarget.realtimeUrl, apiKey: env.appsync.apiKey, filters };
    const sinkReady = sink.ask({ cmd: 'setup', setup: sinkSetup }, 'ready', SETUP_TIMEOUT_MS);
    watched.push({ name: 'subscribers', pid: sink.process.pid ?? 0 });

    // The relay.
    let relay: ChildHandle | undefined;
    let relayReady: Promise<unknown> = Promise.resolve();
    if (spec.path === 'reference') {
      relay = forkScript('reference-relay', 'reference-relay');
      handles.push(relay);
      relayReady = relay.ask(
        { cmd: 'setup', setup: { brokers: env.brokers, topic, graphqlUrl: env.appsync.graphqlUrl, apiKey: env.appsync.apiKey, windowMs: 500, maxRecords: 100 } },
        'ready',
        SETUP_TIMEOUT_MS,
      );
      watched.push({ name: 'reference-relay', pid: relay.process.pid ?? 0 });
    } else if (spec.path === 'bridge') {
      relayReady = startBridge(env, topic).then((child) => {
        spawned.push(child);
        watched.push({ name: 'bridge', pid: child.pid ?? 0 });
      });
    }
    if (spec.path === 'reference' || spec.path === 'bridge') {
      watched.push({ name: 'appsync-local', pid: env.appsync.pid });
      resetPeakRss(env.appsync.pid);
    }
    await Promise.all([sinkReady, relayReady, spec.path === 'ceiling' ? undefined : source.next('ready', SETUP_TIMEOUT_MS)]);
    if (env.signal.aborted) throw new Error('interrupted');

    // Produce.
    for (const w of watched) w.start = sampleProcess(w.pid);
    const startedAt = performance.now();
    sink.send({ cmd: 'measure', fromTs: Date.now() + plan.warmupSeconds * 1000 });
    const done = source.ask({ cmd: 'start' }, 'done', (plan.seconds + 120) * 1000);
    await sleep(plan.seconds * 1000, env.signal);
    source.send({ cmd: 'stop' });
    const summary = await done;
    const produced = summary['produced'] as Record<string, number>;
    const producedTotal = Object.values(produced).reduce((a, b) => a + b, 0);
    const seconds = (summary['elapsedMs'] as number) / 1000;
    const expected = expectedDeliveries(filters, produced);

    // Drain: until every owed delivery arrived, or drainSeconds passed.
    const drainUntil = performance.now() + plan.drainSeconds * 1000;
    while (performance.now() < drainUntil && !env.signal.aborted) {
      const progress = await sink.ask({ cmd: 'progress' }, 'progress', 10_000);
      if ((progress['unique'] as number) >= expected) break;
      await sleep(200);
    }
    const wallSeconds = (performance.now() - startedAt) / 1000;
    for (const w of watched) w.end = sampleProcess(w.pid);
    const report = await sink.ask({ cmd: 'report' }, 'report', 30_000);
    const delivered = report['unique'] as number;
    const latencyMs = report['latencyMs'] as LatencySummary;
    const lost = Math.max(0, expected - delivered);
    const connectionsClosed = report['closed'] as number;
    const achievedRate = seconds > 0 ? producedTotal / seconds : 0;
    const latencyCensored = expected > 0 && lost / expected > 0.01;
    return {
      ...spec,
      seconds,
      produced: producedTotal,
      achievedRate,
      expectedDeliveries: expected,
      delivered,
      lost,
      duplicated: report['duplicated'] as number,
      outOfOrder: report['outOfOrder'] as number,
      deliveriesPerSecond: seconds > 0 ? delivered / seconds : 0,
      latencyMs,
      latencyCensored,
      p99AtLeastMs: latencyCensored ? Math.max(latencyMs.p99, plan.drainSeconds * 1000) : latencyMs.p99,
      connectionsClosed,
      sustained: lost === 0 && connectionsClosed === 0 && latencyMs.count > 0 && latencyMs.p99 <= plan.maxP99Ms && achievedRate >= 0.9 * spec.rate,
      processes: usage(watched, wallSeconds),
    };
  } finally {
    await Promise.all([...handles.map((h) => h.stop()), ...spawned.map((c) => stopChild(c, 12_000))]);
    if (usesKafka) {
      await env.admin.deleteTopics({ topics: [topic], timeout: 10_000 }).catch(() => {});
    }
  }
}
