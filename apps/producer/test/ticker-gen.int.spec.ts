import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runProgram } from '@tickerflow/cli';
import { decodeQuote, type Quote } from '@tickerflow/quote';
import { buildProgram } from '../src/program';
import { readTopic, testBrokers, topicExists, uniqueName, type ConsumedRecord } from '@tickerflow/test-support';
import { runTickerGen } from './run-ticker-gen';

/** Runs ticker-gen in-process; returns the exit code, stdout, and the one-line errors. */
async function runInProcess(args: string[], signal?: AbortSignal) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let logs = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (logs += chunk.toString('utf8')));
  const errors: string[] = [];
  const code = await runProgram(buildProgram({ stdout, stderr, signal: signal ?? new AbortController().signal }), args, {
    writeError: (line) => errors.push(line),
  });
  return { code, stdout: out, logs, errors };
}

/**
 * Everything the contract promises about what ticker-gen writes: every value a
 * valid quote, key = ticker, Kafka timestamp = ts, each ticker in one partition,
 * and per ticker seq 1, 2, 3... in partition (offset) order.
 */
function checkStream(records: readonly ConsumedRecord[]): Map<string, Quote[]> {
  const byTicker = new Map<string, Quote[]>();
  const partitionOf = new Map<string, number>();
  const sorted = [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  const ids = new Set<string>();
  for (const record of sorted) {
    const quote = decodeQuote(record.value);
    expect(record.key).toBe(quote.ticker);
    expect(record.timestamp).toBe(quote.ts);
    expect(partitionOf.get(quote.ticker) ?? record.partition).toBe(record.partition);
    partitionOf.set(quote.ticker, record.partition);
    const list = byTicker.get(quote.ticker) ?? [];
    expect(quote.seq).toBe(list.length + 1);
    list.push(quote);
    byTicker.set(quote.ticker, list);
    expect(ids.has(quote.id)).toBe(false);
    ids.add(quote.id);
  }
  return byTicker;
}

function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0] as string;
}

describe('ticker-gen against a real broker', () => {
  it('writes exactly N valid quotes in-process: key = ticker, one partition per ticker, seq contiguous', async () => {
    const topic = uniqueName('tg-inproc');
    const result = await runInProcess([
      '--topic', topic, '--count', '3000', '--rate', '0', '--brokers', testBrokers(), '--seed', 'int-1', '--batch-size', '700', '--json',
    ]);
    expect(result.errors).toEqual([]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ type: 'summary', topic, sent: 3000, errors: 0, interrupted: false });
    // Not a TTY: pino JSON lines only.
    for (const line of result.logs.trim().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();

    const records = await readTopic(topic, 3000);
    const byTicker = checkStream(records);
    expect([...byTicker.keys()].sort()).toEqual(['AAPL', 'BNB', 'BTC', 'ETH', 'MSFT', 'NVDA', 'SOL', 'TSLA']);
    expect(new Set(records.map((r) => r.partition)).size).toBeGreaterThan(1);
  });

  it('gives the same stream for the same seed (ids, prices, partitions)', async () => {
    const streams = [];
    for (const suffix of ['a', 'b']) {
      const topic = uniqueName(`tg-seed-${suffix}`);
      const result = await runInProcess(['--topic', topic, '--count', '400', '--rate', '0', '--brokers', testBrokers(), '--seed', 'same', '--tickers', 'BTC,ETH,ZZZ']);
      expect(result.code).toBe(0);
      const records = await readTopic(topic, 400);
      streams.push(
        records
          .sort((x, y) => x.partition - y.partition || x.offset - y.offset)
          .map((r) => {
            const { ts: _ts, matchtime: _matchtime, ...rest } = decodeQuote(r.value);
            return { partition: r.partition, ...rest };
          }),
      );
    }
    expect(streams[0]).toEqual(streams[1]);
  });

  it('paces with --rate and writes N quotes as a spawned process', async () => {
    const topic = uniqueName('tg-spawn');
    const result = await runTickerGen(['--topic', topic, '--count', '600', '--rate', '1000', '--json'], { env: { KAFKA_BROKERS: testBrokers() } });
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ type: 'summary', sent: 600, errors: 0 });
    // No --seed: the plan line says how to get this stream again.
    expect(result.stderr).toMatch(/"msg":"publishing quotes \(pass --seed [0-9a-f]+ to repeat this stream\)"/);
    const summary = JSON.parse(result.stdout.trim()) as { elapsedMs: number };
    expect(summary.elapsedMs).toBeGreaterThan(500);
    checkStream(await readTopic(topic, 600));
  });

  it('flushes and exits 0 on SIGINT, every sent quote in the topic', async () => {
    const topic = uniqueName('tg-sigint');
    const result = await runTickerGen(['--topic', topic, '--rate', '2000', '--json'], {
      env: { KAFKA_BROKERS: testBrokers() },
      onStart: (child, stderr) => {
        const poll = setInterval(() => {
          // The first progress line means quotes are flowing.
          if (stderr().includes('"msg":"progress"')) {
            clearInterval(poll);
            child.kill('SIGINT');
          }
        }, 50);
        child.on('close', () => clearInterval(poll));
      },
    });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.trim()) as { sent: number; interrupted: boolean; errors: number };
    expect(summary).toMatchObject({ interrupted: true, errors: 0 });
    expect(summary.sent).toBeGreaterThan(0);
    checkStream(await readTopic(topic, summary.sent));
  });

  it('refuses a missing topic with --no-create-topic, saying so in one line (exit 1)', async () => {
    const topic = uniqueName('tg-missing');
    const result = await runTickerGen(['--topic', topic, '--count', '5', '--no-create-topic'], { env: { KAFKA_BROKERS: testBrokers() } });
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toBe(
      `ticker-gen: topic '${topic}' does not exist on ${testBrokers()} (hint: create it first, or drop --no-create-topic to let ticker-gen create it)`,
    );
    expect(await topicExists(topic)).toBe(false);
  });

  it('gives up on an unreachable broker within --connect-timeout: one line, exit 1', async () => {
    const result = await runTickerGen(['--brokers', '127.0.0.1:1', '--connect-timeout', '1500ms', '--count', '5']);
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toMatch(
      /^ticker-gen: cannot reach Kafka at 127\.0\.0\.1:1( within 1\.5s)?: .*ECONNREFUSED.* \(hint: check --brokers, --ssl and the SASL options; for the local broker run tools\/kafka start\)$/,
    );
    expect(result.elapsedMs).toBeLessThan(6_000);
  });

  it.each([
    [['--rate', '-1'], "ticker-gen: --rate must be a number >= 0, got '-1'"],
    [['--tickers', 'BTC,,ETH'], "ticker-gen: --tickers must be a comma-separated list of tickers with no empty entries, got 'BTC,,ETH'"],
    [['--sasl-mechanism', 'gssapi'], "ticker-gen: --sasl-mechanism must be one of plain, scram-sha-256, scram-sha-512, got 'gssapi'"],
    [
      ['--sasl-mechanism', 'scram-sha-512'],
      'ticker-gen: --sasl-mechanism scram-sha-512 needs --sasl-username (or KAFKA_SASL_USERNAME) and --sasl-password (or KAFKA_SASL_PASSWORD)',
    ],
  ])('rejects %j with exit 2 and one line, before connecting', async (args, line) => {
    const result = await runTickerGen([...args, '--brokers', '127.0.0.1:1']);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toBe(line);
    expect(result.stdout).toBe('');
  });
});
