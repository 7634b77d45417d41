import { afterEach, describe, expect, it } from 'vitest';
import { runBridge } from '@tickerflow/bridge-runtime';
import { createTopic, produce, uniqueName } from '@tickerflow/test-support';
import { bridgeConfig, makeQuotes, quietLogger, readTopic, sequenceReport, startAppSync, subscribe, committedTotal, type Collector } from './harness';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

async function startBridge(config: ReturnType<typeof bridgeConfig>) {
  const stop = new AbortController();
  let onReady!: (info: { metricsPort: number | undefined }) => void;
  const ready = new Promise<{ metricsPort: number | undefined }>((resolve) => (onReady = resolve));
  const done = runBridge(config, quietLogger(), { signal: stop.signal, onReady });
  done.catch(() => {});
  cleanups.push(async () => {
    stop.abort();
    await done.catch(() => {});
  });
  const info = await Promise.race([ready, done.then(() => ({ metricsPort: undefined }))]);
  return { stop: () => (stop.abort(), done), done, metricsPort: info.metricsPort };
}

describe('bridge run (in-process) with the real broker and appsync-local', () => {
  it('delivers every quote exactly once, in order per ticker, and commits', async () => {
    const topic = uniqueName('relay');
    await createTopic(topic, 3);
    const appsync = await startAppSync();
    cleanups.push(appsync.close);
    const collector: Collector = await subscribe(appsync);
    cleanups.push(collector.close);
    const config = bridgeConfig({ topic, url: appsync.graphqlUrl, metricsPort: 0 });
    const bridge = await startBridge(config);
    const base = `http://127.0.0.1:${bridge.metricsPort}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const quotes = makeQuotes(3000);
    await produce(topic, quotes);
    await collector.waitFor(3000);
    await new Promise((r) => setTimeout(r, 300));
    expect(collector.quotes).toHaveLength(3000);
    expect(sequenceReport(collector.quotes, quotes)).toEqual({ missing: 0, duplicates: 0, jumps: 0 });
    expect(collector.quotes[0]).toEqual(quotes.find((q) => q.id === collector.quotes[0]?.id));
    await expect.poll(() => committedTotal(config.group, topic), { timeout: 5_000 }).toBe(3000);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('bridge_quotes_published_total 3000');
    expect(metrics).toMatch(/bridge_quotes_consumed_total\{partition="0"\} \d+/);
    expect(metrics).toMatch(/bridge_end_to_end_latency_seconds_count 3000/);
    expect(metrics).toMatch(/bridge_consumer_lag\{partition="\d"\} 0/);
    await bridge.stop();
    expect((await fetch(`${base}/readyz`).catch(() => ({ status: 'closed' }))).status).toBe('closed');
  });

  it.each([
    ['500s', { failRate: 0.3, failStatus: 500, seed: 7 }, 1500],
    ['429 + Retry-After: 1', { failRate: 0.3, failStatus: 429, retryAfterSeconds: 1, seed: 7 }, 600],
  ])('retries %s: everything arrives, in order, nothing dead-lettered', async (_name, faults, count) => {
    const topic = uniqueName('faults');
    await createTopic(topic, 3);
    const appsync = await startAppSync(faults);
    cleanups.push(appsync.close);
    const collector = await subscribe(appsync);
    cleanups.push(collector.close);
    await startBridge(bridgeConfig({ topic, url: appsync.graphqlUrl }));
    const quotes = makeQuotes(count);
    await produce(topic, quotes);
    await collector.waitFor(count, 45_000);
    expect(sequenceReport(collector.quotes, quotes)).toEqual({ missing: 0, duplicates: 0, jumps: 0 });
    expect(collector.quotes).toHaveLength(count);
    await expect(readTopic(`${topic}.dlq`, 1, 1_500)).rejects.toThrow('timed out');
  });

  it('started before its topic exists, waits for it and relays it from the first quote', async () => {
    const topic = uniqueName('later');
    const appsync = await startAppSync();
    cleanups.push(appsync.close);
    const collector = await subscribe(appsync);
    cleanups.push(collector.close);
    // The default for a new group: start at the end of the topic. The topic is born later.
    const bridge = startBridge(bridgeConfig({ topic, url: appsync.graphqlUrl, fromBeginning: false }));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await createTopic(topic, 3);
    const quotes = makeQuotes(500);
    await produce(topic, quotes); // before the bridge's next look: these would be skipped at the end of the topic
    await bridge;
    await collector.waitFor(500);
    expect(sequenceReport(collector.quotes, quotes)).toEqual({ missing: 0, duplicates: 0, jumps: 0 });
  });

  it('dead-letters poison records with their reason and relays every good quote', async () => {
    const topic = uniqueName('poison');
    await createTopic(topic, 2);
    const appsync = await startAppSync();
    cleanups.push(appsync.close);
    const collector = await subscribe(appsync);
    cleanups.push(collector.close);
    const bridge = await startBridge(bridgeConfig({ topic, url: appsync.graphqlUrl }));
    const quotes = makeQuotes(600);
    const { ticker: _t, ...noTicker } = quotes[0]!;
    const poison = [
      { key: 'X', value: 'not json {' },
      { key: 'AAA', value: JSON.stringify(noTicker) },
      { key: 'BBB', value: JSON.stringify({ ...quotes[1]!, price: -5 }) },
    ];
    await produce(topic, [...quotes.slice(0, 300), ...poison, ...quotes.slice(300)]);
    await collector.waitFor(600);
    const letters = await readTopic(`${topic}.dlq`, 3);
    expect(letters.map((l) => l.headers['x-error-code']).sort()).toEqual(['invalid-quote', 'invalid-quote', 'not-json']);
    const negative = letters.find((l) => l.key === 'BBB')!;
    expect(negative.headers['x-error-message']).toContain('price must be a number > 0, got -5');
    expect(negative.headers['x-source-topic']).toBe(topic);
    expect(negative.headers['x-source-offset']).toMatch(/^\d+$/);
    expect(letters.find((l) => l.key === 'X')!.value!.toString()).toBe('not json {');
    expect(sequenceReport(collector.quotes, quotes)).toEqual({ missing: 0, duplicates: 0, jumps: 0 });
    // still running: more quotes flow
    const more = makeQuotes(10, ['ZZZ']);
    await produce(topic, more);
    await collector.waitFor(610);
    await bridge.stop();
  });

  it('with --conflate, catches up from a backlog sending only the latest quotes: gaps, but never backwards', async () => {
    const topic = uniqueName('conflate');
    await createTopic(topic, 1);
    const appsync = await startAppSync();
    cleanups.push(appsync.close);
    const collector = await subscribe(appsync);
    cleanups.push(collector.close);
    const quotes = makeQuotes(3000, ['AAA', 'BBB', 'CCC']);
    await produce(topic, quotes);
    await startBridge(bridgeConfig({ topic, url: appsync.graphqlUrl, conflate: true, conflateLag: 100 }));
    const last = new Map<string, number>();
    for (const q of quotes) last.set(q.ticker, q.seq);
    await expect.poll(() => [...last].every(([t, seq]) => collector.quotes.some((q) => q.ticker === t && q.seq === seq)), { timeout: 20_000 }).toBe(true);
    expect(collector.quotes.length).toBeLessThan(3000);
    const report = sequenceReport(collector.quotes, quotes);
    expect(report.duplicates).toBe(0);
    for (const ticker of last.keys()) {
      const seqs = collector.quotes.filter((q) => q.ticker === ticker).map((q) => q.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });
});
