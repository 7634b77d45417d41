import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { connectWithin, createKafka, kafkajs, parseBrokers, type KafkaSettings } from '@tickerflow/kafka';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const TICKER_GEN_BIN = resolve(REPO_ROOT, 'node_modules/.bin/ticker-gen');

export function brokers(): string {
  const value = process.env['KAFKA_BROKERS'];
  if (!value) throw new Error('KAFKA_BROKERS is not set: run through the integration project (its globalSetup starts Kafka)');
  return value;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export function testSettings(): KafkaSettings {
  return { brokers: parseBrokers('KAFKA_BROKERS', brokers()), clientId: 'producer-int-test', ssl: false, connectTimeoutMs: 10_000 };
}

export interface ConsumedRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string;
  readonly timestamp: number;
}

/**
 * Reads a topic from the beginning until it holds `expected` records (by the
 * topic's end offsets, so "exactly N" is checked without waiting for silence),
 * and returns them all.
 */
export async function readTopic(topic: string, expected: number, timeoutMs = 30_000): Promise<ConsumedRecord[]> {
  const settings = testSettings();
  const kafka = createKafka(settings, pino({ level: 'silent' }));
  const admin = kafka.admin();
  await connectWithin(kafka, admin);
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const total = offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
  if (total !== expected) throw new Error(`topic ${topic} holds ${total} records, expected ${expected}`);

  const consumer = kafka.consumer({ groupId: uniqueName('producer-int'), maxWaitTimeInMs: 100 });
  await connectWithin(kafka, consumer);
  const records: ConsumedRecord[] = [];
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`read ${records.length} of ${expected} records within ${timeoutMs} ms`)), timeoutMs);
      if (expected === 0) {
        clearTimeout(timer);
        done();
        return;
      }
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

export async function topicExists(topic: string): Promise<boolean> {
  const kafka = createKafka(testSettings(), pino({ level: 'silent' }));
  const admin = kafka.admin();
  await connectWithin(kafka, admin);
  try {
    return (await admin.listTopics()).includes(topic);
  } finally {
    await admin.disconnect();
  }
}

export interface Spawned {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
}

/** Runs the real bin; `onStart` gets the child (e.g. to send SIGINT). */
export function runTickerGen(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; timeoutMs?: number; onStart?: (child: ReturnType<typeof spawn>, stderr: () => string) => void } = {},
): Promise<Spawned> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
  for (const name of ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SSL']) {
    if (!(options.env && name in options.env)) delete env[name];
  }
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [TICKER_GEN_BIN, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`ticker-gen ${args.join(' ')} did not finish within ${options.timeoutMs ?? 30_000} ms; stderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, elapsedMs: performance.now() - started });
    });
    options.onStart?.(child, () => stderr);
  });
}

export { kafkajs };
