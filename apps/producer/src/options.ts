import { randomBytes } from 'node:crypto';
import { UsageError, parseNonNegativeNumber, parsePositiveInteger } from '@tickerflow/core';
import { kafkaSettingsFromOptions, parseTopic, type KafkaOptionValues } from '@tickerflow/kafka';
import { COMPRESSIONS, type Acks, type Compression, type TickerGenConfig } from '@tickerflow/producer-runtime/config';
import { DEFAULT_TICKERS, TICKER_PATTERN } from '@tickerflow/quote';

export const ACKS = { all: -1, '-1': -1, '1': 1, '0': 0 } as const;

/** Commander's parsed values for ticker-gen (the Kafka ones come from addKafkaOptions). */
export interface TickerGenOptionValues extends KafkaOptionValues {
  readonly topic: string;
  readonly count?: number;
  readonly rate: number;
  readonly tickers: readonly string[];
  readonly seed?: string;
  readonly partitions: number;
  readonly createTopic: boolean;
  readonly acks: Acks;
  readonly compression: Compression;
  readonly batchSize: number;
  readonly maxInFlight: number;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** `BTC,ETH,AAPL`: every entry a valid ticker (upper case), no empty entries, no repeats. */
export function parseTickers(name: string, raw: string): string[] {
  const entries = raw.split(',').map((entry) => entry.trim());
  if (raw.trim() === '' || entries.some((entry) => entry === '')) {
    throw new UsageError(`${name} must be a comma-separated list of tickers with no empty entries, got '${raw}'`);
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!TICKER_PATTERN.test(entry)) {
      throw new UsageError(`${name} entry '${entry}' is not a ticker (1-16 characters of A-Z 0-9 . _ -, upper case)`);
    }
    if (seen.has(entry)) throw new UsageError(`${name} lists '${entry}' twice`);
    seen.add(entry);
  }
  return entries;
}

/** all | -1 | 1 | 0 */
export function parseAcks(name: string, raw: string): Acks {
  const value = ACKS[raw.trim().toLowerCase() as keyof typeof ACKS];
  if (value === undefined) throw new UsageError(`${name} must be all, -1, 1 or 0, got '${raw}'`);
  return value;
}

export function parseCompression(name: string, raw: string): Compression {
  const found = COMPRESSIONS.find((c) => c === raw.trim().toLowerCase());
  if (!found) throw new UsageError(`${name} must be one of ${COMPRESSIONS.join(', ')}, got '${raw}'`);
  return found;
}

/** A whole number from 1 to `max`. */
export function parseBoundedInteger(name: string, raw: string, max: number): number {
  const value = parsePositiveInteger(name, raw);
  if (value > max) throw new UsageError(`${name} must be at most ${max}, got '${raw}'`);
  return value;
}

export function parseRate(name: string, raw: string): number {
  return parseNonNegativeNumber(name, raw);
}

export function parseSeed(name: string, raw: string): string {
  if (raw.trim() === '') throw new UsageError(`${name} must not be empty`);
  return raw.trim();
}

export { parseTopic };

/** Cross-checks the parsed options and freezes them into the config. */
export function configFromOptions(options: TickerGenOptionValues): TickerGenConfig {
  const kafka = kafkaSettingsFromOptions(options, 'ticker-gen');
  const seed = options.seed ?? randomBytes(4).toString('hex');
  return Object.freeze({
    kafka,
    topic: options.topic,
    count: options.count,
    rate: options.rate,
    tickers: Object.freeze([...options.tickers]),
    seed,
    seedGenerated: options.seed === undefined,
    partitions: options.partitions,
    createTopic: options.createTopic,
    acks: options.acks,
    compression: options.compression,
    batchSize: options.batchSize,
    maxInFlight: options.maxInFlight,
    json: options.json === true,
    verbose: options.verbose === true,
  });
}

export { DEFAULT_TICKERS };
