import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from './broker';
import { resolveRunnerConfig } from './config';

/** The parts of a compose file these checks read; everything else is ignored. */
interface ComposeService {
  image?: string;
  ports?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] };
  depends_on?: Record<string, { condition?: string }>;
  entrypoint?: string[];
  command?: string[];
}

const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
};
const kafka = compose.services.kafka as ComposeService;
const env = kafka.environment ?? {};
const init = compose.services['kafka-init'] as ComposeService;
const defaults = resolveRunnerConfig({}, { repoRoot: REPO_ROOT, cwd: REPO_ROOT, tmpDir: tmpdir() });

/** `NAME://host:port` entries of a listeners setting, by listener name. */
function listeners(value: string | undefined): Map<string, { host: string; port: number }> {
  return new Map(
    (value ?? '').split(',').map((entry) => {
      const match = /^([A-Z_]+):\/\/([^:]*):(\d+)$/.exec(entry.trim());
      if (!match) throw new Error(`bad listener entry "${entry}"`);
      return [match[1] as string, { host: match[2] as string, port: Number(match[3]) }];
    }),
  );
}

/** The value after `flag` in an argument list. */
function argAfter(args: readonly string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return index < 0 ? undefined : args[index + 1];
}

describe('docker-compose.yml', () => {
  it('runs the official Apache Kafka 3.9.1 image', () => {
    expect(kafka.image).toBe('apache/kafka:3.9.1');
    expect(init.image).toBe(kafka.image);
  });

  it('publishes the broker on the host at the same localhost:9092 the tools default to', () => {
    const published = (kafka.ports ?? []).map((mapping) => mapping.split(':'));
    expect(published).toContainEqual(['127.0.0.1', String(defaults.port), String(defaults.port)]);
    const advertised = listeners(env.KAFKA_ADVERTISED_LISTENERS);
    const hostListener = [...advertised.values()].find((l) => `${l.host}:${l.port}` === defaults.brokers);
    expect(hostListener, `an advertised listener at ${defaults.brokers}`).toBeDefined();
    expect(defaults.brokers).toBe('localhost:9092');
  });

  it('advertises an internal listener that other compose services can reach by service name', () => {
    const advertised = listeners(env.KAFKA_ADVERTISED_LISTENERS);
    const bound = listeners(env.KAFKA_LISTENERS);
    const internal = advertised.get('INTERNAL');
    expect(internal).toEqual({ host: 'kafka', port: 29092 });
    expect(bound.get('INTERNAL')?.port).toBe(29092);
    expect(env.KAFKA_INTER_BROKER_LISTENER_NAME).toBe('INTERNAL');
    // Every listener (and the controller) has a security protocol.
    const protocols = new Set(env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP?.split(',').map((entry) => entry.split(':')[0]));
    for (const name of bound.keys()) expect(protocols.has(name), name).toBe(true);
  });

  it('runs in KRaft mode: combined broker+controller with a static quorum, no ZooKeeper', () => {
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env.KAFKA_NODE_ID).toBe('1');
    expect(env.KAFKA_CONTROLLER_LISTENER_NAMES).toBe('CONTROLLER');
    const controller = listeners(env.KAFKA_LISTENERS).get('CONTROLLER');
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`${env.KAFKA_NODE_ID}@kafka:${controller?.port}`);
    expect(env.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Object.keys(env).filter((key) => key.includes('ZOOKEEPER'))).toEqual([]);
  });

  it('defaults to 3 partitions, no auto-created topics and single-node replication', () => {
    expect(env.KAFKA_NUM_PARTITIONS).toBe('3');
    expect(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
    expect(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR).toBe('1');
    expect(env.KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR).toBe('1');
    expect(env.KAFKA_TRANSACTION_STATE_LOG_MIN_ISR).toBe('1');
  });

  it('has a health check that asks the broker itself', () => {
    expect(kafka.healthcheck?.test?.join(' ')).toContain('kafka-broker-api-versions.sh --bootstrap-server kafka:29092');
  });

  it('creates the multipartition topic with 3 partitions once the broker is healthy', () => {
    const args = [...(init.entrypoint ?? []), ...(init.command ?? [])];
    expect(args[0]).toBe('/opt/kafka/bin/kafka-topics.sh');
    expect(args).toContain('--create');
    expect(args).toContain('--if-not-exists');
    expect(argAfter(args, '--topic')).toBe('multipartition');
    expect(argAfter(args, '--partitions')).toBe('3');
    expect(argAfter(args, '--replication-factor')).toBe('1');
    expect(argAfter(args, '--bootstrap-server')).toBe('kafka:29092');
    expect(init.depends_on?.kafka?.condition).toBe('service_healthy');
  });
});
