import { mkdir, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sleep } from '@tickerflow/core';
import { KafkaRunnerError, RunnerErrorCode } from './errors';
import { isAlive } from './processes';

/**
 * Runs `action` holding an exclusive lock file (created with O_EXCL, holding
 * our pid). Two test runs starting at once therefore start ONE broker: the
 * second waits, then finds it running. A lock left by a dead process is taken over.
 * Kept by hand rather than proper-lockfile: its mtime staleness took 2.6 s (stale 2 s, its floor)
 * to 10.7 s (default) to take over a SIGKILLed holder's lock, this pid check 59 ms.
 */
export async function withLock<T>(lockFile: string, action: () => Promise<T>, timeoutMs = 180_000): Promise<T> {
  await mkdir(dirname(lockFile), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
      if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder)) {
        // Stale (or being written right now: give the writer a moment before taking over).
        await sleep(50);
        const again = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
        if (again === holder || !isAlive(again)) await rm(lockFile, { force: true });
        continue;
      }
      if (Date.now() >= deadline) {
        throw new KafkaRunnerError(RunnerErrorCode.lockTimeout, `another tools/kafka (pid ${holder}) holds ${lockFile}`, {
          hint: 'wait for it to finish, or delete the lock file if that process is not tools/kafka',
        });
      }
      await sleep(200);
    }
  }
  try {
    return await action();
  } finally {
    await rm(lockFile, { force: true });
  }
}

/**
 * Leases: one file per process using a broker it did not necessarily start
 * (a vitest run). The broker is stopped by a test run only when no other live
 * process still holds a lease, so concurrent runs never pull it from under each other.
 */
export async function addLease(leasesDir: string, pid = process.pid): Promise<void> {
  await mkdir(leasesDir, { recursive: true });
  await writeFile(join(leasesDir, String(pid)), new Date().toISOString());
}

export async function removeLease(leasesDir: string, pid = process.pid): Promise<void> {
  await rm(join(leasesDir, String(pid)), { force: true });
}

/** Pids of live lease holders; leases of dead processes are swept. */
export async function liveLeases(leasesDir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(leasesDir);
  } catch {
    return [];
  }
  const live: number[] = [];
  for (const name of names) {
    const pid = Number(name);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) live.push(pid);
    else await rm(join(leasesDir, name), { force: true });
  }
  return live;
}
