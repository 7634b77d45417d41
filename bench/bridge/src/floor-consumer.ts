/**
 * The floor of bench:bridge's live measurement, in its own process (forked, IPC): a plain
 * kafkajs consumer (its own group, the bridge's fetch settings) on the live topic, doing nothing
 * but noting when each record reached it. ts -> fetched here is what any Kafka consumer on this
 * machine pays at that moment; the bridge's ts -> AppSync acceptance, measured in the same
 * seconds, minus this is what the bridge adds.
 *
 * Messages: `setup` {brokers, topic, partitions} -> `ready` once the group is joined;
 * `window` {from, until} (epoch ms) picks the quotes that count, by `ts`; `stop` -> `summary`.
 */
import { pino } from 'pino';
import { childChannel, createHistogram, numberAfter, percentiles, type ChildMessage } from '@tickerflow/bench-support';
import { createKafka, parseBrokers } from '@tickerflow/kafka';

export interface FloorSetup {
  readonly brokers: string;
  readonly topic: string;
  readonly partitions: number;
}

export interface FloorSummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

const histogram = createHistogram(600_000); // ms
let windowFrom = Number.POSITIVE_INFINITY;
let windowUntil = Number.NEGATIVE_INFINITY;
let count = 0;
let consumer: { disconnect(): Promise<void> } | undefined;

async function start(setup: FloorSetup): Promise<void> {
  const kafka = createKafka(
    { brokers: parseBrokers('brokers', setup.brokers), clientId: 'bench-bridge-floor', ssl: false, connectTimeoutMs: 10_000 },
    pino({ level: 'silent' }),
  );
  const c = kafka.consumer({ groupId: `${setup.topic}-floor`, minBytes: 1, maxWaitTimeInMs: 250, maxBytesPerPartition: 1024 * 1024 });
  consumer = c;
  const joined = new Promise<void>((resolve) => c.on(c.events.GROUP_JOIN, () => resolve()));
  await c.connect();
  await c.subscribe({ topics: [setup.topic], fromBeginning: true });
  await c.run({
    partitionsConsumedConcurrently: setup.partitions,
    eachBatch: async ({ batch }) => {
      const fetchedAt = Date.now();
      for (const message of batch.messages) {
        // This process must stay light: `ts` from the quote's JSON without parsing all of it.
        const ts = message.value === null ? undefined : numberAfter(message.value.toString('latin1'), '"ts":');
        if (ts === undefined || ts < windowFrom || ts >= windowUntil) continue;
        histogram.recordValue(Math.max(0, fetchedAt - ts));
        count += 1;
      }
    },
  });
  await joined;
}

const reply = childChannel(async (message: ChildMessage) => {
  if (message.cmd === 'setup') {
    await start(message['setup'] as FloorSetup);
    reply({ cmd: 'ready' });
  } else if (message.cmd === 'window') {
    windowFrom = message['from'] as number;
    windowUntil = message['until'] as number;
  } else if (message.cmd === 'stop') {
    const { p50, p99, max } = percentiles(histogram);
    const summary: FloorSummary = { count, p50Ms: p50, p99Ms: p99, maxMs: max };
    reply({ cmd: 'summary', ...summary });
    await consumer?.disconnect();
  }
});
