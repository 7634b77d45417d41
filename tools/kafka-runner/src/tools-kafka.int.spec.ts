import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runKafkaWrapper } from './wrapper-process.test-helper';

const kafka = runKafkaWrapper;

// This test says so: it reuses the shared integration broker, from a data dir that never ran it,
// which is a clone's view of a broker on its port that another clone or docker compose started.
// Its own broker's status, logs and reuse are covered in lifecycle.int.spec.ts.
describe('tools/kafka next to a broker it did not start', () => {
  const brokers = inject('kafkaBrokers');
  let env: Record<string, string>;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kafka-foreign-'));
    const port = brokers.split(':')[1] as string;
    env = { KAFKA_PORT: port, KAFKA_CONTROLLER_PORT: String(Number(port) + 1), KAFKA_DATA_DIR: dataDir };
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('status reports it running, not started by tools/kafka, with exit code 0', async () => {
    const result = await kafka(['status'], env);
    expect(result).toMatchObject({ code: 0, stdout: `running ${brokers} (not started by tools/kafka)\n` });
  });

  it('status --json describes it as one JSON object, not managed', async () => {
    const result = await kafka(['status', '--json'], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ running: true, managed: false, brokers, dataDir, logFile: join(dataDir, 'broker.log') });
  });

  it('start reuses it and prints its address', async () => {
    const result = await kafka(['start'], env);
    expect(result).toMatchObject({
      code: 0,
      stdout: `${brokers}\n`,
      stderr: `kafka: reusing the Kafka broker already running at ${brokers} (not started by tools/kafka)\n`,
    });
  });

  it('stop leaves it alone, and it keeps answering', async () => {
    const result = await kafka(['stop'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `kafka: something answers at ${brokers} but tools/kafka did not start it (no live pid in ${join(dataDir, 'broker.pid')}); leaving it alone\n`,
    );
    expect((await kafka(['status'], env)).code).toBe(0);
  });

  it('logs says there is no log of this data dir yet (exit code 1, one line)', async () => {
    const result = await kafka(['logs'], env);
    expect(result).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `kafka: no broker log at ${join(dataDir, 'broker.log')} yet (hint: run tools/kafka start first)\n`,
    });
  });
});
