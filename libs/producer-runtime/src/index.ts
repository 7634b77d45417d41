export {
  COMPRESSIONS,
  DEFAULT_BATCH_SIZE,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_PARTITIONS,
  DEFAULT_RATE,
  MAX_BATCH_SIZE,
  type Acks,
  type Compression,
  type TickerGenConfig,
} from './config';
export { runTickerGen, type RunContext } from './run-ticker-gen';
export { produceQuotes, type ProduceOptions, type ProduceStats, type ProduceSummary, type QuoteMessage, type SendBatch } from './produce';
export { createSendBatch, partitionOfTicker, producerConfig, type SenderOptions } from './sender';
export { QuotesNotSentError, describeUnsent, unsentRanges, type UnsentRange } from './unsent';
export { createTokenBucket, type TokenBucket, type TokenBucketOptions } from './token-bucket';
export { createLogProgress, createRateMeter, createTerminalStatus, formatStatus, type ProgressReporter } from './status';
