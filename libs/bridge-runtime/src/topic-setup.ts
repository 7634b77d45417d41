import type { Kafka } from 'kafkajs';
import type { Logger } from '@tickerflow/cli';
import { connectWithin, ensureTopic, TopicNotFoundError } from '@tickerflow/kafka';
import { deadLetterTopic } from '@tickerflow/relay';
import type { BridgeConfig } from './config';
import { waitForTopic } from './wait-for-topic';

/** How often a missing topic is looked up again. */
const TOPIC_POLL_INTERVAL_MS = 1_000;

export interface TopicReady {
  readonly partitions: number;
  /** config.fromBeginning, or true when the topic appeared after the bridge started. */
  readonly fromBeginning: boolean;
}

/**
 * Before joining the group: waits for the topic (ticker-gen creates it) and creates its
 * dead-letter topic with as many partitions. Undefined when `signal` aborts first.
 */
export async function prepareTopics(
  kafka: Kafka,
  config: BridgeConfig,
  options: { readonly signal: AbortSignal; readonly log: Logger; onWaiting(): void },
): Promise<TopicReady | undefined> {
  const { log } = options;
  const admin = kafka.admin();
  await connectWithin(kafka, admin);
  try {
    const found = await waitForTopic(
      async () => {
        try {
          return (await ensureTopic(admin, config.kafka, { topic: config.topic, partitions: 1, create: false })).partitions;
        } catch (error) {
          if (error instanceof TopicNotFoundError) return undefined;
          throw error;
        }
      },
      {
        signal: options.signal,
        intervalMs: TOPIC_POLL_INTERVAL_MS,
        onWaiting: () => {
          options.onWaiting();
          log.info({ topic: config.topic }, `topic '${config.topic}' does not exist yet; waiting for it (ticker-gen creates it)`);
        },
      },
    );
    if (found === undefined) return undefined;
    const { partitions } = found;
    let fromBeginning = config.fromBeginning;
    if (found.waited && !fromBeginning) {
      // Everything in a topic born after the bridge started is new to it: read it all.
      fromBeginning = true;
      log.info({ topic: config.topic, partitions }, 'the topic appeared; reading it from the beginning');
    }
    const dlq = await ensureTopic(admin, config.kafka, { topic: deadLetterTopic(config.topic), partitions, create: true });
    if (dlq.created) log.info({ topic: dlq.topic, partitions }, 'created the dead-letter topic');
    return { partitions, fromBeginning };
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
