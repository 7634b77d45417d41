import { afterEach, describe, expect, it } from 'vitest';
import { createBridgeMetrics, runBridge, runChecks } from '@tickerflow/bridge-runtime';
import { DATA_NULL, freePort, startFakeGraphQL } from './fake-graphql';
import { createTopic, produce, uniqueName } from '@tickerflow/test-support';
import { bridgeConfig, committedTotal, makeQuotes, quietLogger } from './harness';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

async function metricValue(metrics: ReturnType<typeof createBridgeMetrics>, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((value) => Object.entries(labels).every(([key, v]) => value.labels[key] === v));
  return match?.value ?? 0;
}

describe('bridge run against an endpoint that answers 200 {"data":null}', () => {
  it('commits nothing, says so (metric, /readyz), and commits everything once the endpoint returns data', async () => {
    const topic = uniqueName('datanull');
    await createTopic(topic, 3);
    const quotes = makeQuotes(300);
    await produce(topic, quotes);
    const fake = await startFakeGraphQL(DATA_NULL);
    cleanups.push(fake.close);

    const metrics = createBridgeMetrics();
    const config = bridgeConfig({ topic, url: fake.url, metricsPort: await freePort(), commitIntervalMs: 100 });
    const stop = new AbortController();
    const done = runBridge(config, quietLogger(), { signal: stop.signal, metrics });
    done.catch(() => {});
    cleanups.push(async () => {
      stop.abort();
      await done.catch(() => {});
    });
    const readyz = async () => (await fetch(`http://127.0.0.1:${config.metricsPort}/readyz`)).status;

    // Every partition's first request answered without data, again and again; many commit intervals pass.
    await expect.poll(() => fake.mutations, { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(12);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await committedTotal(config.group, topic)).toBe(0);
    expect(await metricValue(metrics, 'bridge_quotes_published_total')).toBe(0);
    expect(await metricValue(metrics, 'bridge_unexpected_answers_total', { kind: 'no-data' })).toBeGreaterThanOrEqual(12);
    expect(await readyz()).toBe(503);

    fake.setMode('accept');
    await expect.poll(() => committedTotal(config.group, topic), { timeout: 30_000, interval: 200 }).toBe(300);
    expect(fake.ids.size).toBe(300);
    expect(await metricValue(metrics, 'bridge_quotes_published_total')).toBe(300);
    expect(await readyz()).toBe(200);
    stop.abort();
    await done;
  });
});

describe('bridge check against endpoints that never return data', () => {
  it.each([
    ['{"data":null} to every request', { probes: DATA_NULL }, ['✓', '✓', '✓', '✗', '-', '-']],
    ['{"data":null} to mutations, but the probes answered', {}, ['✓', '✓', '✓', '✓', '✓', '✗']],
    [
      'an HTML page with status 200',
      { probes: { status: 200, contentType: 'text/html', body: '<html>hello</html>' } },
      ['✓', '✓', '✓', '✗', '-', '-'],
    ],
  ])('%s: fails', async (_name, options, marks) => {
    const topic = uniqueName('check');
    await createTopic(topic, 1);
    const fake = await startFakeGraphQL(DATA_NULL, options);
    cleanups.push(fake.close);
    const results = await runChecks(bridgeConfig({ topic, url: fake.url }), quietLogger(), () => {});
    expect(results.map((r) => (r.ok === true ? '✓' : r.ok === false ? '✗' : '-'))).toEqual(marks);
    const failed = results.find((r) => r.ok === false);
    expect(failed?.detail).toMatch(/no data|HTTP 200 with content-type text\/html/);
  });
});
