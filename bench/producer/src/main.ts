/**
 * npm run bench:producer — how fast ticker-gen's core publishes into the local broker.
 *
 * Runs the real `ticker-gen --rate 0` (a child process, as a user runs it) for a
 * fixed count into a fresh 3-partition topic and prints quotes/s and bytes/s; then,
 * unless --quick, runs its core (produceQuotes) in-process to compare batch sizes and
 * batches in flight side by side.
 * A benchmark, not a test: figures depend on the machine and what else runs on it.
 *
 *   npm run bench:producer -- [--count 500000] [--compare-count 200000] [--quick] [--json]
 *
 * Uses KAFKA_BROKERS when set, otherwise the broker from tools/kafka (started if
 * needed and stopped again if this run started it and nobody else holds it).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { connectWithin, createKafka, ensureTopic, parseBrokers, type KafkaSettings } from '@tickerflow/kafka';
import { releaseBroker, startBroker } from '@tickerflow/kafka-runner';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_MAX_IN_FLIGHT,
  createSendBatch,
  partitionOfTicker,
  produceQuotes,
  producerConfig,
} from '@tickerflow/producer';
import { createPriceModel } from '@tickerflow/quote';

interface Variant {
  readonly label: string;
  /** One lane per partition (ticker-gen) or a single lane of whole batches. */
  readonly lanes?: 'partition' | 'single';
  readonly batchSize: number;
  readonly maxInFlight: number;
  readonly count: number;
}

interface Result extends Variant {
  readonly quotesPerSecond: number;
  readonly bytesPerSecond: number;
  readonly elapsedMs: number;
  readonly bytes: number;
  /** CPU time per quote (user + system), in µs: steadier than wall time on a busy machine; absent for the CLI run. */
  readonly cpuMicrosPerQuote?: number;
}

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '500000' },
    'compare-count': { type: 'string', default: '200000' },
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const count = Number(args.count);
const compareCount = Number(args['compare-count']);

const fromEnv = process.env['KAFKA_BROKERS'];
const leased = fromEnv === undefined;
const brokers = fromEnv ?? (await startBroker({ startedBy: 'test', lease: true })).brokers;
const settings: KafkaSettings = {
  brokers: parseBrokers('KAFKA_BROKERS', brokers),
  clientId: 'bench-producer',
  ssl: false,
  connectTimeoutMs: 10_000,
};
const kafka = createKafka(settings, pino({ level: 'silent' }));
const admin = kafka.admin();
const runId = Date.now().toString(36);
const topics: string[] = [];

async function runOnce(variant: Variant, index: number): Promise<Result> {
  const topic = `bench-producer-${runId}-${index}`;
  topics.push(topic);
  await ensureTopic(admin, settings, { topic, partitions: 3, create: true });
  const producer = kafka.producer(producerConfig());
  await connectWithin(kafka, producer);
  try {
    const cpuBefore = process.cpuUsage();
    const summary = await produceQuotes({
      send: createSendBatch(producer, { topic, acks: -1, compression: 'none' }),
      model: createPriceModel({ seed: 'bench' }),
      count: variant.count,
      rate: 0,
      batchSize: variant.batchSize,
      maxInFlight: variant.maxInFlight,
      ...(variant.lanes === 'single' ? {} : { partitionOf: partitionOfTicker(topic, 3) }),
    });
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMicrosPerQuote = Math.round(((cpu.user + cpu.system) / variant.count) * 10) / 10;
    return { ...variant, ...summary, cpuMicrosPerQuote };
  } finally {
    await producer.disconnect();
  }
}

const tickerGenBin = fileURLToPath(new URL('../../../apps/producer/bin/ticker-gen.mjs', import.meta.url));

interface TickerGenSummary {
  readonly type: 'summary';
  readonly sent: number;
  readonly errors: number;
  readonly bytes: number;
  readonly elapsedMs: number;
  readonly quotesPerSecond: number;
  readonly bytesPerSecond: number;
}

/** The headline: the ticker-gen CLI itself, with its defaults, in a process of its own. */
async function runCli(label: string, index: number): Promise<Result> {
  const topic = `bench-producer-${runId}-${index}`;
  topics.push(topic);
  const child = spawn(
    process.execPath,
    [tickerGenBin, '--brokers', brokers, '--topic', topic, '--count', String(count), '--rate', '0', '--seed', 'bench', '--json'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const summaryLine = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !summaryLine.includes('"summary"')) {
    throw new Error(`ticker-gen exited ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`);
  }
  const summary = JSON.parse(summaryLine) as TickerGenSummary;
  if (summary.sent !== count || summary.errors !== 0) throw new Error(`ticker-gen sent ${summary.sent} of ${count} with ${summary.errors} errors`);
  return {
    label,
    batchSize: DEFAULT_BATCH_SIZE,
    maxInFlight: DEFAULT_MAX_IN_FLIGHT,
    count,
    quotesPerSecond: summary.quotesPerSecond,
    bytesPerSecond: summary.bytesPerSecond,
    elapsedMs: summary.elapsedMs,
    bytes: summary.bytes,
  };
}

function print(result: Result): void {
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const mb = (result.bytesPerSecond / 1_000_000).toFixed(1);
  process.stdout.write(
    `${result.label.padEnd(40)} batch ${String(result.batchSize).padStart(5)}  in flight ${result.maxInFlight}  ` +
      `${String(result.count).padStart(7)} quotes  ${result.quotesPerSecond.toLocaleString('en-US').padStart(7)} quotes/s  ` +
      `${mb.padStart(5)} MB/s  ${(result.cpuMicrosPerQuote?.toFixed(1) ?? 'n/a').padStart(5)} µs CPU/quote  (${(result.elapsedMs / 1000).toFixed(1)} s)\n`,
  );
}

try {
  await connectWithin(kafka, admin);
  if (!args.json) process.stdout.write(`bench:producer against ${brokers}, fresh 3-partition topics, acks=all, no compression\n`);
  print(await runCli('npx ticker-gen --rate 0 (defaults)', 0));
  if (!args.quick) {
    if (!args.json) process.stdout.write('\ncomparison, in-process (produceQuotes):\n');
    // Warm the JIT and the connection so the first in-process run is not penalised.
    await runOnce({ label: 'warm-up', batchSize: DEFAULT_BATCH_SIZE, maxInFlight: DEFAULT_MAX_IN_FLIGHT, count: 30_000 }, 1);
    const variants: Variant[] = [
      { label: 'one lane, sequential (kafkajs baseline)', lanes: 'single', batchSize: 5_000, maxInFlight: 1, count: compareCount },
      { label: 'lane per partition', batchSize: 5_000, maxInFlight: 1, count: compareCount },
      { label: '', batchSize: 5_000, maxInFlight: 2, count: compareCount },
      { label: '', batchSize: 5_000, maxInFlight: 4, count: compareCount },
      { label: '', batchSize: 2_000, maxInFlight: 2, count: compareCount },
      { label: '', batchSize: 2_000, maxInFlight: 4, count: compareCount },
      { label: '', batchSize: 1_000, maxInFlight: 4, count: compareCount },
    ];
    let index = 2;
    for (const variant of variants) print(await runOnce(variant, index++));
  }
} finally {
  await admin.deleteTopics({ topics }).catch(() => {});
  await admin.disconnect();
  if (leased) await releaseBroker({ keep: Boolean(process.env['TICKERFLOW_KEEP_KAFKA']) });
}
