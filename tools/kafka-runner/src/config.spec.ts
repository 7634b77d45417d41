import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tickerflow/core';
import { parseKafkaVersion, resolveRunnerConfig, runnerPaths } from './config';

const locations = { repoRoot: '/repo', cwd: '/home/dev/somewhere', tmpDir: '/tmp' };

describe('resolveRunnerConfig', () => {
  it('defaults to Kafka 3.9.1 at localhost:9092 with data and cache inside the repository', () => {
    const config = resolveRunnerConfig({}, locations);
    expect(config).toMatchObject({
      version: '3.9.1',
      port: 9092,
      controllerPort: 9093,
      brokers: 'localhost:9092',
      dataDir: '/repo/.kafka',
      cacheDir: '/repo/.cache/kafka',
      heapOpts: ['-Xms256m', '-Xmx512m'],
      java: 'java',
      mvn: 'mvn',
      portDir: '/tmp/tickerflow-kafka-9092',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every setting from the environment; folders the user names are relative to the cwd', () => {
    const config = resolveRunnerConfig(
      {
        KAFKA_VERSION: '4.1.1',
        KAFKA_PORT: '19092',
        KAFKA_DATA_DIR: 'kafka-4',
        KAFKA_CACHE_DIR: '/var/cache/kafka',
        KAFKA_HEAP_OPTS: ' -Xmx1g ',
        JAVA_HOME: '/opt/jdk',
        MVN: '/opt/maven/bin/mvn',
      },
      locations,
    );
    expect(config).toMatchObject({
      version: '4.1.1',
      port: 19092,
      controllerPort: 19093,
      brokers: 'localhost:19092',
      dataDir: '/home/dev/somewhere/kafka-4',
      cacheDir: '/var/cache/kafka',
      heapOpts: ['-Xmx1g'],
      java: '/opt/jdk/bin/java',
      mvn: '/opt/maven/bin/mvn',
    });
  });

  it('lets explicit overrides win over the environment', () => {
    const config = resolveRunnerConfig({ KAFKA_PORT: '19092' }, locations, { port: 29092, controllerPort: 29999 });
    expect(config.port).toBe(29092);
    expect(config.controllerPort).toBe(29999);
  });

  it.each([
    [{ KAFKA_PORT: 'abc' }, 'KAFKA_PORT must be a port number 1-65535, got "abc"'],
    [{ KAFKA_PORT: '70000' }, 'KAFKA_PORT must be a port number 1-65535, got "70000"'],
    [{ KAFKA_CONTROLLER_PORT: '0' }, 'KAFKA_CONTROLLER_PORT must be a port number 1-65535, got "0"'],
    [{ KAFKA_PORT: '9092', KAFKA_CONTROLLER_PORT: '9092' }, 'KAFKA_CONTROLLER_PORT must differ from KAFKA_PORT (both 9092)'],
    [{ KAFKA_VERSION: 'latest' }, 'KAFKA_VERSION must look like 3.9.1, got "latest"'],
  ])('rejects %o with a ConfigError naming the variable', (env, message) => {
    expect(() => resolveRunnerConfig(env, locations)).toThrow(ConfigError);
    expect(() => resolveRunnerConfig(env, locations)).toThrow(message);
  });
});

describe('parseKafkaVersion', () => {
  it.each([
    ['3.9.1', { major: 3, minor: 9, patch: 1 }],
    ['4.1.1', { major: 4, minor: 1, patch: 1 }],
    ['4.0.0-rc2', { major: 4, minor: 0, patch: 0 }],
  ])('parses %s', (text, expected) => {
    expect(parseKafkaVersion(text)).toEqual(expected);
  });
});

describe('runnerPaths', () => {
  it('keeps broker state under the data dir, jars under the per-version cache, and what clones share under the port', () => {
    const paths = runnerPaths(resolveRunnerConfig({ KAFKA_PORT: '19092' }, locations));
    expect(paths).toMatchObject({
      lockFile: '/tmp/tickerflow-kafka-19092/runner.lock',
      leasesDir: '/tmp/tickerflow-kafka-19092/leases',
      ownerFile: '/tmp/tickerflow-kafka-19092/owner.json',
      logDirs: '/repo/.kafka/data',
      pidFile: '/repo/.kafka/broker.pid',
      logFile: '/repo/.kafka/broker.log',
      serverProperties: '/repo/.kafka/server.properties',
      libDir: '/repo/.cache/kafka/3.9.1/lib',
      pomFile: '/repo/.cache/kafka/3.9.1/pom.xml',
    });
  });
});
