import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addLease, liveLeases, removeLease, withLock } from './lock';

/** A pid that is certainly not running (above the kernel's pid_max default). */
const DEAD_PID = 4_194_304 + 1000;

describe('withLock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kafka-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs critical sections one at a time and removes the lock afterwards', async () => {
    const lockFile = join(dir, 'runner.lock');
    const events: string[] = [];
    const section = (name: string) =>
      withLock(lockFile, async () => {
        events.push(`${name}:in`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        events.push(`${name}:out`);
        return name;
      });
    await expect(Promise.all([section('a'), section('b')])).resolves.toEqual(['a', 'b']);
    // Either may win the race for the lock; what matters is that the sections never overlap.
    const [first, second] = events[0] === 'a:in' ? ['a', 'b'] : ['b', 'a'];
    expect(events).toEqual([`${first}:in`, `${first}:out`, `${second}:in`, `${second}:out`]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over a lock left behind by a dead process', async () => {
    const lockFile = join(dir, 'runner.lock');
    await writeFile(lockFile, String(DEAD_PID));
    await expect(withLock(lockFile, async () => 'ran', 2000)).resolves.toBe('ran');
  });

  it('gives up with a clear error while a live process holds it', async () => {
    const lockFile = join(dir, 'runner.lock');
    await writeFile(lockFile, String(process.ppid));
    await expect(withLock(lockFile, async () => 'ran', 300)).rejects.toMatchObject({
      code: 'RUNNER_LOCK_TIMEOUT',
      message: `another tools/kafka (pid ${process.ppid}) holds ${lockFile}`,
    });
  });
});

describe('leases', () => {
  it('counts live holders and sweeps the leases of dead processes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kafka-leases-'));
    try {
      const leases = join(dir, 'leases');
      await addLease(leases);
      await mkdir(leases, { recursive: true });
      await writeFile(join(leases, String(DEAD_PID)), 'x');
      expect(await liveLeases(leases)).toEqual([process.pid]);
      expect(await readdir(leases)).toEqual([String(process.pid)]);
      await removeLease(leases);
      expect(await liveLeases(leases)).toEqual([]);
      expect(await liveLeases(join(dir, 'missing'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
