import { join, resolve } from 'node:path';
import { ConfigError, LOCAL_KAFKA_HOST, LOCAL_KAFKA_PORT } from '@tickerflow/core';

/** Kafka release used when `KAFKA_VERSION` is not set. */
export const DEFAULT_KAFKA_VERSION = '3.9.1';
/** Client port of the broker when `KAFKA_PORT` is not set. */
export const DEFAULT_KAFKA_PORT = LOCAL_KAFKA_PORT;
/** Host name advertised to clients: the default bootstrap address is `localhost:9092`. */
export const ADVERTISED_HOST = LOCAL_KAFKA_HOST;
/** Address the broker binds to: loopback only, never the network. */
export const BIND_HOST = '127.0.0.1';
/** JVM heap when `KAFKA_HEAP_OPTS` is not set: small, CI machines run several JVMs on 2 cores. */
export const DEFAULT_HEAP_OPTS = '-Xms256m -Xmx512m';

/** Every setting of the runner, resolved once and passed down. */
export interface RunnerConfig {
  /** Kafka release, e.g. `3.9.1` (env `KAFKA_VERSION`). */
  readonly version: string;
  /** Client listener port (env `KAFKA_PORT`, default 9092). */
  readonly port: number;
  /** KRaft controller listener port (env `KAFKA_CONTROLLER_PORT`, default port + 1). */
  readonly controllerPort: number;
  /** Bootstrap address clients use, `localhost:<port>`. */
  readonly brokers: string;
  /** Broker state: `data/` (log.dirs), pid file, log, generated configs (env `KAFKA_DATA_DIR`, default `<repo>/.kafka`). */
  readonly dataDir: string;
  /** Maven-resolved jars live in `<cacheDir>/<version>/lib` (env `KAFKA_CACHE_DIR`, default `<repo>/.cache/kafka`). */
  readonly cacheDir: string;
  /** JVM heap flags (env `KAFKA_HEAP_OPTS`). */
  readonly heapOpts: readonly string[];
  /** Java executable: `$JAVA_HOME/bin/java` when JAVA_HOME is set, else `java` from PATH. */
  readonly java: string;
  /** Maven executable (env `MVN`, default `mvn`). */
  readonly mvn: string;
  /**
   * Machine-wide folder for the client port, `<tmp>/tickerflow-kafka-<port>`: its lock, the test
   * runs' leases and which data dir runs the broker there. Every checkout on the machine that uses
   * the port meets here, so two clones neither start two brokers nor stop one the other still uses.
   */
  readonly portDir: string;
}

/** Derived file locations inside the data and cache folders. */
export interface RunnerPaths {
  readonly logDirs: string;
  readonly pidFile: string;
  readonly stateFile: string;
  readonly logFile: string;
  readonly serverProperties: string;
  readonly log4jConfig: string;
  readonly versionMarker: string;
  readonly lockFile: string;
  readonly leasesDir: string;
  /** Names the data dir whose broker tools/kafka runs on this port (see RunnerConfig.portDir). */
  readonly ownerFile: string;
  readonly versionCacheDir: string;
  readonly libDir: string;
  readonly pomFile: string;
  readonly mavenLog: string;
}

export function runnerPaths(config: RunnerConfig): RunnerPaths {
  const versionCacheDir = join(config.cacheDir, config.version);
  return {
    logDirs: join(config.dataDir, 'data'),
    pidFile: join(config.dataDir, 'broker.pid'),
    stateFile: join(config.dataDir, 'broker.json'),
    logFile: join(config.dataDir, 'broker.log'),
    serverProperties: join(config.dataDir, 'server.properties'),
    // Kafka 4 moved to Log4j 2, which reads its own properties syntax.
    log4jConfig: join(config.dataDir, parseKafkaVersion(config.version).major >= 4 ? 'log4j2.properties' : 'log4j.properties'),
    versionMarker: join(config.dataDir, 'kafka-version'),
    lockFile: join(config.portDir, 'runner.lock'),
    leasesDir: join(config.portDir, 'leases'),
    ownerFile: join(config.portDir, 'owner.json'),
    versionCacheDir,
    libDir: join(versionCacheDir, 'lib'),
    pomFile: join(versionCacheDir, 'pom.xml'),
    mavenLog: join(versionCacheDir, 'maven.log'),
  };
}

/** Overrides for {@link resolveRunnerConfig}; each wins over the matching env var. */
export interface RunnerConfigOverrides {
  readonly version?: string;
  readonly port?: number;
  readonly controllerPort?: number;
  readonly dataDir?: string;
  readonly cacheDir?: string;
}

/**
 * Resolves the runner's settings: override > env var > default. Pure: the
 * environment, the repository root and the machine's temp folder are parameters. Throws ConfigError
 * naming the variable on a bad value.
 */
export function resolveRunnerConfig(
  env: Readonly<Record<string, string | undefined>>,
  locations: { readonly repoRoot: string; readonly cwd: string; readonly tmpDir: string },
  overrides: RunnerConfigOverrides = {},
): RunnerConfig {
  const { repoRoot, cwd, tmpDir } = locations;
  const version = overrides.version ?? nonEmpty(env.KAFKA_VERSION) ?? DEFAULT_KAFKA_VERSION;
  parseKafkaVersion(version);
  const port = overrides.port ?? parsePort(env.KAFKA_PORT, 'KAFKA_PORT') ?? DEFAULT_KAFKA_PORT;
  const controllerPort =
    overrides.controllerPort ?? parsePort(env.KAFKA_CONTROLLER_PORT, 'KAFKA_CONTROLLER_PORT') ?? port + 1;
  if (controllerPort === port) {
    throw new ConfigError(`KAFKA_CONTROLLER_PORT must differ from KAFKA_PORT (both ${port})`);
  }
  // A folder the user names is relative to where they stand; the defaults live in the repository.
  const dataDirSetting = overrides.dataDir ?? nonEmpty(env.KAFKA_DATA_DIR);
  const dataDir = dataDirSetting ? resolve(cwd, dataDirSetting) : join(repoRoot, '.kafka');
  const cacheDirSetting = overrides.cacheDir ?? nonEmpty(env.KAFKA_CACHE_DIR);
  const cacheDir = cacheDirSetting ? resolve(cwd, cacheDirSetting) : join(repoRoot, '.cache', 'kafka');
  const heapOpts = (nonEmpty(env.KAFKA_HEAP_OPTS) ?? DEFAULT_HEAP_OPTS).split(/\s+/).filter(Boolean);
  const javaHome = nonEmpty(env.JAVA_HOME);
  return Object.freeze({
    version,
    port,
    controllerPort,
    brokers: `${ADVERTISED_HOST}:${port}`,
    dataDir,
    cacheDir,
    heapOpts: Object.freeze(heapOpts),
    java: javaHome ? join(javaHome, 'bin', 'java') : 'java',
    mvn: nonEmpty(env.MVN) ?? 'mvn',
    portDir: join(tmpDir, `tickerflow-kafka-${port}`),
  });
}

export interface KafkaVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** Parses `3.9.1` (a suffix such as `-rc1` is allowed); ConfigError otherwise. */
export function parseKafkaVersion(version: string): KafkaVersion {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?$/.exec(version);
  if (!match) {
    throw new ConfigError(`KAFKA_VERSION must look like 3.9.1, got "${version}"`);
  }
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

function parsePort(raw: string | undefined, name: string): number | undefined {
  const value = nonEmpty(raw);
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new ConfigError(`${name} must be a port number 1-65535, got "${value}"`);
  }
  return port;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
