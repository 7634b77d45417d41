import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerStatus, releaseBroker, startBroker } from './broker';
import { DEFAULT_KAFKA_VERSION } from './config';
import { runKafkaWrapper } from './wrapper-process.test-helper';

const kafka = runKafkaWrapper;

/** A port nobody listens on right now (the OS picks it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('tools/kafka on its own port and data dir', () => {
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kafka-lifecycle-'));
    env = {
      KAFKA_PORT: String(await freePort()),
      KAFKA_CONTROLLER_PORT: String(await freePort()),
      KAFKA_DATA_DIR: dataDir,
      KAFKA_VERSION: DEFAULT_KAFKA_VERSION,
    };
  });

  afterAll(async () => {
    await kafka(['stop'], env);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts, reports, reuses, stops, and stops idempotently', async () => {
    const brokers = `localhost:${env.KAFKA_PORT}`;
    expect((await kafka(['status'], env)).code).toBe(3);

    const first = await kafka(['start'], env);
    expect(first.stderr).toContain('formatting the broker storage');
    expect(first).toMatchObject({ code: 0, stdout: `${brokers}\n` });

    const status = await kafka(['status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^running ${brokers} pid=\\d+ version=${DEFAULT_KAFKA_VERSION} started-by=cli `));

    const second = await kafka(['start'], env);
    expect(second).toMatchObject({ code: 0, stdout: `${brokers}\n` });
    expect(second.stderr).toContain('reusing');

    const stop = await kafka(['stop'], env);
    expect(stop.code).toBe(0);
    expect(stop.stderr).toMatch(/stopped the broker \(pid \d+\)/);
    const after = await kafka(['status'], env);
    expect(after).toMatchObject({ code: 3, stdout: `not running ${brokers} data=${dataDir}\n` });

    const again = await kafka(['stop'], env);
    expect(again).toMatchObject({ code: 0, stderr: 'kafka: the broker is not running\n' });
  }, 120_000);

  it('lets a test run stop only a broker a test run started, and only when no other run holds a lease', async () => {
    const options = { port: Number(env.KAFKA_PORT), controllerPort: Number(env.KAFKA_CONTROLLER_PORT), dataDir, log: () => undefined };

    // Started by a person: a test run's teardown leaves it alone.
    expect((await kafka(['start'], env)).code).toBe(0);
    await expect(startBroker({ ...options, startedBy: 'test', lease: true })).resolves.toMatchObject({ startedNow: false });
    await expect(releaseBroker(options)).resolves.toBe(false);
    expect((await brokerStatus(options)).running).toBe(true);
    expect((await kafka(['stop'], env)).code).toBe(0);

    // Started by a test run, while another live process (our parent) holds a lease: kept.
    await expect(startBroker({ ...options, startedBy: 'test', lease: true })).resolves.toMatchObject({ startedNow: true });
    await writeFile(join(dataDir, 'leases', String(process.ppid)), 'another test run');
    await expect(releaseBroker(options)).resolves.toBe(false);
    expect((await brokerStatus(options)).startedBy).toBe('test');

    // TICKERFLOW_KEEP_KAFKA (keep) wins even when this run is the last one.
    await rm(join(dataDir, 'leases', String(process.ppid)));
    await expect(releaseBroker({ ...options, keep: true })).resolves.toBe(false);
    expect((await brokerStatus(options)).running).toBe(true);

    // The last test run out stops it.
    await expect(releaseBroker(options)).resolves.toBe(true);
    expect((await brokerStatus(options)).running).toBe(false);
  }, 120_000);
});

describe('tools/kafka start errors (one line each)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kafka-errors-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('says Java is missing', async () => {
    const env = { JAVA_HOME: '/nonexistent-jdk', KAFKA_PORT: String(await freePort()), KAFKA_DATA_DIR: dataDir };
    const result = await kafka(['start'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'kafka: Java not found (tried "/nonexistent-jdk/bin/java") (hint: install a JDK 17 (e.g. apt-get install -y openjdk-17-jre-headless) or set JAVA_HOME)\n',
    );
  });

  it('refuses a port held by something that is not Kafka', async () => {
    const squatter: Server = createServer((socket) => socket.on('data', () => undefined));
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as { port: number };
    try {
      const error = await startBroker({ port, controllerPort: await freePort(), dataDir, log: () => undefined }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({
        code: 'PORT_IN_USE',
        message: `port ${port} (Kafka client) is already in use by something that is not a Kafka broker started by tools/kafka`,
      });
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('refuses a data dir formatted by another Kafka version', async () => {
    await mkdir(join(dataDir, 'data'), { recursive: true });
    await writeFile(join(dataDir, 'data', 'meta.properties'), 'version=1\nnode.id=1\n');
    await writeFile(join(dataDir, 'kafka-version'), '4.1.1\n');
    const env = {
      KAFKA_VERSION: DEFAULT_KAFKA_VERSION,
      KAFKA_PORT: String(await freePort()),
      KAFKA_CONTROLLER_PORT: String(await freePort()),
      KAFKA_DATA_DIR: dataDir,
    };
    const result = await kafka(['start'], env);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(
      `kafka: ${dataDir} was formatted by Kafka 4.1.1 but KAFKA_VERSION is ${DEFAULT_KAFKA_VERSION} ` +
        `(hint: use KAFKA_VERSION=4.1.1, another KAFKA_DATA_DIR, or delete ${dataDir} (its topics are lost))`,
    );
  });
});
