import { readFile } from 'node:fs/promises';
import { sleep } from '@tickerflow/core';

/** True while a process with that pid exists (and we may signal it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when `pid` is a live JVM running `kafka.Kafka`, so a recycled pid is never
 * mistaken for the broker (and never signalled). Without /proc (macOS) the
 * command line cannot be read and a live pid is trusted.
 */
export async function isKafkaBroker(pid: number): Promise<boolean> {
  if (!isAlive(pid)) return false;
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.split('\0').includes('kafka.Kafka');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' || !(await procMounted());
  }
}

async function procMounted(): Promise<boolean> {
  try {
    await readFile('/proc/self/cmdline');
    return true;
  } catch {
    return false;
  }
}

/** Polls until the process is gone; false when `timeoutMs` passed first. */
export async function waitForExit(pid: number, timeoutMs: number, pollMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(pollMs);
  }
  return true;
}

/** Reads a pid file; undefined when missing or garbage. */
export async function readPidFile(file: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(file, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
