// Loads vitest's types so the ProvidedContext augmentation below has a module to extend.
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { releaseBroker, startBroker } from './broker';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap address of the real Kafka broker, e.g. `localhost:9092`. */
    kafkaBrokers: string;
  }
}

/**
 * vitest globalSetup of the `integration` project: starts the local Kafka
 * broker (or reuses the one running), exposes its address as
 * `process.env.KAFKA_BROKERS` and `inject('kafkaBrokers')`, and holds a lease on it.
 *
 * Teardown stops the broker only when a test run started it, no other test run
 * still uses it and `TICKERFLOW_KEEP_KAFKA` is unset: `npm test` leaves nothing
 * running, while a broker started with `tools/kafka start` (or shared by a
 * concurrent run) is never pulled away.
 */
export default async function setup({ provide }: Pick<TestProject, 'provide'>): Promise<() => Promise<void>> {
  const { brokers } = await startBroker({ startedBy: 'test', lease: true });
  process.env.KAFKA_BROKERS = brokers;
  provide('kafkaBrokers', brokers);
  return async () => {
    await releaseBroker({ keep: Boolean(process.env.TICKERFLOW_KEEP_KAFKA) });
  };
}
