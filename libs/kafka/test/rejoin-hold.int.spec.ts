import { randomBytes } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { connectWithin, createKafka, ensureTopic, holdRejoin, parseBrokers, type KafkaSettings } from '../src/index';

function settings(): KafkaSettings {
  const brokers = process.env['KAFKA_BROKERS'];
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run through the integration project');
  return { brokers: parseBrokers('KAFKA_BROKERS', brokers), clientId: 'rejoin-hold-int', ssl: false, connectTimeoutMs: 10_000 };
}

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const consumers: Consumer[] = [];
afterEach(async () => {
  while (consumers.length) await consumers.pop()!.disconnect().catch(() => {});
});

describe('a rejoin hold against a real broker', () => {
  it('lets a member commit while the group waits for it, and rejoins only after the hold', { timeout: 120_000 }, async () => {
    const s = settings();
    const kafka = createKafka(s, pino({ level: 'silent' }));
    const topic = unique('rejoin-hold');
    const groupId = unique('rejoin-hold-group');
    const admin = kafka.admin();
    await connectWithin(kafka, admin);
    await ensureTopic(admin, s, { topic, partitions: 2, create: true });
    const producer = kafka.producer();
    await connectWithin(kafka, producer);
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: String(i), partition: 0 })) });
    await producer.disconnect();

    const events: string[] = [];
    const newMember = (name: string) => {
      const consumer = kafka.consumer({ groupId, sessionTimeout: 6_000, rebalanceTimeout: 30_000, heartbeatInterval: 200, maxWaitTimeInMs: 100 });
      consumers.push(consumer);
      consumer.on(consumer.events.GROUP_JOIN, () => events.push(`${name} joined`));
      consumer.on(consumer.events.COMMIT_OFFSETS, () => events.push(`${name} committed`));
      return consumer;
    };

    const first = newMember('first');
    let consumed = 0;
    await connectWithin(kafka, first);
    await first.subscribe({ topics: [topic], fromBeginning: true });
    await first.run({ autoCommit: false, eachBatch: async ({ batch }) => void (consumed += batch.messages.length) });
    await expect.poll(() => consumed, { timeout: 30_000 }).toBe(10);

    // Held for longer than a heartbeat interval, the commit sent near its end.
    first.on(first.events.REBALANCING, ({ payload }) => {
      events.push('first rebalancing');
      holdRejoin(
        payload,
        (async () => {
          await sleep(1_500);
          await first.commitOffsets([{ topic, partition: 0, offset: '10' }]);
          events.push('first released');
        })(),
      );
    });

    const second = newMember('second');
    await connectWithin(kafka, second);
    await second.subscribe({ topics: [topic], fromBeginning: true });
    await second.run({ autoCommit: false, eachBatch: async () => {} });
    await expect.poll(() => events.filter((event) => event.endsWith('joined')).length, { timeout: 60_000 }).toBe(3);

    // The broker accepted the commit (PreparingRebalance takes the old generation's), and
    // neither member's join completed before the hold let the first one rejoin.
    expect(events).toEqual(['first joined', 'first rebalancing', 'first committed', 'first released', expect.stringMatching(/joined$/), expect.stringMatching(/joined$/)]);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed?.partitions.find((p) => p.partition === 0)?.offset).toBe('10');
    await admin.disconnect();
  });
});
