import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm run demo (headless)', () => {
  it('relays quotes to the subscriber and leaves no process behind', async () => {
    const topic = `demo-test-${Math.random().toString(36).slice(2, 8)}`;
    const demo = spawn(
      process.execPath,
      ['--import', 'tsx', 'tools/demo/src/main.ts', '--topic', topic, '--rate', '100', '--duration', '8', '--json'],
      { cwd: repoRoot, env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    demo.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    demo.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => demo.once('exit', resolve));

    expect(code, stderr).toBe(0);
    const quotes = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { ticker?: string; price?: number });
    expect(quotes.length, stderr).toBeGreaterThan(10);
    expect(quotes.every((quote) => typeof quote.ticker === 'string' && typeof quote.price === 'number')).toBe(true);

    const pids = [...stderr.matchAll(/\(pid (\d+)\)/g)].map((match) => Number(match[1]));
    expect(pids).toHaveLength(4);
    expect(pids.filter(isAlive)).toEqual([]);
  }, 180_000);
});
