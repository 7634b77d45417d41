import { pino, type Logger } from 'pino';
import { connectWithin, createKafka, createTopicWithLeaders, parseBrokers, type KafkaSettings } from '@tickerflow/kafka';
import { encodeQuote, type Quote } from '@tickerflow/quote';
import { uniqueName } from './names';

type Kafka = ReturnType<typeof createKafka>;

/** The real broker's address, which the integration project's globalSetup puts in KAFKA_BROKERS. */
export function testBrokers(): string {
  const value = process.env['KAFKA_BROKERS'];
  if (!value) throw new Error('KAFKA_BROKERS is not set: run through the integration project (its globalSetup starts Kafka)');
  return value;
}

/** Settings for the test broker: plaintext, 10 s to connect. */
export function testKafkaSettings(clientId = 'tickerflow-test'): KafkaSettings {
  return { brokers: parseBrokers('KAFKA_BROKERS', testBrokers()), clientId, ssl: false, connectTimeoutMs: 10_000 };
}

/** A kafkajs client for the test broker, logging nothing unless given a logger. */
export function testKafka(options: { clientId?: string; logger?: Logger } = {}): Kafka {
  return createKafka(testKafkaSettings(options.clientId), options.logger ?? pino({ level: 'silent' }));
}

/** Creates a topic and waits for its partition leaders. */
export async function createTopic(topic: string, partitions: number, kafka: Kafka = testKafka()): Promise<void> {
  const admin = kafka.admin();
  await connectWithin(kafka, admin);
  try {
    await createTopicWithLeaders(admin, { topic, numPartitions: partitions });
  } finally {
    await admin.disconnect();
  }
}

export async function topicExists(topic: string, kafka: Kafka = testKafka()): Promise<boolean> {
  const admin = kafka.admin();
  await connectWithin(kafka, admin);
  try {
    return (await admin.listTopics()).includes(topic);
  } finally {
    await admin.disconnect();
  }
}

/** A record to produce as is; quotes go as ticker-gen writes them (key = ticker). */
export type RawRecord = { readonly key: string; readonly value: Buffer | string };

/** Produces quotes and raw records with acks=all, in order, 2,000 per request. */
export async function produce(topic: string, values: readonly (Quote | RawRecord)[], kafka: Kafka = testKafka()): Promise<void> {
  const producer = kafka.producer();
  await connectWithin(kafka, producer);
  try {
    const messages = values.map((value) => ('ticker' in value ? { key: value.ticker, value: encodeQuote(value) } : { key: value.key, value: value.value }));
    for (let i = 0; i < messages.length; i += 2000) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 2000) });
    }
  } finally {
    await producer.disconnect();
  }
}

export interface ConsumedRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string;
  readonly timestamp: number;
}

/**
 * Reads a topic from the beginning until it holds `expected` records (by the topic's end
 * offsets, so "exactly N" is checked without waiting for silence), and returns them all.
 */
export async function readTopic(topic: string, expected: number, timeoutMs = 30_000, kafka: Kafka = testKafka()): Promise<ConsumedRecord[]> {
  const admin = kafka.admin();
  await connectWithin(kafka, admin);
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const total = offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
  if (total !== expected) throw new Error(`topic ${topic} holds ${total} records, expected ${expected}`);
  if (expected === 0) return [];

  const consumer = kafka.consumer({ groupId: uniqueName('read-topic'), maxWaitTimeInMs: 100 });
  await connectWithin(kafka, consumer);
  const records: ConsumedRecord[] = [];
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`read ${records.length} of ${expected} records within ${timeoutMs} ms`)), timeoutMs);
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            records.push({
              partition,
              offset: Number(message.offset),
              key: message.key?.toString('utf8') ?? '',
              value: message.value?.toString('utf8') ?? '',
              timestamp: Number(message.timestamp),
            });
            if (records.length === expected) {
              clearTimeout(timer);
              done();
            }
          },
        })
        .catch(fail);
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}
