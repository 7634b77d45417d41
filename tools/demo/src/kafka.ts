import type { Logger } from 'pino';
import { AppError, errorMessage } from '@tickerflow/core';
import { connectWithin, createKafka, ensureTopic, type KafkaSettings } from '@tickerflow/kafka';

const PROBE_TIMEOUT_MS = 3_000;
const DEMO_PARTITIONS = 3;

function settingsFor(brokers: string, connectTimeoutMs: number): KafkaSettings {
  return { brokers: brokers.split(','), clientId: 'tickerflow-demo', ssl: false, connectTimeoutMs };
}

/** True when a Kafka broker answers at `brokers` within a few seconds. */
export async function brokerAnswers(brokers: string, logger: Logger): Promise<boolean> {
  const kafka = createKafka(settingsFor(brokers, PROBE_TIMEOUT_MS), logger.child({ component: 'kafkajs' }, { level: 'silent' }));
  const admin = kafka.admin();
  try {
    await connectWithin(kafka, admin);
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Creates the demo topic (3 partitions) when missing, so the bridge can join before ticker-gen writes. */
export async function ensureDemoTopic(brokers: string, topic: string, logger: Logger): Promise<void> {
  const settings = settingsFor(brokers, 10_000);
  const kafka = createKafka(settings, logger.child({ component: 'kafkajs' }, { level: 'silent' }));
  const admin = kafka.admin();
  try {
    await connectWithin(kafka, admin);
    await ensureTopic(admin, settings, { topic, partitions: DEMO_PARTITIONS, create: true });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export interface DemoBroker {
  readonly brokers: string;
  /** Stops the broker when the demo started it; a no-op for a broker that was already there. */
  stop(): Promise<void>;
}

/**
 * The demo's Kafka: a broker already answering at `brokers` (docker compose, or one
 * started earlier), else the one tools/kafka runs from Maven Central on this Java.
 */
export async function provideBroker(brokers: string, logger: Logger, say: (line: string) => void): Promise<DemoBroker> {
  if (await brokerAnswers(brokers, logger)) {
    say(`kafka: using the broker at ${brokers}`);
    return { brokers, stop: async () => undefined };
  }
  say(`kafka: nothing answers at ${brokers}; starting one with tools/kafka (the first run downloads Kafka with Maven)`);
  const runner = await import('@tickerflow/kafka-runner');
  try {
    const started = await runner.startBroker();
    return {
      brokers: started.brokers,
      stop: async () => {
        if (started.startedNow) await runner.stopBroker();
      },
    };
  } catch (error) {
    throw new AppError('NO_KAFKA', `no Kafka broker: ${errorMessage(error)}`, {
      cause: error,
      hint: 'start one with `docker compose up -d`, or set KAFKA_BROKERS to a broker that runs',
    });
  }
}
