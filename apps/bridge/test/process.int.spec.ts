import { afterEach, describe, expect, it } from 'vitest';
import { createTopic, produce, uniqueName } from '@tickerflow/test-support';
import { committedTotal, makeQuotes, sequenceReport, startAppSync, subscribe } from './harness';
import { killAll, spawnBridge } from './spawn';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  killAll();
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

async function produceSlowly(topic: string, quotes: ReturnType<typeof makeQuotes>, chunks: number, pauseMs: number) {
  const size = Math.ceil(quotes.length / chunks);
  for (let i = 0; i < quotes.length; i += size) {
    await produce(topic, quotes.slice(i, i + size));
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}

describe('bridge run as a process', () => {
  it('loses nothing when killed with SIGKILL mid-stream: the restarted bridge resumes from the last commit', async () => {
    const topic = uniqueName('kill');
    const group = uniqueName('group');
    await createTopic(topic, 3);
    const appsync = await startAppSync();
    cleanups.push(appsync.close);
    const collector = await subscribe(appsync);
    cleanups.push(collector.close);
    const args = ['run', '--topic', topic, '--group', group, '--from-beginning', '--url', appsync.graphqlUrl, '--commit-interval', '100ms', '--session-timeout', '6s'];
    const first = spawnBridge(args);
    await first.waitForLog('joined the group');
    const quotes = makeQuotes(3000);
    const producing = produceSlowly(topic, quotes, 15, 100);
    await collector.waitFor(800);
    first.child.kill('SIGKILL');
    expect((await first.exited()).signal).toBe('SIGKILL');
    const second = spawnBridge(args);
    await producing;
    await second.waitForLog('joined the group');
    await expect.poll(() => sequenceReport(collector.quotes, quotes).missing, { timeout: 30_000, interval: 200 }).toBe(0);
    expect(sequenceReport(collector.quotes, quotes).jumps).toBe(0);
    second.child.kill('SIGTERM');
    expect((await second.exited()).code).toBe(0);
  });

  it('stops on SIGTERM with exit 0, commits what was accepted, and a restart resumes there', async () => {
    const topic = uniqueName('term');
    const group = uniqueName('group');
    await createTopic(topic, 2);
    const appsync = await startAppSync({ latencyMs: 5 });
    cleanups.push(appsync.close);
    const collector = await subscribe(appsync);
    cleanups.push(collector.close);
    const args = ['run', '--topic', topic, '--group', group, '--from-beginning', '--url', appsync.graphqlUrl, '--shutdown-timeout', '3s', '--batch-size', '5'];
    const first = spawnBridge(args);
    await first.waitForLog('joined the group');
    const quotes = makeQuotes(2000);
    await produce(topic, quotes);
    await collector.waitFor(300);
    const sent = Date.now();
    first.child.kill('SIGTERM');
    const { code } = await first.exited();
    expect(code).toBe(0);
    expect(Date.now() - sent).toBeLessThan(3_000 + 2_000);
    const delivered = new Set(collector.quotes.map((q) => q.id)).size;
    expect(delivered).toBeLessThan(2000);
    expect(await committedTotal(group, topic)).toBe(delivered);

    const second = spawnBridge(args);
    await collector.waitFor(2000);
    expect(sequenceReport(collector.quotes, quotes)).toEqual({ missing: 0, duplicates: 0, jumps: 0 });
    second.child.kill('SIGTERM');
    expect((await second.exited()).code).toBe(0);
  });
});

describe('bridge check', () => {
  async function check(args: readonly string[]) {
    const spawned = spawnBridge(['check', ...args]);
    const { code } = await spawned.exited();
    return { code, stdout: spawned.stdout(), stderr: spawned.stderr() };
  }

  it('passes every check with good settings', async () => {
    const topic = uniqueName('check');
    await createTopic(topic, 1);
    const appsync = await startAppSync();
    cleanups.push(appsync.close);
    const result = await check(['--topic', topic, '--url', appsync.graphqlUrl]);
    expect(result.stdout.split('\n').filter(Boolean).map((l) => l.slice(0, 1))).toEqual(['✓', '✓', '✓', '✓', '✓', '✓']);
    expect(result.code).toBe(0);
  });

  it('fails the key line on a wrong key, without printing the key', async () => {
    const topic = uniqueName('check');
    await createTopic(topic, 1);
    const appsync = await startAppSync();
    cleanups.push(appsync.close);
    const result = await check(['--topic', topic, '--url', appsync.graphqlUrl, '--api-key', 'da2-wrongwrongwrongwrongwrong00']);
    expect(result.stdout).toMatch(/^✗ appsync key: /m);
    expect(result.stdout).toMatch(/^- mutation: skipped/m);
    expect(result.stderr).toContain('check failed: appsync key');
    expect(result.stdout + result.stderr).not.toContain('da2-wrongwrongwrongwrongwrong00');
    expect(result.code).toBe(1);
  });

  it('fails the topic line on a missing topic', async () => {
    const appsync = await startAppSync();
    cleanups.push(appsync.close);
    const result = await check(['--topic', uniqueName('missing'), '--url', appsync.graphqlUrl]);
    expect(result.stdout).toMatch(/^✓ kafka: /m);
    expect(result.stdout).toMatch(/^✗ topic: topic '.*' does not exist/m);
    expect(result.stderr).toContain('check failed: topic');
    expect(result.code).toBe(1);
  });

  it('fails the kafka line on a closed broker port', async () => {
    const appsync = await startAppSync();
    cleanups.push(appsync.close);
    const result = await check(['--brokers', '127.0.0.1:1', '--connect-timeout', '2s', '--url', appsync.graphqlUrl]);
    expect(result.stdout).toMatch(/^✗ kafka: cannot reach Kafka at 127.0.0.1:1/m);
    expect(result.stdout).toMatch(/^- topic: skipped/m);
    expect(result.stdout).toMatch(/^✓ appsync key/m);
    expect(result.stderr).toContain('check failed: kafka');
    expect(result.code).toBe(1);
  });
});
