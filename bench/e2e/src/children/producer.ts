/**
 * The quote source of the Kafka paths: ticker-gen's core (produceQuotes + the seeded price
 * model, kafkajs producer, one lane per partition) in its own process, paced at `rate`.
 * Counts the quotes made per ticker so the parent knows what every subscriber is owed.
 */
import { pino } from 'pino';
import { createKafka, parseBrokers } from '@tickerflow/kafka';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_IN_FLIGHT, createSendBatch, partitionOfTicker, producerConfig, produceQuotes } from '@tickerflow/producer-runtime';
import { createPriceModel, type PriceModel } from '@tickerflow/quote';
import { childChannel, type ChildMessage } from '@tickerflow/bench-support';

interface Setup {
  readonly brokers: string;
  readonly topic: string;
  readonly partitions: number;
  readonly rate: number;
  readonly seed: string;
  readonly tickers: readonly string[];
}

let setup: Setup | undefined;
let producer: { connect(): Promise<void>; disconnect(): Promise<void> } | undefined;
let sendBatch: ReturnType<typeof createSendBatch> | undefined;
const stop = new AbortController();

/** Wraps the model to count quotes made per ticker. */
function countingModel(model: PriceModel, produced: Record<string, number>): PriceModel {
  return {
    seed: model.seed,
    runTag: model.runTag,
    tickers: model.tickers,
    next() {
      const quote = model.next();
      produced[quote.ticker] = (produced[quote.ticker] ?? 0) + 1;
      return quote;
    },
  };
}

const reply = childChannel(async (message: ChildMessage) => {
  if (message.cmd === 'setup') {
    setup = message['setup'] as Setup;
    const kafka = createKafka({ brokers: parseBrokers('brokers', setup.brokers), clientId: 'bench-e2e-producer', ssl: false, connectTimeoutMs: 10_000 }, pino({ level: 'silent' }));
    const p = kafka.producer(producerConfig());
    producer = p;
    await p.connect();
    sendBatch = createSendBatch(p, { topic: setup.topic, acks: -1, compression: 'none' });
    reply({ cmd: 'ready' });
  } else if (message.cmd === 'start') {
    if (!setup || !sendBatch) throw new Error('start before setup');
    const produced: Record<string, number> = {};
    const summary = await produceQuotes({
      send: sendBatch,
      model: countingModel(createPriceModel({ seed: setup.seed, tickers: setup.tickers }), produced),
      rate: setup.rate,
      batchSize: DEFAULT_BATCH_SIZE,
      maxInFlight: DEFAULT_MAX_IN_FLIGHT,
      partitionOf: partitionOfTicker(setup.topic, setup.partitions),
      signal: stop.signal,
    });
    await producer?.disconnect().catch(() => {});
    reply({ cmd: 'done', produced, sent: summary.sent, errors: summary.errors, elapsedMs: summary.elapsedMs });
  } else if (message.cmd === 'stop') {
    stop.abort();
  }
});
