import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { createLogger, handleShutdownSignals, withExamples } from '@tickerflow/cli';
import { DEFAULT_BROKERS, DEFAULT_TOPIC, TransportError, parseList, parseNonNegativeNumber, parsePositiveInteger, sleep } from '@tickerflow/core';
import { ChildGroup, waitForLine, type ManagedChild } from './children';
import { ensureDemoTopic, provideBroker } from './kafka';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bins = {
  appsyncLocal: `${repoRoot}apps/appsync-local/bin/appsync-local.mjs`,
  bridge: `${repoRoot}apps/bridge/bin/bridge.mjs`,
  tickerGen: `${repoRoot}apps/producer/bin/ticker-gen.mjs`,
  sub: `${repoRoot}apps/subscriber/bin/sub.mjs`,
} as const;

const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 10_000;

interface DemoOptions {
  readonly brokers: string;
  readonly topic: string;
  readonly tickers?: string[];
  readonly ticker?: string[];
  readonly rate: number;
  readonly duration?: number;
  readonly json?: boolean;
}

/** `npm run demo`: the whole pipeline on this machine, `sub` in the foreground. */
export function buildProgram(): Command {
  const program = new Command('demo')
    .description(
      'Run the whole pipeline live: Kafka (reused or started), appsync-local, the bridge, ticker-gen, and sub in the foreground. Ctrl-C stops every process it started.',
    )
    .addOption(new Option('--brokers <list>', 'Kafka to use when one answers there').env('KAFKA_BROKERS').default(DEFAULT_BROKERS))
    .addOption(new Option('--topic <name>', 'Kafka topic the quotes travel through').default(DEFAULT_TOPIC))
    .addOption(new Option('--tickers <list>', "tickers ticker-gen publishes (default: ticker-gen's set)").argParser((raw) => parseList('--tickers', raw)))
    .addOption(new Option('--ticker <list>', 'tickers sub shows (default: all)').argParser((raw) => parseList('--ticker', raw)))
    .addOption(new Option('--rate <n>', 'quotes per second ticker-gen publishes').default(50).argParser((raw) => parseNonNegativeNumber('--rate', raw)))
    .addOption(new Option('--duration <s>', 'stop by itself after this many seconds').argParser((raw) => parsePositiveInteger('--duration', raw)))
    .addOption(new Option('--json', "sub prints NDJSON instead of its live table (headless runs)"))
    .action(async (options: DemoOptions) => runDemo(options));
  return withExamples(program, [
    'npm run demo',
    'npm run demo -- --tickers BTC,ETH,AAPL --rate 200',
    'npm run demo -- --ticker BTC --duration 30 --json | jq .price',
  ]);
}

async function runDemo(options: DemoOptions): Promise<void> {
  const log = createLogger({ name: 'demo' });
  const say = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const shutdown = handleShutdownSignals();
  const children = new ChildGroup();
  const broker = await provideBroker(options.brokers, log, say);
  try {
    await ensureDemoTopic(broker.brokers, options.topic, log);
    const { server, graphqlUrl } = await startAppSyncLocal(children);
    say(`appsync-local (pid ${server.process.pid}): ${graphqlUrl}`);
    const bridge = await startBridge(children, broker.brokers, options.topic, graphqlUrl);
    say(`bridge (pid ${bridge.process.pid}): joined the consumer group on ${options.topic}`);
    const tickerGen = startTickerGen(children, broker.brokers, options);
    say(`ticker-gen (pid ${tickerGen.process.pid}): ${options.rate} quotes/s into ${options.topic}`);
    const sub = startSub(children, graphqlUrl, options);
    say(`sub (pid ${sub.process.pid}): press Ctrl-C to stop everything`);
    await Promise.race([sub.exited, aborted(shutdown.signal), firstFailure(children, sub, shutdown.signal)]);
  } finally {
    shutdown.dispose();
    await children.stopAll(STOP_GRACE_MS);
    await broker.stop();
    log.flush();
    say('demo: stopped every process it started');
  }
}

async function startAppSyncLocal(children: ChildGroup): Promise<{ server: ManagedChild; graphqlUrl: string }> {
  const server = children.start({
    name: 'appsync-local',
    command: process.execPath,
    args: [bins.appsyncLocal, '--port', '0', '--json'],
    stdio: 'pipe',
  });
  return { server, graphqlUrl: await waitForLine(server, parseGraphqlUrl, READY_TIMEOUT_MS) };
}

/** appsync-local --json announces its URLs as one JSON line on stdout. */
export function parseGraphqlUrl(line: string): string | undefined {
  try {
    const announced = JSON.parse(line) as { graphqlUrl?: unknown };
    return typeof announced.graphqlUrl === 'string' ? announced.graphqlUrl : undefined;
  } catch {
    return undefined;
  }
}

async function startBridge(children: ChildGroup, brokers: string, topic: string, graphqlUrl: string): Promise<ManagedChild> {
  const metricsPort = await freePort();
  const bridge = children.start({
    name: 'bridge',
    command: process.execPath,
    args: [bins.bridge, 'run', '--brokers', brokers, '--topic', topic, '--group', `tickerflow-demo-${Date.now()}`, '--url', graphqlUrl, '--metrics-port', String(metricsPort)],
    stdio: 'pipe',
  });
  await waitUntilReady(bridge, `http://127.0.0.1:${metricsPort}/readyz`);
  return bridge;
}

function startTickerGen(children: ChildGroup, brokers: string, options: DemoOptions): ManagedChild {
  const args = [bins.tickerGen, '--brokers', brokers, '--topic', options.topic, '--rate', String(options.rate), '--json'];
  if (options.tickers) args.push('--tickers', options.tickers.join(','));
  return children.start({ name: 'ticker-gen', command: process.execPath, args, stdio: 'pipe' });
}

function startSub(children: ChildGroup, graphqlUrl: string, options: DemoOptions): ManagedChild {
  const args = [bins.sub, '--url', graphqlUrl];
  if (options.ticker) args.push('--ticker', options.ticker.join(','));
  if (options.duration !== undefined) args.push('--duration', String(options.duration));
  if (options.json) args.push('--json');
  return children.start({ name: 'sub', command: process.execPath, args, stdio: 'inherit' });
}

/** Polls the bridge's /readyz until it answers 200, failing if the bridge dies first. */
async function waitUntilReady(bridge: ManagedChild, readyUrl: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (bridge.process.exitCode !== null) {
      throw new TransportError(`bridge exited (code ${bridge.process.exitCode}): ${bridge.recentStderr().at(-1) ?? 'no output'}`);
    }
    const status = await fetch(readyUrl).then((response) => response.status, () => 0);
    if (status === 200) return;
    await sleep(250);
  }
  throw new TransportError(`bridge was not ready within ${READY_TIMEOUT_MS / 1000} s: ${bridge.recentStderr().at(-1) ?? 'no output'}`);
}

/** Rejects when a background child (not `sub`) dies before shutdown: the demo cannot go on without it. */
function firstFailure(children: ChildGroup, sub: ManagedChild, shutdown: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    for (const child of children.list()) {
      if (child === sub) continue;
      void child.exited.then((code) => {
        if (shutdown.aborted) return;
        reject(new TransportError(`${child.name} stopped unexpectedly (code ${code}): ${child.recentStderr().at(-1) ?? 'no output'}`));
      });
    }
  });
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
