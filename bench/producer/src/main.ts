/**
 * npm run bench:producer — how fast ticker-gen's core publishes into the local broker.
 *
 * Runs the real `ticker-gen --rate 0` (a child process, as a user runs it) for a
 * fixed count into a fresh 3-partition topic and prints quotes/s and bytes/s; then,
 * unless --quick, runs its core (produceQuotes) in-process to compare batch sizes and
 * batches in flight side by side.
 * A benchmark, not a test: figures depend on the machine and what else runs on it.
 *
 * Uses --brokers (or KAFKA_BROKERS) when set, otherwise the broker from tools/kafka (started if
 * needed and stopped again if this run started it and nobody else holds it).
 */
import { Command, Option } from 'commander';
import { pino } from 'pino';
import type { Kafka } from 'kafkajs';
import { brokersOption, keepKafkaOption, leaseBroker, parsePositiveInteger, parsedOption, runBenchCli, runTickerGen } from '@tickerflow/bench-support';
import { jsonOption } from '@tickerflow/cli';
import { connectWithin, createKafka, ensureTopic, parseBrokers, type KafkaSettings } from '@tickerflow/kafka';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_MAX_IN_FLIGHT,
  createSendBatch,
  partitionOfTicker,
  produceQuotes,
  producerConfig,
} from '@tickerflow/producer-runtime';
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

interface Options {
  readonly count: number;
  readonly compareCount: number;
  readonly quick: boolean;
  readonly json: boolean;
  readonly brokers?: string;
  readonly keepKafka: boolean;
}

/** One run's broker and the topics it made (deleted at the end). */
interface Run {
  readonly args: Options;
  readonly brokers: string;
  readonly settings: KafkaSettings;
  readonly kafka: Kafka;
  readonly admin: ReturnType<Kafka['admin']>;
  readonly runId: string;
  readonly topics: string[];
}

async function runOnce({ kafka, admin, settings, runId, topics }: Run, variant: Variant, index: number): Promise<Result> {
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

/** The headline: the ticker-gen CLI itself, with its defaults, in a process of its own. */
async function runCli({ args, brokers, runId, topics }: Run, label: string, index: number): Promise<Result> {
  const topic = `bench-producer-${runId}-${index}`;
  topics.push(topic);
  const { count } = args;
  const summary = await runTickerGen({ brokers, topic, count, rate: 0, seed: 'bench' });
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

function print(json: boolean, result: Result): void {
  if (json) {
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

async function benchProducer(args: Options): Promise<void> {
  const broker = await leaseBroker(args.brokers, { keep: args.keepKafka });
  const settings: KafkaSettings = { brokers: parseBrokers('--brokers', broker.brokers), clientId: 'bench-producer', ssl: false, connectTimeoutMs: 10_000 };
  const kafka = createKafka(settings, pino({ level: 'silent' }));
  const run: Run = { args, brokers: broker.brokers, settings, kafka, admin: kafka.admin(), runId: Date.now().toString(36), topics: [] };
  const { admin, topics } = run;
  try {
    await connectWithin(kafka, admin);
    if (!args.json) process.stdout.write(`bench:producer against ${run.brokers}, fresh 3-partition topics, acks=all, no compression\n`);
    print(args.json, await runCli(run, 'npx ticker-gen --rate 0 (defaults)', 0));
    if (!args.quick) {
      if (!args.json) process.stdout.write('\ncomparison, in-process (produceQuotes):\n');
      // Warm the JIT and the connection so the first in-process run is not penalised.
      await runOnce(run, { label: 'warm-up', batchSize: DEFAULT_BATCH_SIZE, maxInFlight: DEFAULT_MAX_IN_FLIGHT, count: 30_000 }, 1);
      const variants: Variant[] = [
        { label: 'one lane, sequential (kafkajs baseline)', lanes: 'single', batchSize: 5_000, maxInFlight: 1, count: args.compareCount },
        { label: 'lane per partition', batchSize: 5_000, maxInFlight: 1, count: args.compareCount },
        { label: '', batchSize: 5_000, maxInFlight: 2, count: args.compareCount },
        { label: '', batchSize: 5_000, maxInFlight: 4, count: args.compareCount },
        { label: '', batchSize: 2_000, maxInFlight: 2, count: args.compareCount },
        { label: '', batchSize: 2_000, maxInFlight: 4, count: args.compareCount },
        { label: '', batchSize: 1_000, maxInFlight: 4, count: args.compareCount },
      ];
      let index = 2;
      for (const variant of variants) print(args.json, await runOnce(run, variant, index++));
    }
  } finally {
    await admin.deleteTopics({ topics }).catch(() => {});
    await admin.disconnect();
    await broker.release();
  }
}

const program = new Command('bench:producer')
  .description("How fast ticker-gen publishes into the broker: the CLI itself with its defaults, then its core in-process with other batch sizes and batches in flight.")
  .addOption(parsedOption('--count <n>', 'quotes the ticker-gen CLI run sends', parsePositiveInteger).default(500_000))
  .addOption(parsedOption('--compare-count <n>', 'quotes each in-process comparison run sends', parsePositiveInteger).default(200_000))
  .addOption(new Option('--quick', 'the CLI run only, no comparison').default(false))
  .addOption(brokersOption())
  .addOption(keepKafkaOption())
  .addOption(jsonOption().default(false))
  .action((options: Options) => benchProducer(options));

await runBenchCli(program, ['npm run bench:producer', 'npm run bench:producer -- --quick --count 100000', 'npm run bench:producer -- --json']);
