import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Loads vitest's types so the ProvidedContext augmentation below has a module to extend.
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { brokerPortDir, releaseBroker, startBroker } from './broker';
import { KafkaRunnerError, RunnerErrorCode } from './errors';
import { freePort } from './free-port';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap address of the real Kafka broker, e.g. `localhost:9092`. */
    kafkaBrokers: string;
  }
}

/**
 * vitest globalSetup of the `integration` project: the shared integration broker.
 * It is the Kafka broker answering at KAFKA_PORT (default 9092) whoever started
 * it (this checkout, another clone, docker compose), or one this run starts there.
 * Tests on it use their own topics and groups; a test that needs a broker of its
 * own (lifecycle, status, logs) starts one on free ports with its own data dir.
 * When something that is not Kafka holds the port, the run starts a broker of
 * its own on free ports in a temporary data dir instead, and removes both after.
 *
 * Its address goes to `process.env.KAFKA_BROKERS` and `inject('kafkaBrokers')`.
 * The run holds a lease on the broker; teardown stops it only when a test run
 * started it, no other test run (of any clone) still uses it and
 * `TICKERFLOW_KEEP_KAFKA` is unset: `npm test` leaves nothing running, while a
 * broker started with `tools/kafka start` (or shared by a concurrent run) is never pulled away.
 */
export default async function setup({ provide }: Pick<TestProject, 'provide'>): Promise<() => Promise<void>> {
  const { brokers, release } = await sharedBroker();
  process.env.KAFKA_BROKERS = brokers;
  provide('kafkaBrokers', brokers);
  return release;
}

async function sharedBroker(): Promise<{ brokers: string; release: () => Promise<void> }> {
  try {
    const { brokers } = await startBroker({ startedBy: 'test', lease: true });
    return { brokers, release: async () => void (await releaseBroker({ keep: Boolean(process.env.TICKERFLOW_KEEP_KAFKA) })) };
  } catch (error) {
    if (!(error instanceof KafkaRunnerError && error.code === RunnerErrorCode.portInUse)) throw error;
    const own = { port: await freePort(), controllerPort: await freePort(), dataDir: await mkdtemp(join(tmpdir(), 'tickerflow-test-kafka-')) };
    process.stderr.write(`kafka: ${error.message}; starting a broker for this test run on port ${own.port}\n`);
    const { brokers } = await startBroker({ ...own, startedBy: 'test', lease: true });
    return {
      brokers,
      release: async () => {
        await releaseBroker(own);
        await rm(own.dataDir, { recursive: true, force: true });
        await rm(brokerPortDir(own), { recursive: true, force: true });
      },
    };
  }
}
