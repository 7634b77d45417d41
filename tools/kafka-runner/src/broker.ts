import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from '@tickerflow/core';
import {
  BIND_HOST,
  resolveRunnerConfig,
  runnerPaths,
  type RunnerConfig,
  type RunnerConfigOverrides,
  type RunnerPaths,
} from './config';
import { KafkaRunnerError, RunnerErrorCode } from './errors';
import { checkJava } from './java';
import { logConfigJvmArgs, renderLogConfig } from './log-config';
import { addLease, liveLeases, removeLease, withLock } from './lock';
import { ensureKafkaLibs } from './maven';
import { loggingBackend } from './pom';
import { kafkaAnswers, tcpPortOpen } from './probe';
import { isAlive, isKafkaBroker, readPidFile, waitForExit } from './processes';
import { lastErrorLine, runCommand } from './run-command';
import { renderServerProperties } from './server-properties';

/** The repository root, from this file's location (tools/kafka-runner/src). */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Who started a broker: a person (`tools/kafka start`) or a test run (vitest globalSetup). */
export type StartedBy = 'cli' | 'test';

/** Common options of startBroker, stopBroker and brokerStatus. */
export interface RunnerOptions extends RunnerConfigOverrides {
  /** Environment to read settings from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Progress and notices, one line each (default: stderr, prefixed `kafka: `). */
  readonly log?: (line: string) => void;
}

export interface StartOptions extends RunnerOptions {
  /** How long to wait for the broker to answer a metadata request (default 90 000 ms). */
  readonly readyTimeoutMs?: number;
  /** Recorded in the state file; test runs only ever stop brokers a test run started (default `cli`). */
  readonly startedBy?: StartedBy;
  /** Hold a lease on the broker for this process until {@link releaseBroker} (test runs). */
  readonly lease?: boolean;
}

export interface StartResult {
  /** Bootstrap address, e.g. `localhost:9092`. */
  readonly brokers: string;
  /** True when this call started the JVM; false when a running broker was reused. */
  readonly startedNow: boolean;
  /** Broker pid when tools/kafka manages it; undefined for a broker started some other way. */
  readonly pid: number | undefined;
  /** Kafka version of a managed broker. */
  readonly version: string | undefined;
}

export interface StopResult {
  /** True when a broker process was stopped by this call. */
  readonly stopped: boolean;
  readonly pid: number | undefined;
  /** True when it did not exit on SIGTERM in time and was killed. */
  readonly killed: boolean;
}

export interface BrokerStatus {
  /** A Kafka broker answers a metadata request at `brokers`. */
  readonly running: boolean;
  /** The answering broker is the one tools/kafka started from this data dir. */
  readonly managed: boolean;
  readonly brokers: string;
  readonly pid: number | undefined;
  readonly version: string | undefined;
  readonly startedBy: StartedBy | undefined;
  readonly startedAt: string | undefined;
  readonly dataDir: string;
  readonly logFile: string;
}

/** Contents of `<dataDir>/broker.json`. */
interface BrokerState {
  readonly pid: number;
  readonly version: string;
  readonly brokers: string;
  readonly startedAt: string;
  readonly startedBy: StartedBy;
}

const DEFAULT_READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 30_000;

function resolve(options: RunnerOptions): { config: RunnerConfig; paths: RunnerPaths; log: (line: string) => void } {
  const config = resolveRunnerConfig(
    options.env ?? process.env,
    { repoRoot: REPO_ROOT, cwd: process.cwd(), tmpDir: tmpdir() },
    options,
  );
  return {
    config,
    paths: runnerPaths(config),
    log: options.log ?? ((line) => process.stderr.write(`kafka: ${line}\n`)),
  };
}

/**
 * Starts the local single-node Kafka broker, or reuses the one already
 * answering at the bootstrap address. Fetches the jars with Maven on first use,
 * formats the storage on first run, starts the JVM detached (output in
 * `<dataDir>/broker.log`) and resolves once a kafkajs admin metadata request succeeds.
 */
