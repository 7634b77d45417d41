import kafkajs from 'kafkajs';
import { AppError, errorMessage } from '@tickerflow/core';

const { Kafka, logLevel } = kafkajs;

/** True when a Kafka broker answers a metadata request at `brokers` within `timeoutMs`. */
export async function brokerAnswers(brokers: readonly string[], timeoutMs: number): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'tickerflow-demo-probe',
    brokers: [...brokers],
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
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
export async function provideBroker(brokers: string, say: (line: string) => void): Promise<DemoBroker> {
  if (await brokerAnswers(brokers.split(','), 3_000)) {
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
