import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerPortDir, brokerStatus, releaseBroker, REPO_ROOT, startBroker } from './broker';
import { DEFAULT_KAFKA_VERSION, resolveRunnerConfig, runnerPaths, type RunnerConfigOverrides } from './config';
import { freePort } from './free-port';
import { runKafkaWrapper } from './wrapper-process.test-helper';

const kafka = runKafkaWrapper;

/** Where the runner keeps what every clone using this port shares (lock, leases, owner). */
function portPaths(overrides: RunnerConfigOverrides) {
  return runnerPaths(resolveRunnerConfig({}, { repoRoot: REPO_ROOT, cwd: REPO_ROOT, tmpDir: tmpdir() }, overrides));
}

/** The broker settings tests rely on, read back from the running broker. */
async function brokerSettings(brokers: string): Promise<Record<string, string | undefined>> {
  const admin = new Kafka({ clientId: 'kafka-runner-lifecycle', brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { brokers: nodes } = await admin.describeCluster();
    expect(nodes).toHaveLength(1);
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        {
          type: ConfigResourceTypes.BROKER,
          name: String(nodes[0]?.nodeId),
          configNames: ['num.partitions', 'auto.create.topics.enable', 'offsets.topic.replication.factor'],
        },
      ],
    });
    return Object.fromEntries(resources[0]?.configEntries.map((entry) => [entry.configName, entry.configValue]) ?? []);
  } finally {
    await admin.disconnect();
  }
}

