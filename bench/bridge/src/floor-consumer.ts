/**
 * The floor of bench:bridge's live measurement, in its own process: a plain kafkajs consumer
 * (its own group, the bridge's fetch settings) on the live topic, doing nothing but noting
 * when each record reached it. ts -> fetched here is what any Kafka consumer on this machine
 * pays at that moment; the bridge's ts -> AppSync acceptance, measured in the same seconds,
 * minus this is what the bridge adds.
 *
 *   node --import tsx floor-consumer.ts <brokers> <topic> <partitions>
 *
 * stdin: `window <fromMs> <untilMs>` (epoch ms) picks the quotes that count, by `ts`; `stop` ends.
 * stdout: `{"event":"ready"}` once the group is joined, and after `stop` one `{"event":"summary",...}`.
 */
import { createInterface } from 'node:readline';
import * as hdr from 'hdr-histogram-js';
import { pino } from 'pino';
import { createKafka, parseBrokers } from '@tickerflow/kafka';

export interface FloorSummary {
  readonly event: 'summary';
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

const [brokers = '', topic = '', partitionsArg = '1'] = process.argv.slice(2);
const kafka = createKafka(
  { brokers: parseBrokers('brokers', brokers), clientId: 'bench-bridge-floor', ssl: false, connectTimeoutMs: 10_000 },
  pino({ level: 'silent' }),
);
const consumer = kafka.consumer({ groupId: `${topic}-floor`, minBytes: 1, maxWaitTimeInMs: 250, maxBytesPerPartition: 1024 * 1024 });
const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000, numberOfSignificantValueDigits: 3 });
let windowFrom = Number.POSITIVE_INFINITY;
let windowUntil = Number.NEGATIVE_INFINITY;
let count = 0;

/** `"ts":<digits>` from the quote's JSON without parsing all of it (this process must stay light). */
function tsOf(value: Buffer | null): number | undefined {
  if (value === null) return undefined;
  const text = value.toString('latin1');
  const at = text.indexOf('"ts":');
  if (at < 0) return undefined;
  const ts = Number.parseInt(text.slice(at + 5), 10);
  return Number.isFinite(ts) ? ts : undefined;
}

consumer.on(consumer.events.GROUP_JOIN, () => process.stdout.write(`${JSON.stringify({ event: 'ready' })}\n`));
await consumer.connect();
await consumer.subscribe({ topics: [topic], fromBeginning: true });
await consumer.run({
  partitionsConsumedConcurrently: Math.max(1, Number(partitionsArg)),
  eachBatch: async ({ batch }) => {
    const fetchedAt = Date.now();
    for (const message of batch.messages) {
      const ts = tsOf(message.value);
      if (ts === undefined || ts < windowFrom || ts >= windowUntil) continue;
      histogram.recordValue(Math.max(0, fetchedAt - ts));
      count += 1;
    }
  },
});

for await (const line of createInterface({ input: process.stdin })) {
  const [command, from, until] = line.trim().split(' ');
  if (command === 'window') {
    windowFrom = Number(from);
    windowUntil = Number(until);
  }
  if (command === 'stop') break;
}
const summary: FloorSummary = {
  event: 'summary',
  count,
  p50Ms: histogram.getValueAtPercentile(50),
  p99Ms: histogram.getValueAtPercentile(99),
  maxMs: histogram.maxValue,
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
await consumer.disconnect();
