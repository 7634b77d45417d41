import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

/** Polls `predicate` until it holds; fails with `what` after `timeoutMs`. */
async function waitFor(what: string, predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// The shared integration broker may be this checkout's, another clone's or docker compose's:
// everything here uses its own topic and group. Its settings are checked in lifecycle.int.spec.ts.
describe('the shared integration broker (via the integration globalSetup)', () => {
  const brokers = inject('kafkaBrokers');
  const suffix = randomUUID().slice(0, 8);
  const topic = `kafka-runner-smoke-${suffix}`;
  const kafka = new Kafka({ clientId: `kafka-runner-test-${suffix}`, brokers: [brokers], logLevel: logLevel.NOTHING });
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer | undefined;

  beforeAll(async () => {
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin?.disconnect();
  });

  it('is published to tests as KAFKA_BROKERS and inject("kafkaBrokers")', () => {
    expect(brokers).toMatch(/^localhost:\d+$/);
    expect(process.env.KAFKA_BROKERS).toBe(brokers);
  });

  it('creates a topic, takes messages and delivers all of them to a consumer group', async () => {
    await expect(admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true })).resolves.toBe(true);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions).toHaveLength(3);

    const sent = Array.from({ length: 30 }, (_, index) => ({ key: `T${index % 6}`, value: `quote-${index}` }));
    await producer.send({ topic, messages: sent });

    const received: { key: string; value: string; partition: number }[] = [];
    consumer = kafka.consumer({ groupId: `kafka-runner-smoke-${suffix}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        received.push({ key: String(message.key), value: String(message.value), partition });
      },
    });
    // At-least-once: a fresh broker's first group may rebalance once and redeliver, so wait for every value.
    const distinct = () => new Set(received.map((m) => m.value));
    await waitFor('all 30 messages', () => distinct().size >= 30);

    expect([...distinct()].sort()).toEqual(sent.map((m) => m.value).sort());
    // Same key, same partition; six keys over three partitions use more than one.
    const partitionOfKey = new Map<string, Set<number>>();
    for (const m of received) partitionOfKey.set(m.key, (partitionOfKey.get(m.key) ?? new Set()).add(m.partition));
    for (const partitions of partitionOfKey.values()) expect(partitions.size).toBe(1);
    expect(new Set(received.map((m) => m.partition)).size).toBeGreaterThan(1);
  });
});
