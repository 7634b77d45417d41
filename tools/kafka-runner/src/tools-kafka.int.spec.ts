import { describe, expect, inject, it } from 'vitest';
import { DEFAULT_KAFKA_VERSION } from './config';
import { runKafkaWrapper } from './wrapper-process.test-helper';

const VERSION = process.env.KAFKA_VERSION || DEFAULT_KAFKA_VERSION;

const kafka = runKafkaWrapper;

describe('tools/kafka against the running broker', () => {
  const brokers = inject('kafkaBrokers');

  it('status reports it running with exit code 0', async () => {
    const result = await kafka(['status']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^running ${brokers} `));
    expect(result.stdout.split('\n')).toHaveLength(2);
  });

  it('status --json describes it as one JSON object', async () => {
    const result = await kafka(['status', '--json']);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(status).toMatchObject({ running: true, managed: true, brokers, version: VERSION });
    expect(status.pid).toEqual(expect.any(Number));
  });

  it('start is idempotent: it reuses the running broker and prints the same address', async () => {
    const before = JSON.parse((await kafka(['status', '--json'])).stdout) as { pid: number };
    const result = await kafka(['start']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${brokers}\n`);
    expect(result.stderr).toContain(`reusing the Kafka ${VERSION} broker already running at ${brokers} (pid ${before.pid})`);
    const after = JSON.parse((await kafka(['status', '--json'])).stdout) as { pid: number };
    expect(after.pid).toBe(before.pid);
  });

  it('logs prints real broker log lines', async () => {
    const result = await kafka(['logs', '-n', '2000']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\] INFO .*\(kafka\./);
  });
});