// Each test here runs a broker of its own on free ports from its own data dir, so nothing
// else on the machine (a broker on 9092 from another clone, docker compose) changes what it sees.
describe('tools/kafka on its own port and data dir', () => {
  let dataDir: string;
  let otherCloneDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kafka-lifecycle-'));
    otherCloneDir = await mkdtemp(join(tmpdir(), 'kafka-lifecycle-other-clone-'));
    env = {
      KAFKA_PORT: String(await freePort()),
      KAFKA_CONTROLLER_PORT: String(await freePort()),
      KAFKA_DATA_DIR: dataDir,
      KAFKA_VERSION: DEFAULT_KAFKA_VERSION,
    };
  });

  afterAll(async () => {
    await kafka(['stop'], env);
    await kafka(['stop'], { ...env, KAFKA_DATA_DIR: otherCloneDir });
    await rm(dataDir, { recursive: true, force: true });
    await rm(otherCloneDir, { recursive: true, force: true });
    await rm(brokerPortDir({ port: Number(env.KAFKA_PORT) }), { recursive: true, force: true });
  });

  it('starts, reports (text, JSON, logs), reuses, is left alone by test runs, stops, and stops idempotently', async () => {
    const brokers = `localhost:${env.KAFKA_PORT}`;
    const options = { port: Number(env.KAFKA_PORT), controllerPort: Number(env.KAFKA_CONTROLLER_PORT), dataDir, log: () => undefined };
    expect((await kafka(['status'], env)).code).toBe(3);

    const first = await kafka(['start'], env);
    expect(first.stderr).toContain('formatting the broker storage');
    expect(first).toMatchObject({ code: 0, stdout: `${brokers}\n` });
    expect(await brokerSettings(brokers)).toEqual({
      'num.partitions': '3',
      'auto.create.topics.enable': 'false',
      'offsets.topic.replication.factor': '1',
    });

    const status = await kafka(['status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^running ${brokers} pid=\\d+ version=${DEFAULT_KAFKA_VERSION} started-by=cli `));
    expect(status.stdout.split('\n')).toHaveLength(2);

    const json = await kafka(['status', '--json'], env);
    expect(json.code).toBe(0);
    const described = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(described).toMatchObject({ running: true, managed: true, brokers, version: DEFAULT_KAFKA_VERSION, startedBy: 'cli', dataDir });
    expect(described.pid).toEqual(expect.any(Number));

    const second = await kafka(['start'], env);
    expect(second).toMatchObject({ code: 0, stdout: `${brokers}\n` });
    expect(second.stderr).toContain(`reusing the Kafka ${DEFAULT_KAFKA_VERSION} broker already running at ${brokers} (pid ${described.pid})`);
    expect(JSON.parse((await kafka(['status', '--json'], env)).stdout)).toMatchObject({ pid: described.pid });

    const logs = await kafka(['logs', '-n', '2000'], env);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/\] INFO .*\(kafka\./);

    // Started by a person: a test run's teardown leaves it alone.
    await expect(startBroker({ ...options, startedBy: 'test', lease: true })).resolves.toMatchObject({ startedNow: false });
    await expect(releaseBroker(options)).resolves.toBe(false);
    expect((await brokerStatus(options)).running).toBe(true);

    const stop = await kafka(['stop'], env);
    expect(stop.code).toBe(0);
    expect(stop.stderr).toMatch(/stopped the broker \(pid \d+\)/);
    const after = await kafka(['status'], env);
    expect(after).toMatchObject({ code: 3, stdout: `not running ${brokers} data=${dataDir}\n` });

    const again = await kafka(['stop'], env);
    expect(again).toMatchObject({ code: 0, stderr: 'kafka: the broker is not running\n' });
  }, 180_000);

  it('shares a test-run broker between clones on one port: one start, and the last run out (of any clone) stops it', async () => {
    const port = Number(env.KAFKA_PORT);
    const mine = { port, controllerPort: Number(env.KAFKA_CONTROLLER_PORT), dataDir, log: () => undefined };
    const otherClone = { ...mine, dataDir: otherCloneDir };
    const { leasesDir, ownerFile } = portPaths({ port });

    // Two clones' test runs starting at once (each with its own data dir): one broker, the other reuses it.
    const started = await Promise.all([
      startBroker({ ...mine, startedBy: 'test', lease: true }),
      startBroker({ ...otherClone, startedBy: 'test', lease: true }),
    ]);
    expect(started.filter((result) => result.startedNow)).toHaveLength(1);
    const owner = started[0]?.startedNow ? mine : otherClone;
    const user = owner === mine ? otherClone : mine;
    expect(JSON.parse(await readFile(ownerFile, 'utf8'))).toEqual({ dataDir: owner.dataDir });

    // The owner's run ends while the other clone's run (another live process: our parent) still holds a lease: kept.
    await writeFile(join(leasesDir, String(process.ppid)), 'the other clone\'s test run');
    await expect(releaseBroker(owner)).resolves.toBe(false);
    expect((await brokerStatus(owner)).startedBy).toBe('test');

    // TICKERFLOW_KEEP_KAFKA (keep) wins even when this run is the last one.
    await rm(join(leasesDir, String(process.ppid)));
    await expect(releaseBroker({ ...user, keep: true })).resolves.toBe(false);
    expect((await brokerStatus(owner)).running).toBe(true);

    // The last run out stops it, although the broker runs from the other clone's data dir.
    await expect(releaseBroker(user)).resolves.toBe(true);
    expect((await brokerStatus(owner)).running).toBe(false);
    await expect(readFile(ownerFile, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  }, 120_000);
});

describe('tools/kafka start errors (one line each)', () => {
  let dataDir: string;
  const ports: number[] = [];
  /** A free port whose machine-wide runner folder the cleanup removes. */
  const port = async (): Promise<number> => {
    ports.push(await freePort());
    return ports.at(-1) as number;
  };
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kafka-errors-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    for (const used of ports) await rm(brokerPortDir({ port: used }), { recursive: true, force: true });
  });

  it('says Java is missing', async () => {
    const env = { JAVA_HOME: '/nonexistent-jdk', KAFKA_PORT: String(await port()), KAFKA_DATA_DIR: dataDir };
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
    const squatted = (squatter.address() as { port: number }).port;
    ports.push(squatted);
    try {
      const error = await startBroker({ port: squatted, controllerPort: await port(), dataDir, log: () => undefined }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({
        code: 'PORT_IN_USE',
        message: `port ${squatted} (Kafka client) is already in use by something that is not a Kafka broker started by tools/kafka`,
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
      KAFKA_PORT: String(await port()),
      KAFKA_CONTROLLER_PORT: String(await port()),
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