export async function startBroker(options: StartOptions = {}): Promise<StartResult> {
  const { config, paths, log } = resolve(options);
  const startedBy = options.startedBy ?? 'cli';
  return withLock(paths.lockFile, async () => {
    const result = await startLocked(config, paths, log, startedBy, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
    if (options.lease) await addLease(paths.leasesDir);
    return result;
  });
}

async function startLocked(
  config: RunnerConfig,
  paths: RunnerPaths,
  log: (line: string) => void,
  startedBy: StartedBy,
  readyTimeoutMs: number,
): Promise<StartResult> {
  const state = await readState(paths);
  const managedPid = state && (await isKafkaBroker(state.pid)) ? state.pid : undefined;

  if (await kafkaAnswers(config.brokers, 3000)) {
    if (managedPid !== undefined && state) {
      log(`reusing the Kafka ${state.version} broker already running at ${config.brokers} (pid ${managedPid})`);
      if (state.version !== config.version) {
        log(`note: KAFKA_VERSION is ${config.version}; run "tools/kafka stop" first to switch versions`);
      }
      return { brokers: config.brokers, startedNow: false, pid: managedPid, version: state.version };
    }
    log(`reusing the Kafka broker already running at ${config.brokers} (not started by tools/kafka)`);
    return { brokers: config.brokers, startedNow: false, pid: undefined, version: undefined };
  }

  if (managedPid !== undefined && state) {
    // Our JVM is alive but not answering yet (still starting, or wedged): wait for it rather than start another.
    log(`the broker (pid ${managedPid}) is running but not answering yet; waiting for it`);
    await waitUntilReady(config, paths, managedPid, readyTimeoutMs, log);
    return { brokers: config.brokers, startedNow: false, pid: managedPid, version: state.version };
  }

  await assertPortFree(config.port, 'KAFKA_PORT', 'Kafka client');
  await assertPortFree(config.controllerPort, 'KAFKA_CONTROLLER_PORT', 'KRaft controller');
  await checkJava(config.java, config.version);
  await ensureKafkaLibs(config, paths, log);
  await mkdir(paths.logDirs, { recursive: true });
  const backend = loggingBackend(config.version);
  await writeFile(paths.serverProperties, renderServerProperties({ ...config, logDirs: paths.logDirs }));
  await writeFile(paths.log4jConfig, renderLogConfig(backend.kind));
  await formatStorageOnce(config, paths, log);

  const logHandle = await open(paths.logFile, 'a');
  await logHandle.write(`\n=== tools/kafka: starting Kafka ${config.version} at ${new Date().toISOString()} ===\n`);
  const child = spawn(
    config.java,
    [
      ...config.heapOpts,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-XX:+ExitOnOutOfMemoryError',
      '-Djava.awt.headless=true',
      `-Dkafka.logs.dir=${config.dataDir}`,
      ...logConfigJvmArgs(backend.kind, paths.log4jConfig),
      '-cp',
      join(paths.libDir, '*'),
      'kafka.Kafka',
      paths.serverProperties,
    ],
    { detached: true, stdio: ['ignore', logHandle.fd, logHandle.fd], cwd: config.dataDir },
  );
  await logHandle.close();
  const pid = child.pid;
  if (pid === undefined) {
    throw new KafkaRunnerError(RunnerErrorCode.javaNotFound, `could not start "${config.java}"`);
  }
  child.unref();
  const startedAt = new Date().toISOString();
  await writeFile(paths.pidFile, `${pid}\n`);
  await writeState(paths, { pid, version: config.version, brokers: config.brokers, startedAt, startedBy });
  await writeOwner(paths, config.dataDir);
  log(`started Kafka ${config.version} (pid ${pid}), waiting for it at ${config.brokers}; log: ${paths.logFile}`);
  const began = Date.now();
  try {
    await waitUntilReady(config, paths, pid, readyTimeoutMs, log);
  } catch (error) {
    if (isAlive(pid)) await terminate(pid, log);
    await clearState(paths);
    await clearOwner(paths, config.dataDir);
    throw error;
  }
  log(`Kafka ${config.version} is ready at ${config.brokers} after ${((Date.now() - began) / 1000).toFixed(1)}s`);
  return { brokers: config.brokers, startedNow: true, pid, version: config.version };
}

/**
 * Stops the broker tools/kafka started from this data dir: SIGTERM (Kafka shuts
 * down cleanly), then SIGKILL after 30 s. Idempotent; a broker started some
 * other way (docker compose) is left alone.
 */
export async function stopBroker(options: RunnerOptions = {}): Promise<StopResult> {
  const { config, paths, log } = resolve(options);
  return withLock(paths.lockFile, () => stopLocked(config, paths, log));
}

async function stopLocked(config: RunnerConfig, paths: RunnerPaths, log: (line: string) => void): Promise<StopResult> {
  const pid = (await readState(paths))?.pid ?? (await readPidFile(paths.pidFile));
  if (pid === undefined || !(await isKafkaBroker(pid))) {
    await clearState(paths);
    if (await tcpPortOpen(BIND_HOST, config.port, 500)) {
      log(`something answers at ${config.brokers} but tools/kafka did not start it (no live pid in ${paths.pidFile}); leaving it alone`);
    } else {
      log('the broker is not running');
    }
    return { stopped: false, pid: undefined, killed: false };
  }
  log(`stopping the broker (pid ${pid})`);
  const killed = await terminate(pid, log);
  await clearState(paths);
  await clearOwner(paths, config.dataDir);
  log(killed ? `killed the broker (pid ${pid})` : `stopped the broker (pid ${pid})`);
  return { stopped: true, pid, killed };
}

/** Whether a broker answers at the bootstrap address, and whether tools/kafka manages it. */
export async function brokerStatus(options: RunnerOptions = {}): Promise<BrokerStatus> {
  const { config, paths } = resolve(options);
  const state = await readState(paths);
  const managed = state !== undefined && (await isKafkaBroker(state.pid));
  // Skip loading kafkajs when nothing even listens on the port.
  const running =
    (managed || (await tcpPortOpen(BIND_HOST, config.port, 500))) && (await kafkaAnswers(config.brokers, 3000));
  return {
    running,
    managed: managed && running,
    brokers: config.brokers,
    pid: managed ? state?.pid : undefined,
    version: managed ? state?.version : undefined,
    startedBy: managed ? state?.startedBy : undefined,
    startedAt: managed ? state?.startedAt : undefined,
    dataDir: config.dataDir,
    logFile: paths.logFile,
  };
}

/**
 * Ends this process's lease (see `StartOptions.lease`) and stops the broker
 * when a test run started it, no other live process holds a lease and
 * `keep` is false. Returns true when it stopped the broker.
 *
 * Leases are per port, not per checkout: a test run of another clone that
 * reused this broker keeps it alive, and whichever run is the last out stops
 * it, even when the broker runs from the other clone's data dir.
 */
export async function releaseBroker(options: RunnerOptions & { readonly keep?: boolean } = {}): Promise<boolean> {
  const resolved = resolve(options);
  const { log } = resolved;
  return withLock(resolved.paths.lockFile, async () => {
    await removeLease(resolved.paths.leasesDir);
    if (options.keep) return false;
    const { config, paths } = await brokerOwner(resolved.config, resolved.paths);
    const state = await readState(paths);
    if (state?.startedBy !== 'test' || state.brokers !== config.brokers) return false;
    const others = await liveLeases(paths.leasesDir);
    if (others.length > 0) {
      log(`leaving the broker running: still used by pid ${others.join(', ')}`);
      return false;
    }
    return (await stopLocked(config, paths, log)).stopped;
  });
}

/** The config and paths of the data dir tools/kafka runs this port's broker from (this one when unrecorded). */
async function brokerOwner(config: RunnerConfig, paths: RunnerPaths): Promise<{ config: RunnerConfig; paths: RunnerPaths }> {
  const dataDir = await readOwner(paths);
  if (dataDir === undefined || dataDir === config.dataDir) return { config, paths };
  const ownerConfig = Object.freeze({ ...config, dataDir });
  return { config: ownerConfig, paths: runnerPaths(ownerConfig) };
}

/** The machine-wide folder of the port (lock, leases, owner; see RunnerConfig.portDir). */
export function brokerPortDir(options: RunnerOptions = {}): string {
  return resolve(options).config.portDir;
}

/** The file tools/kafka prints for `logs`. */
export function brokerLogFile(options: RunnerOptions = {}): string {
  return resolve(options).paths.logFile;
}

async function assertPortFree(port: number, variable: string, role: string): Promise<void> {
  if (await tcpPortOpen(BIND_HOST, port, 1000)) {
    throw new KafkaRunnerError(
      RunnerErrorCode.portInUse,
      `port ${port} (${role}) is already in use by something that is not a Kafka broker started by tools/kafka`,
      { hint: `stop it (see: ss -ltnp 'sport = :${port}') or set ${variable} to a free port` },
    );
  }
}

/**
 * Formats the KRaft storage on first run and records which Kafka version did it;
 * refuses a data dir formatted by another version (metadata formats differ).
 */
async function formatStorageOnce(config: RunnerConfig, paths: RunnerPaths, log: (line: string) => void): Promise<void> {
  const formatted = await exists(join(paths.logDirs, 'meta.properties'));
  if (formatted) {
    const formattedBy = (await readFile(paths.versionMarker, 'utf8').catch(() => '')).trim();
    if (formattedBy && formattedBy !== config.version) {
      throw new KafkaRunnerError(
        RunnerErrorCode.versionMismatch,
        `${config.dataDir} was formatted by Kafka ${formattedBy} but KAFKA_VERSION is ${config.version}`,
        { hint: `use KAFKA_VERSION=${formattedBy}, another KAFKA_DATA_DIR, or delete ${config.dataDir} (its topics are lost)` },
      );
    }
    return;
  }
  const clusterId = randomBytes(16).toString('base64url');
  log(`formatting the broker storage in ${paths.logDirs} (cluster id ${clusterId})`);
  const result = await runCommand(
    config.java,
    ['-Xmx256m', '-cp', join(paths.libDir, '*'), ...logConfigJvmArgs(loggingBackend(config.version).kind, paths.log4jConfig), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', paths.serverProperties],
    { cwd: config.dataDir },
  );
  if (result.code !== 0) {
    throw new KafkaRunnerError(
      RunnerErrorCode.formatFailed,
      `formatting the storage failed: ${lastErrorLine(result.output) ?? `exit code ${result.code}`}`,
      { hint: `delete ${paths.logDirs} and retry` },
    );
  }
  await writeFile(paths.versionMarker, `${config.version}\n`);
}

async function waitUntilReady(
  config: RunnerConfig,
  paths: RunnerPaths,
  pid: number,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<void> {
  const began = Date.now();
  let nextProgress = began + 5000;
  for (;;) {
    if (!isAlive(pid)) {
      const tail = await readTail(paths.logFile, 64 * 1024);
      throw new KafkaRunnerError(
        RunnerErrorCode.brokerExited,
        `the broker exited during startup: ${lastErrorLine(tail) ?? 'no output'}`,
        { hint: `see ${paths.logFile} (tools/kafka logs)` },
      );
    }
    if (await kafkaAnswers(config.brokers, 2000)) return;
    const now = Date.now();
    if (now - began >= timeoutMs) {
      throw new KafkaRunnerError(
        RunnerErrorCode.startTimeout,
        `the broker did not answer at ${config.brokers} within ${Math.round(timeoutMs / 1000)}s`,
        { hint: `see ${paths.logFile} (tools/kafka logs)` },
      );
    }
    if (now >= nextProgress) {
      log(`  still waiting for the broker... ${Math.round((now - began) / 1000)}s`);
      nextProgress = now + 5000;
    }
    await sleep(500);
  }
}

/** SIGTERM, wait, SIGKILL. Returns true when it had to kill. */
async function terminate(pid: number, log: (line: string) => void): Promise<boolean> {
  signal(pid, 'SIGTERM');
  if (await waitForExit(pid, STOP_GRACE_MS)) return false;
  log(`the broker (pid ${pid}) did not stop within ${STOP_GRACE_MS / 1000}s; killing it`);
  signal(pid, 'SIGKILL');
  if (!(await waitForExit(pid, 5000))) {
    throw new KafkaRunnerError(RunnerErrorCode.stopFailed, `the broker (pid ${pid}) survived SIGKILL`);
  }
  return true;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function readState(paths: RunnerPaths): Promise<BrokerState | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(paths.stateFile, 'utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const state = value as Partial<BrokerState>;
    if (typeof state.pid !== 'number' || typeof state.version !== 'string') return undefined;
    return {
      pid: state.pid,
      version: state.version,
      brokers: String(state.brokers ?? ''),
      startedAt: String(state.startedAt ?? ''),
      startedBy: state.startedBy === 'test' ? 'test' : 'cli',
    };
  } catch {
    return undefined;
  }
}

async function writeState(paths: RunnerPaths, state: BrokerState): Promise<void> {
  await writeFile(paths.stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

async function readOwner(paths: RunnerPaths): Promise<string | undefined> {
  try {
    const { dataDir } = JSON.parse(await readFile(paths.ownerFile, 'utf8')) as { dataDir?: unknown };
    return typeof dataDir === 'string' && dataDir !== '' ? dataDir : undefined;
  } catch {
    return undefined;
  }
}

async function writeOwner(paths: RunnerPaths, dataDir: string): Promise<void> {
  await writeFile(paths.ownerFile, `${JSON.stringify({ dataDir })}\n`);
}

/** Forgets the port's owner, but only when it is `dataDir` (another clone may have taken the port since). */
async function clearOwner(paths: RunnerPaths, dataDir: string): Promise<void> {
  if ((await readOwner(paths)) === dataDir) await rm(paths.ownerFile, { force: true });
}

async function clearState(paths: RunnerPaths): Promise<void> {
  await rm(paths.stateFile, { force: true });
  await rm(paths.pidFile, { force: true });
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function readTail(file: string, bytes: number): Promise<string> {
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, bytes);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      return buffer.toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}
