import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { TransportError } from '@tickerflow/core';
import { TopicNotFoundError, connectWithin, createKafka, ensureTopic, parseBrokers, type KafkaSettings } from '../src/index';

function settings(overrides: Partial<KafkaSettings> = {}): KafkaSettings {
  const brokers = process.env['KAFKA_BROKERS'];
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run through the integration project');
  return { brokers: parseBrokers('KAFKA_BROKERS', brokers), clientId: 'kafka-lib-int', ssl: false, connectTimeoutMs: 10_000, ...overrides };
}

const topicName = () => `kafka-lib-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

describe('@tickerflow/kafka against a real broker', () => {
  it('creates a missing topic, then reports the existing one unchanged', async () => {
    const s = settings();
    const kafka = createKafka(s, pino({ level: 'silent' }));
    const admin = kafka.admin();
    await connectWithin(kafka, admin);
    try {
      const topic = topicName();
      expect(await ensureTopic(admin, s, { topic, partitions: 4, create: true })).toEqual({ topic, partitions: 4, created: true });
      expect(await ensureTopic(admin, s, { topic, partitions: 2, create: true })).toEqual({ topic, partitions: 4, created: false });
      expect(await ensureTopic(admin, s, { topic, partitions: 2, create: false })).toEqual({ topic, partitions: 4, created: false });
    } finally {
      await admin.disconnect();
    }
  });

  it('refuses a missing topic when it may not create it', async () => {
    const s = settings();
    const kafka = createKafka(s, pino({ level: 'silent' }));
    const admin = kafka.admin();
    await connectWithin(kafka, admin);
    try {
      const topic = topicName();
      const attempt = ensureTopic(admin, s, { topic, partitions: 1, create: false });
      await expect(attempt).rejects.toBeInstanceOf(TopicNotFoundError);
      await expect(attempt).rejects.toMatchObject({ code: 'TOPIC_NOT_FOUND', message: `topic '${topic}' does not exist on ${s.brokers.join(',')}` });
      expect(await admin.listTopics()).not.toContain(topic);
    } finally {
      await admin.disconnect();
    }
  });

  it('gives up on an unreachable broker within the connect timeout, saying why', async () => {
    const s = settings({ brokers: ['127.0.0.1:1'], connectTimeoutMs: 700 });
    const kafka = createKafka(s, pino({ level: 'silent' }));
    const producer = kafka.producer();
    const started = performance.now();
    const attempt = connectWithin(kafka, producer);
    await expect(attempt).rejects.toBeInstanceOf(TransportError);
    await expect(attempt).rejects.toMatchObject({ code: 'KAFKA_UNREACHABLE', message: expect.stringMatching(/^cannot reach Kafka at 127\.0\.0\.1:1.*ECONNREFUSED/) });
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
