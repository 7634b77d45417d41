/**
 * appsync-local benchmark (`npm run bench:appsync-local`): the server runs as its own process
 * (the real CLI), the subscribers in another process, the publisher here — so no two of them
 * share an event loop. Publishes quotes in requests of --batch aliased mutations at --rate
 * mutations/s, and reports delivered events/s, publish→receive latency (p50/p99/max) and
 * whether every matching subscriber got every event exactly once, in order.
 * `npm run bench:appsync-local -- --help` lists the options.
 */
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { Command, Option } from 'commander';
import { Pool } from 'undici';
import {
  createHistogram,
  forkChild,
  killAllChildren,
  micros,
  parseNonNegativeNumber,
  parsePositiveInteger,
  parsePositiveNumber,
  parsedOption,
  percentiles,
  runBenchCli,
  sampleProcess,
  startAppSyncLocal,
  stopChild,
  type ChildHandle,
  type Percentiles,
} from '@tickerflow/bench-support';
import { jsonOption } from '@tickerflow/cli';
import { sleep } from '@tickerflow/core';
import type { Quote } from '@tickerflow/quote';
import { compileMutation } from '@tickerflow/relay';

interface Options {
  readonly rate: number;
  readonly batch: number;
  readonly duration: number;
  readonly warmup: number;
  readonly subscribers: number;
  readonly tickers: number;
  readonly subscriberProcs: number;
  readonly serverProfile?: string;
  readonly subscriberProfile?: string;
  readonly json: boolean;
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const now = (): number => performance.timeOrigin + performance.now();
const round = (value: number): number => Math.round(value * 100) / 100;
const pause = (ms: number): Promise<void> => sleep(Math.max(0, ms));

interface Report {
  subscribers: { index: number; ticker: string | null; received: number; outOfOrder: number }[];
  /** µs. */
  latencyUs: Percentiles;
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); undefined elsewhere. */
const cpuSeconds = (pid: number | undefined): number | undefined => (pid === undefined ? undefined : sampleProcess(pid)?.cpuSeconds);

function startSubscriberProcess(profile: string | undefined): ChildHandle {
  return forkChild(fileURLToPath(new URL('./subscribers.ts', import.meta.url)), 'subscribers', {
    execArgv: profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

const ASK_TIMEOUT_MS = 120_000;
// The bridge's builder: one fixed document per batch size, parsed and validated once by the server.
const TEMPLATE = compileMutation();

async function main(args: Options): Promise<void> {
  const RATE = args.rate;
  const BATCH = args.batch;
  const DURATION_S = args.duration;
  const WARMUP_S = args.warmup;
  const SUBSCRIBERS = args.subscribers;
  const TICKERS = Array.from({ length: args.tickers }, (_, i) => `T${String(i).padStart(2, '0')}`);
  const PROCS = args.subscriberProcs;
  const listening = await startAppSyncLocal({
    args: ['--max-subscriptions', '1000'],
    execArgv: args.serverProfile ? ['--cpu-prof', '--cpu-prof-dir', args.serverProfile] : [],
  });
  const server = listening.child;
  log(`server ${listening.graphqlUrl} (pid ${server.pid})`);
  const procs = Array.from({ length: PROCS }, () => startSubscriberProcess(args.subscriberProfile));
  process.on('exit', killAllChildren);
  try {
    const specs = Array.from({ length: SUBSCRIBERS }, (_, index) => ({ index, ticker: index % 2 === 0 ? null : (TICKERS[Math.floor(index / 2) % TICKERS.length] as string) }));
    await Promise.all(
      procs.map((proc, p) =>
        proc.ask({ cmd: 'setup', setup: { realtimeUrl: listening.realtimeUrl, graphqlUrl: listening.graphqlUrl, apiKey: listening.apiKey, subscribers: specs.filter((_, i) => i % PROCS === p) } }, 'ready', ASK_TIMEOUT_MS),
      ),
    );
    log(`${SUBSCRIBERS} subscribers ready (${specs.filter((s) => s.ticker !== null).length} filtered over ${TICKERS.length} tickers) in ${PROCS} process(es)`);

    const pool = new Pool(new URL(listening.graphqlUrl).origin, { connections: 8, pipelining: 1 });
    const seqs = new Map<string, number>();
    let tickerCursor = 0;
    let failures = 0;
    const rtt = createHistogram(120_000_000); // µs
    const publish = async (counts: Map<string, number> | undefined): Promise<void> => {
      const quotes: Quote[] = [];
      const ts = now();
      for (let i = 0; i < BATCH; i += 1) {
        const ticker = TICKERS[tickerCursor++ % TICKERS.length] as string;
        const seq = (seqs.get(ticker) ?? 0) + 1;
        seqs.set(ticker, seq);
        counts?.set(ticker, (counts.get(ticker) ?? 0) + 1);
        const price = 100 + (seq % 100) / 4;
        quotes.push({ id: `${ticker}-${seq}`, ticker, seq, price, bid: price - 0.25, ask: price + 0.25, size: 1 + (seq % 7), matchtime: new Date(ts).toISOString(), ts });
      }
      // One fixed document per batch size with variables: the server parses and validates it once (LRU cache).
      const request = TEMPLATE.build(quotes);
      const response = await pool.request({
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': listening.apiKey },
        body: JSON.stringify(request),
      });
      const text = await response.body.text();
      if (counts !== undefined) rtt.recordValue(micros(now() - ts));
      if (response.statusCode !== 200 || text.includes('"errors"')) {
        failures += 1;
        if (failures <= 3) log(`publish failed: ${response.statusCode} ${text.slice(0, 300)}`);
      }
    };

    /** Sends requests at RATE for `seconds`, at most 16 in flight; returns the achieved rate. */
    const run = async (seconds: number, counts?: Map<string, number>): Promise<{ requests: number; elapsed: number }> => {
      const interval = (BATCH / RATE) * 1000;
      const started = performance.now();
      const inFlight = new Set<Promise<void>>();
      let requests = 0;
      while (performance.now() - started < seconds * 1000) {
        await pause(started + requests * interval - performance.now());
        if (inFlight.size >= 16) await Promise.race(inFlight);
        const pending = publish(counts).finally(() => inFlight.delete(pending));
        inFlight.add(pending);
        requests += 1;
      }
      await Promise.all(inFlight);
      return { requests, elapsed: (performance.now() - started) / 1000 };
    };

    log(`warm-up ${WARMUP_S}s`);
    await run(WARMUP_S);
    // Let the warm-up's events finish arriving before the counters reset: on a starved machine
    // subscribers can be seconds behind, and late warm-up events would count as duplicates.
    await pause(1000);
    for (let waited = 0, last = -1; waited < 30_000; waited += 250) {
      const reports = await Promise.all(procs.map((proc) => proc.ask({ cmd: 'report' }, 'report', ASK_TIMEOUT_MS) as Promise<unknown> as Promise<Report>));
      const received = reports.flatMap((r) => r.subscribers).reduce((sum, s) => sum + s.received, 0);
      if (received === last) break;
      last = received;
      await pause(250);
    }
    await Promise.all(procs.map((proc) => proc.ask({ cmd: 'measure' }, 'measuring', ASK_TIMEOUT_MS)));

    log(`measuring ${DURATION_S}s at ${RATE} mutations/s in requests of ${BATCH}`);
    const counts = new Map<string, number>();
    const measuredStart = now();
    const serverCpuStart = cpuSeconds(server.pid);
    const subscriberCpuStart = procs.map((proc) => cpuSeconds(proc.process.pid));
    const { requests, elapsed } = await run(DURATION_S, counts);
    const total = requests * BATCH;
    const expectedFor = (ticker: string | null) => (ticker === null ? total : (counts.get(ticker) ?? 0));
    const expectedTotal = specs.reduce((sum, spec) => sum + expectedFor(spec.ticker), 0);

    // Wait for delivery to finish (or stall), then collect.
    let reports: Report[] = [];
    let lastReceived = -1;
    for (let waited = 0; waited < 30_000; waited += 250) {
      reports = await Promise.all(procs.map((proc) => proc.ask({ cmd: 'report' }, 'report', ASK_TIMEOUT_MS) as Promise<unknown> as Promise<Report>));
      const received = reports.flatMap((r) => r.subscribers).reduce((sum, s) => sum + s.received, 0);
      if (received >= expectedTotal || (received === lastReceived && waited > 2000)) break;
      lastReceived = received;
      await pause(250);
    }
    const drainedAt = now();
    const serverCpu = (cpuSeconds(server.pid) ?? NaN) - (serverCpuStart ?? NaN);
    const subscriberCpu = procs.reduce((sum, proc, i) => sum + (cpuSeconds(proc.process.pid) ?? NaN) - (subscriberCpuStart[i] ?? NaN), 0);
    const window = (drainedAt - measuredStart) / 1000;
    const subscribers = reports.flatMap((r) => r.subscribers);
    const received = subscribers.reduce((sum, s) => sum + s.received, 0);
    const lost = subscribers.reduce((sum, s) => sum + Math.max(0, expectedFor(s.ticker) - s.received), 0);
    const extra = subscribers.reduce((sum, s) => sum + Math.max(0, s.received - expectedFor(s.ticker)), 0);
    const outOfOrder = subscribers.reduce((sum, s) => sum + s.outOfOrder, 0);
    // Percentiles from the first process only when there are several (histograms are per process).
    const latency = reports[0]!.latencyUs;
    const health = (await (await fetch(listening.graphqlUrl.replace('/graphql', '/healthz'))).json()) as Record<string, number>;
    await pool.close();

    const result = {
      rateTarget: RATE,
      batch: BATCH,
      subscribers: SUBSCRIBERS,
      tickers: TICKERS.length,
      subscriberProcesses: PROCS,
      mutationsPublished: total,
      mutationsPerSecond: Math.round(total / elapsed),
      eventsExpected: expectedTotal,
      eventsDelivered: received,
      eventsDeliveredPerSecond: Math.round(received / ((drainedAt - measuredStart) / 1000)),
      requestRoundTripMs: (({ p50, p99, max }) => ({ p50, p99, max }))(percentiles(rtt, 1000)),
      serverCpu: { seconds: round(serverCpu), shareOfOneCore: round(serverCpu / window), microsPerMutation: round((serverCpu / total) * 1e6), microsPerDelivery: round((serverCpu / received) * 1e6) },
      subscriberCpu: { seconds: round(subscriberCpu), microsPerDelivery: round((subscriberCpu / received) * 1e6) },
      latencyMs: { p50: latency.p50 / 1000, p99: latency.p99 / 1000, p999: latency.p999 / 1000, max: latency.max / 1000, samples: latency.count },
      lost,
      duplicates: extra,
      outOfOrder,
      publishFailures: failures,
      slowConsumersClosed: health['slowConsumersClosed'],
      zeroLost: lost === 0 && extra === 0,
      targetMet: lost === 0 && total / elapsed >= RATE * 0.98 && latency.p99 / 1000 < 10,
    };
    if (args.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      process.stdout.write(
        [
          `appsync-local benchmark: ${SUBSCRIBERS} subscribers (half filtered over ${TICKERS.length} tickers), requests of ${BATCH} mutations`,
          `  mutations published:   ${total} in ${elapsed.toFixed(1)} s = ${result.mutationsPerSecond}/s (target ${RATE}/s), publish failures ${failures}`,
          `  publish request RTT:   p50 ${result.requestRoundTripMs.p50.toFixed(2)} ms, p99 ${result.requestRoundTripMs.p99.toFixed(2)} ms, max ${result.requestRoundTripMs.max.toFixed(2)} ms`,
          `  events delivered:      ${received} of ${expectedTotal} expected = ${result.eventsDeliveredPerSecond}/s`,
          `  latency publish→recv:  p50 ${result.latencyMs.p50.toFixed(2)} ms, p99 ${result.latencyMs.p99.toFixed(2)} ms, p99.9 ${result.latencyMs.p999.toFixed(2)} ms, max ${result.latencyMs.max.toFixed(2)} ms (${latency.count} samples)`,
          `  server CPU:            ${result.serverCpu.seconds} s over ${window.toFixed(1)} s (${Math.round(result.serverCpu.shareOfOneCore * 100)}% of a core) = ${result.serverCpu.microsPerMutation} µs/mutation incl. fan-out, ${result.serverCpu.microsPerDelivery} µs/delivered event`,
          `  subscriber CPU:        ${result.subscriberCpu.seconds} s = ${result.subscriberCpu.microsPerDelivery} µs/received event; machine load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`,
          `  lost ${lost}, duplicates ${extra}, slow consumers closed ${result.slowConsumersClosed}; out of order across requests ${outOfOrder} (concurrent requests: AppSync promises no order between them)`,
          `  zero lost: ${result.zeroLost ? 'yes' : 'NO'}; target (>= ${RATE}/s to every matching subscriber, p99 < 10 ms): ${result.targetMet ? 'met' : 'NOT met'}`,
          '',
        ].join('\n'),
      );
    }
    if (!result.zeroLost) throw new Error(`not every event arrived exactly once: ${lost} lost, ${extra} duplicated`);
  } finally {
    for (const proc of procs) proc.send({ cmd: 'exit' });
    await stopChild(server);
  }
}

const program = new Command('bench:appsync-local')
  .description('appsync-local alone: batched mutations in, events out to N raw subscribers in their own processes; delivered events/s, publish-to-receive latency, loss, duplicates and order. Exit 1 when an event was lost.')
  .addOption(parsedOption('--rate <n>', 'mutations/s published', parsePositiveInteger).default(5000))
  .addOption(parsedOption('--batch <n>', 'aliased mutations per request', parsePositiveInteger).default(50))
  .addOption(parsedOption('--duration <s>', 'measured seconds', parsePositiveNumber).default(10))
  .addOption(parsedOption('--warmup <s>', 'seconds published before measuring', parseNonNegativeNumber).default(2))
  .addOption(parsedOption('--subscribers <n>', 'subscriber connections (half of them filtered by ticker)', parsePositiveInteger).default(100))
  .addOption(parsedOption('--tickers <n>', 'distinct tickers', parsePositiveInteger).default(10))
  .addOption(parsedOption('--subscriber-procs <n>', 'processes the subscribers are spread over', parsePositiveInteger).default(1))
  .addOption(new Option('--server-profile <dir>', "write a V8 CPU profile of the server here").env('BENCH_SERVER_PROFILE'))
  .addOption(new Option('--subscriber-profile <dir>', 'write a V8 CPU profile of each subscriber process here').env('BENCH_SUBSCRIBER_PROFILE'))
  .addOption(jsonOption().default(false))
  .action((options: Options) => main(options));

await runBenchCli(program, [
  'npm run bench:appsync-local',
  'npm run bench:appsync-local -- --rate 10000 --batch 100 --subscribers 200 --subscriber-procs 2',
  'npm run bench:appsync-local -- --duration 3 --warmup 1 --json',
]);
