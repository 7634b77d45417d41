import { describe, expect, it } from 'vitest';
import { ChildGroup, waitForLine } from './children';

const node = process.execPath;

describe('ChildGroup', () => {
  it('waits for a ready line on stdout', async () => {
    const group = new ChildGroup();
    const child = group.start({ name: 'talker', command: node, args: ['-e', 'console.log("noise"); console.log("READY 42"); setInterval(() => {}, 1000)'], stdio: 'pipe' });
    const port = await waitForLine(child, (line) => (line.startsWith('READY ') ? Number(line.slice(6)) : undefined), 10_000);
    expect(port).toBe(42);
    await group.stopAll(2_000);
    expect(group.anyRunning()).toBe(false);
  });

  it('fails with the last stderr line when the child dies before it is ready', async () => {
    const group = new ChildGroup();
    const child = group.start({ name: 'quitter', command: node, args: ['-e', 'console.error("port 4000 is taken"); process.exit(3)'], stdio: 'pipe' });
    await expect(waitForLine(child, () => undefined, 10_000)).rejects.toThrow('quitter exited (code 3) before it was ready: port 4000 is taken');
  });

  it('kills a child that ignores SIGTERM once the grace period ends', async () => {
    const group = new ChildGroup();
    const child = group.start({
      name: 'stubborn',
      command: node,
      args: ['-e', 'process.on("SIGTERM", () => {}); console.log("up"); setInterval(() => {}, 1000)'],
      stdio: 'pipe',
    });
    await waitForLine(child, (line) => (line === 'up' ? true : undefined), 10_000);
    await group.stopAll(300);
    expect(child.process.signalCode).toBe('SIGKILL');
    expect(group.anyRunning()).toBe(false);
  });
});
