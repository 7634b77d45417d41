import type { KafkaSettings } from '@tickerflow/kafka';

export const DEFAULT_RATE = 100;
export const DEFAULT_PARTITIONS = 3;
export const DEFAULT_BATCH_SIZE = 5_000;
export const MAX_BATCH_SIZE = 5_000;
export const DEFAULT_MAX_IN_FLIGHT = 2;
export type Acks = -1 | 0 | 1;
export const COMPRESSIONS = ['none', 'gzip'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

/** Everything ticker-gen needs, validated before anything connects. */
export interface TickerGenConfig {
  readonly kafka: KafkaSettings;
  readonly topic: string;
  /** Stop after this many quotes; undefined = until Ctrl-C. */
  readonly count: number | undefined;
  /** Quotes per second in total; 0 = as fast as possible. */
  readonly rate: number;
  readonly tickers: readonly string[];
  readonly seed: string;
  /** Whether the seed was chosen by us (then we print it so the run can be repeated). */
  readonly seedGenerated: boolean;
  readonly partitions: number;
  readonly createTopic: boolean;
  readonly acks: Acks;
  readonly compression: Compression;
  readonly batchSize: number;
  readonly maxInFlight: number;
  readonly json: boolean;
  readonly verbose: boolean;
}
