import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { sleep } from '@tickerflow/core';
import { toKafkaConfig } from './config';
import { TopicNotFoundError, toKafkaAppError, unreachableError } from './errors';
import { kafkajs } from './kafkajs';
import { KafkaLogLevel, kafkaLogLevelFor, pinoLogCreator, type KafkaDiagnostics, type LogCreatorOptions } from './log-creator';
import type { KafkaSettings } from './settings';

const diagnosticsOf = new WeakMap<Kafka, { settings: KafkaSettings; diagnostics: KafkaDiagnostics }>();

/**
 * A kafkajs client for the settings, logging through `logger` (kafkajs entries at
 * the logger's level or above; pass a child at 'silent' to mute kafkajs). Nothing
 * connects until a producer, consumer or admin does: use connectWithin for that.
 */
export function createKafka(settings: KafkaSettings, logger: Logger, logOptions: LogCreatorOptions = {}): Kafka {
  const diagnostics: KafkaDiagnostics = { lastProblem: undefined };
  const { Kafka: KafkaClient } = kafkajs();
  // kafkajs reports at least its warnings and errors, even to a silent logger, so
  // "cannot reach Kafka" can say what went wrong last.
  const level = Math.max(kafkaLogLevelFor(logger.level), KafkaLogLevel.WARN);
  const kafka = new KafkaClient(toKafkaConfig(settings, pinoLogCreator(logger, diagnostics, logOptions), level));
  diagnosticsOf.set(kafka, { settings, diagnostics });
  return kafka;
}

interface Connectable {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * Connects a producer, consumer or admin of `kafka`, giving up after the settings'
 * connect timeout even while kafkajs is still retrying; failures come back as
 * AppErrors (KAFKA_UNREACHABLE with the last problem kafkajs reported, AuthError
 * for refused credentials).
 */
export async function connectWithin(kafka: Kafka, client: Connectable): Promise<void> {
  const known = diagnosticsOf.get(kafka);
  if (!known) throw new TypeError('connectWithin needs a client made by createKafka');
  const { settings, diagnostics } = known;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), settings.connectTimeoutMs);
  });
  try {
    const outcome = await Promise.race([client.connect().then(() => 'connected' as const), deadline]);
    if (outcome === 'timeout') {
      // Stops kafkajs's retry loop where it can; the error is ours either way.
      client.disconnect().catch(() => {});
      throw unreachableError(settings, diagnostics.lastProblem, { timedOut: true });
    }
  } catch (error) {
    throw toKafkaAppError(error, settings);
  } finally {
    clearTimeout(timer);
  }
}

export interface EnsureTopicOptions {
  readonly topic: string;
  /** Partitions when creating it. */
  readonly partitions: number;
  /** Create the topic when missing; otherwise throw TopicNotFoundError. */
  readonly create: boolean;
  /** Replication factor when creating; default -1 (the cluster's default.replication.factor). */
  readonly replicationFactor?: number;
}

export interface TopicInfo {
  readonly topic: string;
  readonly partitions: number;
  readonly created: boolean;
}

/**
 * Makes sure the topic exists (creating it with `partitions` when allowed) and
 * tells how many partitions it has. An existing topic is never altered.
 */
export async function ensureTopic(admin: Admin, settings: KafkaSettings, options: EnsureTopicOptions): Promise<TopicInfo> {
  try {
    const existing = await partitionCount(admin, options.topic);
    if (existing !== undefined) return { topic: options.topic, partitions: existing, created: false };
    if (!options.create) throw new TopicNotFoundError(options.topic, settings.brokers);
    await createTopicWithLeaders(admin, { topic: options.topic, numPartitions: options.partitions, replicationFactor: options.replicationFactor ?? -1 });
    // A concurrent creator may have won with another partition count: report what is there.
    const partitions = (await partitionCount(admin, options.topic)) ?? options.partitions;
    return { topic: options.topic, partitions, created: true };
  } catch (error) {
    throw toKafkaAppError(error, settings);
  }
}

/** How long a new topic's partitions may take to get leaders. */
const LEADERS_TIMEOUT_MS = 30_000;

/**
 * Creates a topic and resolves once every partition has a leader. kafkajs's own
 * `waitForLeaders` retries only LEADER_NOT_AVAILABLE, while a KRaft broker that has just
 * started can first answer the new topic's metadata with UNKNOWN_TOPIC_OR_PARTITION
 * ("This server does not host this topic-partition"): that is waited out here too.
 */
export async function createTopicWithLeaders(
  admin: Admin,
  topic: { readonly topic: string; readonly numPartitions: number; readonly replicationFactor?: number },
): Promise<void> {
  await admin.createTopics({ topics: [topic], waitForLeaders: false });
  const deadline = Date.now() + LEADERS_TIMEOUT_MS;
  for (;;) {
    try {
      const partitions = (await admin.fetchTopicMetadata({ topics: [topic.topic] })).topics[0]?.partitions ?? [];
      if (partitions.length === topic.numPartitions && partitions.every((partition) => partition.leader >= 0)) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topic '${topic.topic}' has partitions without a leader after ${LEADERS_TIMEOUT_MS / 1000}s`);
    await sleep(100);
  }
}

async function partitionCount(admin: Admin, topic: string): Promise<number | undefined> {
  const topics = await admin.listTopics();
  if (!topics.includes(topic)) return undefined;
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  return metadata.topics[0]?.partitions.length;
}
