/**
 * npm run bench:producer — how fast ticker-gen's core publishes into the local broker.
 *
 * Runs produceQuotes (the same code as `ticker-gen --rate 0`) for a fixed count
 * into a fresh 3-partition topic and prints quotes/s and bytes/s; then, unless
 * --quick, compares batch sizes and batches in flight side by side.
 * A benchmark, not a test: figures depend on the machine and what else runs on it.
 *
 *   npm run bench:producer -- [--count 500000] [--compare-count 200000] [--quick] [--json]
 *
 * Uses KAFKA_BROKERS when set, otherwise the broker from tools/kafka (started if
 * needed and stopped again if this run started it and nobody else holds it).
 */
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
  /** CPU time of this process per quote (user + system), in µs: steadier than wall time on a busy machine. */
  readonly cpuMicrosPerQuote: number;
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

function print(result: Result): void {
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const mb = (result.bytesPerSecond / 1_000_000).toFixed(1);
  process.stdout.write(
    `${result.label.padEnd(40)} batch ${String(result.batchSize).padStart(5)}  in flight ${result.maxInFlight}  ` +
      `${String(result.count).padStart(7)} quotes  ${result.quotesPerSecond.toLocaleString('en-US').padStart(7)} quotes/s  ` +
      `${mb.padStart(5)} MB/s  ${result.cpuMicrosPerQuote.toFixed(1).padStart(5)} µs CPU/quote  (${(result.elapsedMs / 1000).toFixed(1)} s)\n`,
  );
}

try {
  await connectWithin(kafka, admin);
  if (!args.json) process.stdout.write(`bench:producer against ${brokers}, fresh 3-partition topics, acks=all, no compression\n`);
  // Warm the JIT and the connection so the first measured run is not penalised.
  await runOnce({ label: 'warm-up', batchSize: DEFAULT_BATCH_SIZE, maxInFlight: DEFAULT_MAX_IN_FLIGHT, count: 30_000 }, 0);
  const headline = await runOnce(
    { label: 'ticker-gen --rate 0 (defaults)', batchSize: DEFAULT_BATCH_SIZE, maxInFlight: DEFAULT_MAX_IN_FLIGHT, count },
    1,
  );
  print(headline);
  if (!args.quick) {
    if (!args.json) process.stdout.write('\ncomparison:\n');
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
