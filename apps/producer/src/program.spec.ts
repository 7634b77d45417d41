import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runProgram } from '@tickerflow/cli';
import { UsageError } from '@tickerflow/core';
import { configFromOptions, parseAcks, parseTickers, type TickerGenOptionValues } from './options';
import { buildProgram } from './program';

const KAFKA_ENV = ['KAFKA_BROKERS', 'KAFKA_SSL', 'KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_CONNECT_TIMEOUT'];

beforeEach(() => {
  for (const name of KAFKA_ENV) vi.stubEnv(name, undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** Parses argv without running the action; returns the config it would run with. */
function parseConfig(args: string[]) {
  const program = buildProgram().exitOverride();
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  let captured: TickerGenOptionValues | undefined;
  program.action((options: TickerGenOptionValues) => {
    captured = options;
  });
  program.parse(args, { from: 'user' });
  return configFromOptions(captured as TickerGenOptionValues);
}

async function failure(args: string[]) {
  const lines: string[] = [];
  const program = buildProgram();
  program.configureOutput({ writeErr: (text) => lines.push(text.trimEnd()), writeOut: () => {} });
  const code = await runProgram(program, args, { writeError: (line) => lines.push(line) });
  return { code, lines };
}

describe('ticker-gen options', () => {
  it('has sensible defaults', () => {
    const config = parseConfig([]);
    expect(config).toMatchObject({
      kafka: { brokers: ['localhost:9092'], clientId: 'ticker-gen', ssl: false, connectTimeoutMs: 10_000 },
      topic: 'multipartition',
      count: undefined,
      rate: 100,
      tickers: ['BTC', 'ETH', 'SOL', 'BNB', 'AAPL', 'MSFT', 'NVDA', 'TSLA'],
      seedGenerated: true,
      partitions: 3,
      createTopic: true,
      acks: -1,
      compression: 'none',
      batchSize: 5_000,
      maxInFlight: 2,
      json: false,
      verbose: false,
    });
    expect(config.seed).toMatch(/^[0-9a-f]{8}$/);
  });

  it('reads every option', () => {
    const config = parseConfig([
      '--topic', 'quotes.v1', '--count', '1000', '--rate', '0', '--tickers', 'BTC,X.Y', '--seed', 's1', '--partitions', '6',
      '--no-create-topic', '--acks', '1', '--compression', 'gzip', '--batch-size', '500', '--max-in-flight', '4',
      '--brokers', 'a:1,b:2', '--connect-timeout', '2s', '--json', '--verbose',
    ]);
    expect(config).toMatchObject({
      kafka: { brokers: ['a:1', 'b:2'], connectTimeoutMs: 2_000 },
      topic: 'quotes.v1',
      count: 1_000,
      rate: 0,
      tickers: ['BTC', 'X.Y'],
      seed: 's1',
      seedGenerated: false,
      partitions: 6,
      createTopic: false,
      acks: 1,
      compression: 'gzip',
      batchSize: 500,
      maxInFlight: 4,
      json: true,
      verbose: true,
    });
  });

  it.each([
    [['--rate', '-1'], "ticker-gen: --rate must be a number >= 0, got '-1'"],
    [['--rate', 'fast'], "ticker-gen: --rate must be a number >= 0, got 'fast'"],
    [['--count', '0'], "ticker-gen: --count must be a whole number >= 1, got '0'"],
    [['--tickers', 'BTC,,ETH'], "ticker-gen: --tickers must be a comma-separated list of tickers with no empty entries, got 'BTC,,ETH'"],
    [['--tickers', 'BTC;ETH'], "ticker-gen: --tickers entry 'BTC;ETH' is not a ticker (1-16 characters of A-Z 0-9 . _ -, upper case)"],
    [['--tickers', 'btc'], "ticker-gen: --tickers entry 'btc' is not a ticker (1-16 characters of A-Z 0-9 . _ -, upper case)"],
    [['--tickers', 'BTC,BTC'], "ticker-gen: --tickers lists 'BTC' twice"],
    [['--sasl-mechanism', 'kerberos'], "ticker-gen: --sasl-mechanism must be one of plain, scram-sha-256, scram-sha-512, got 'kerberos'"],
    [
      ['--sasl-mechanism', 'scram-sha-512'],
      'ticker-gen: --sasl-mechanism scram-sha-512 needs --sasl-username (or KAFKA_SASL_USERNAME) and --sasl-password (or KAFKA_SASL_PASSWORD)',
    ],
    [['--sasl-mechanism', 'plain', '--sasl-password', 'x'], 'ticker-gen: --sasl-mechanism plain needs --sasl-username (or KAFKA_SASL_USERNAME)'],
    [['--acks', '2'], "ticker-gen: --acks must be all, -1, 1 or 0, got '2'"],
    [['--partitions', '0'], "ticker-gen: --partitions must be a whole number >= 1, got '0'"],
    [['--batch-size', '50000'], "ticker-gen: --batch-size must be at most 5000, got '50000'"],
    [['--topic', 'a/b'], "ticker-gen: --topic must be 1-249 characters of a-z A-Z 0-9 . _ -, got 'a/b'"],
    [['--brokers', 'localhost'], "ticker-gen: --brokers entry 'localhost' is not host:port (port 1-65535)"],
    [['--connect-timeout', '0'], "ticker-gen: --connect-timeout must be a duration > 0 such as 10, 2.5s or 500ms (at most 1 hour), got '0'"],
    [['--compression', 'zstd'], "ticker-gen: --compression must be one of none, gzip, got 'zstd'"],
    [['--seed', ' '], 'ticker-gen: --seed must not be empty'],
  ])('rejects %j with exit 2 and one exact line', async (args, line) => {
    expect(await failure(args)).toEqual({ code: 2, lines: [line] });
  });

  it('answers an unknown option with exit 2', async () => {
    const { code, lines } = await failure(['--nope']);
    expect(code).toBe(2);
    expect(lines[0]).toBe("error: unknown option '--nope'");
  });
});

describe('parsers', () => {
  it.each([
    ['all', -1],
    ['-1', -1],
    ['1', 1],
    ['0', 0],
    ['ALL', -1],
  ])('parseAcks(%j) is %i', (raw, acks) => {
    expect(parseAcks('--acks', raw)).toBe(acks);
  });

  it('parseTickers trims around entries', () => {
    expect(parseTickers('--tickers', ' BTC , ETH ')).toEqual(['BTC', 'ETH']);
    expect(() => parseTickers('--tickers', '')).toThrow(UsageError);
  });
});
