import { afterEach, describe, expect, it } from 'vitest';
import type { FaultOptions } from '@tickerflow/appsync-server';
import { encodeQuote, type Quote } from '@tickerflow/quote';
import { createTopic, uniqueName } from '@tickerflow/test-support';
import {
  committedTotal,
  firstArrivalsInOrder,
  kafkaClient,
  makeQuotes,
  sequenceReport,
  startAppSync,
  subscribe,
} from './harness';
import { killAll, spawnBridge, type Spawned } from './spawn';

/**
 * Three `bridge run` processes in one group while quotes stream in: members join, one is
 * killed with SIGKILL, members leave with SIGTERM. Nothing may be lost, first arrivals stay
 * in per-ticker order, and duplicates come only from a kill -9: none from a graceful change.
 */
const RATE = 3_000;
const SECONDS = 15;
const PARTITIONS = 6;
const TICKERS = Array.from({ length: 24 }, (_, i) => `T${String.fromCharCode(65 + i)}X`);
const COMMIT_INTERVAL_MS = 500;
const BATCH_SIZE = 25;
const MAX_IN_FLIGHT = 16;
// What a killed member may have relayed without committing: its requests in flight, plus
// whatever the group accepted during one commit interval (with slack for a loaded machine).
const KILL_WINDOW_SLACK_MS = 3_000;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  killAll();
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

/** Produces `quotes` (key = ticker) at `rate` per second, catching up when late. */
function produceAtRate(topic: string, quotes: readonly Quote[], rate: number) {
  let sent = 0;
  const done = (async () => {
    const producer = kafkaClient().producer();
    await producer.connect();
    const started = Date.now();
    while (sent < quotes.length) {
      const target = Math.min(quotes.length, Math.floor(((Date.now() - started) / 1_000) * rate));
      if (target <= sent) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      const slice = quotes.slice(sent, target);
      await producer.send({ topic, acks: -1, messages: slice.map((q) => ({ key: q.ticker, value: encodeQuote(q) })) });
      sent = target;
    }
    await producer.disconnect();
  })();
  return { done, sent: () => sent };
}

type Step = 'join' | 'kill' | 'term';

async function runScenario(steps: readonly Step[], faults?: FaultOptions) {
  const topic = uniqueName('rebalance');
  const group = uniqueName('group');
  await createTopic(topic, PARTITIONS);
  const appsync = await startAppSync(faults);
  cleanups.push(appsync.close);
  const collector = await subscribe(appsync);
  cleanups.push(collector.close);
  const args = [
    'run', '--topic', topic, '--group', group, '--from-beginning', '--url', appsync.graphqlUrl,
    '--commit-interval', `${COMMIT_INTERVAL_MS}ms`, '--session-timeout', '6s', '--shutdown-timeout', '5s',
    '--batch-size', String(BATCH_SIZE), '--max-in-flight', String(MAX_IN_FLIGHT),
  ];
  const members: Spawned[] = [spawnBridge(args)];
  const everyone: Spawned[] = [...members];
  await members[0]!.waitForLog('joined the group');

  const quotes = makeQuotes(RATE * SECONDS, TICKERS);
  const production = produceAtRate(topic, quotes, RATE);
  const kills: number[] = [];
  for (const [index, step] of steps.entries()) {
    const due = ((index + 1) / (steps.length + 1)) * quotes.length;
    await expect.poll(() => production.sent(), { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(due);
    if (step === 'join') {
      const member = spawnBridge(args);
      members.push(member);
      everyone.push(member);
      await member.waitForLog('joined the group');
    } else {
      const member = members.pop()!;
      member.child.kill(step === 'kill' ? 'SIGKILL' : 'SIGTERM');
      if (step === 'kill') kills.push(Date.now());
      const exit = await member.exited();
      if (step === 'term') expect(exit.code, member.stderr()).toBe(0);
    }
  }
  await production.done;

  const distinct = () => new Set(collector.quotes.map((q) => q.id)).size;
  await expect.poll(distinct, { timeout: 120_000, interval: 250 }).toBe(quotes.length);
  // Once everything is committed no member relays anything again: the duplicate count is final.
  await expect.poll(() => committedTotal(group, topic), { timeout: 60_000, interval: 250 }).toBe(quotes.length);
  for (const member of members) {
    member.child.kill('SIGTERM');
    expect((await member.exited()).code, member.stderr()).toBe(0);
  }

  if (process.env['BRIDGE_TEST_REBALANCE_LOG']) {
    everyone.forEach((member, index) =>
      console.log(`member ${index}:\n${member.stderr().split('\n').filter((line) => /rebalanc|released|joined|stopp|commit/.test(line)).join('\n')}`),
    );
  }
  const report = sequenceReport(collector.quotes, quotes);
  const window = COMMIT_INTERVAL_MS + KILL_WINDOW_SLACK_MS;
  const bound = kills.reduce(
    (sum, at) => sum + MAX_IN_FLIGHT * BATCH_SIZE + collector.arrivedAt.filter((t) => t >= at - window && t <= at + KILL_WINDOW_SLACK_MS).length,
    0,
  );
  console.log(`rebalance [${steps.join(', ')}]${faults ? ` failRate ${faults.failRate}` : ''}: ${quotes.length} quotes, ${report.duplicates} duplicates (bound ${bound})`);
  return { report, inOrder: firstArrivalsInOrder(collector.quotes), bound };
}

describe('bridge run: three members in one group under load', () => {
  it('join, join, SIGTERM, SIGTERM with a healthy AppSync: nothing lost, no duplicates', { timeout: 300_000 }, async () => {
    const { report, inOrder } = await runScenario(['join', 'join', 'term', 'term']);
    expect(report.missing).toBe(0);
    expect(inOrder).toBe(true);
    // Every member finishes its requests in flight and commits before it rejoins (the
    // rejoin hold) or leaves, so the next owner starts exactly after what AppSync accepted.
    expect(report.duplicates).toBe(0);
  });

  it('join, kill -9, join, SIGTERM: nothing lost, duplicates within what the killed member had not committed', { timeout: 300_000 }, async () => {
    const { report, inOrder, bound } = await runScenario(['join', 'kill', 'join', 'term']);
    expect(report.missing).toBe(0);
    expect(inOrder).toBe(true);
    expect(report.duplicates).toBeLessThanOrEqual(bound);
  });

  it('the same under 30 % HTTP 500s', { timeout: 300_000 }, async () => {
    const { report, inOrder, bound } = await runScenario(['join', 'kill', 'join', 'term'], { failRate: 0.3 });
    expect(report.missing).toBe(0);
    expect(inOrder).toBe(true);
    expect(report.duplicates).toBeLessThanOrEqual(bound);
  });
});
