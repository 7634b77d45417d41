import { describe, expect, it } from 'vitest';
import { createBridgeMetrics } from './metrics';
import { createLiveStats, createTerminalStatus, formatStatus, percentile } from './status';

describe('live stats', () => {
  it('counts what the relay reports while still feeding the Prometheus metrics', async () => {
    const inner = createBridgeMetrics();
    const { stats, metrics } = createLiveStats(inner);
    metrics.published(3);
    metrics.retried('HTTP_500');
    metrics.deadLettered('not-json', 2);
    metrics.lag(0, 10);
    metrics.lag(1, 5);
    for (let ms = 1; ms <= 100; ms += 1) metrics.endToEndLatency(ms / 1000);
    stats.state = 'relaying';
    expect(stats.snapshot()).toEqual({ relayed: 3, lag: 15, p99Ms: 99, retries: 1, deadLetters: 2, state: 'relaying' });
    stats.retainPartitions([1]);
    expect(stats.snapshot().lag).toBe(5);
    expect(await inner.registry.getSingleMetricAsString('bridge_quotes_published_total')).toContain('bridge_quotes_published_total 3');
  });

  it('has no p99 before the first quote', () => {
    expect(percentile(new Float64Array(0), 0.99)).toBeUndefined();
    expect(createLiveStats(createBridgeMetrics()).stats.snapshot().p99Ms).toBeUndefined();
  });
});

describe('formatStatus', () => {
  it('shows every counter on one line', () => {
    expect(formatStatus({ relayed: 12_345, lag: 120, p99Ms: 45.4, retries: 3, deadLetters: 0, state: 'relaying' }, 3_012.4)).toBe(
      'relayed 12,345 | 3,012/s | lag 120 | p99 45 ms | retries 3 | dead letters 0 | relaying',
    );
    expect(formatStatus({ relayed: 0, lag: 0, p99Ms: undefined, retries: 0, deadLetters: 0, state: 'joining' }, 0)).toBe(
      'relayed 0 | 0/s | lag 0 | p99 n/a | retries 0 | dead letters 0 | joining',
    );
  });
});

describe('createTerminalStatus', () => {
  it('writes log lines above the status line and removes the line at stop', async () => {
    const writes: string[] = [];
    const terminal = { write: (text: string | Buffer) => writes.push(String(text)), hasColors: () => false } as unknown as NodeJS.WritableStream;
    const status = createTerminalStatus(terminal, 10);
    const { stats } = createLiveStats(createBridgeMetrics());
    const reporter = status.reporter(stats);
    reporter.start();
    await new Promise((resolve) => setTimeout(resolve, 40));
    await new Promise<void>((resolve) => status.logStream.write('LOG\n', () => resolve()));
    reporter.stop();
    const ERASE = '\x1b[2K\x1b[1A\x1b[2K\x1b[G';
    expect(writes[0]).toMatch(/^relayed 0 \| .* \| starting\n$/);
    const log = writes.indexOf('LOG\n');
    expect(writes.slice(log - 1, log + 2)).toEqual([ERASE, 'LOG\n', writes[0]]);
    expect(writes.at(-1)).toBe(ERASE);
    expect(status.logStream.hasColors()).toBe(false);
  });
});
