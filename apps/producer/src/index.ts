export { buildProgram, type ProgramIo } from './program';
export { produceQuotes, type ProduceOptions, type ProduceStats, type ProduceSummary, type QuoteMessage, type SendBatch } from './produce';
export { configFromOptions, type TickerGenConfig } from './options';
export { createSendBatch, partitionOfTicker, producerConfig, type SenderOptions } from './sender';
export { DEFAULT_BATCH_SIZE, DEFAULT_MAX_IN_FLIGHT } from './options';
