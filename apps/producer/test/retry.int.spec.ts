import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '@tickerflow/core';
import { connectWithin, createKafka } from '@tickerflow/kafka';
import { createPriceModel, decodeQuote } from '@tickerflow/quote';
import { createSendBatch, partitionOfTicker, produceQuotes, producerConfig, type SendBatch } from '@tickerflow/producer-runtime';
import { readTopic, testKafkaSettings, uniqueName } from '@tickerflow/test-support';

describe('ticker-gen retrying failed batches against a real broker', () => {
  const topic = uniqueName('tg-retry');
  const kafka = createKafka(testKafkaSettings('producer-int-test'), pino({ level: 'silent' }));
  const admin = kafka.admin();
  const producer = kafka.producer(producerConfig());

  beforeAll(async () => {
    await connectWithin(kafka, admin);
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await connectWithin(kafka, producer);
  });

  afterAll(async () => {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('leaves no gap in any partition: failed requests go again in order, a lost answer only duplicates', async () => {
    const realSend = createSendBatch(producer, { topic, acks: -1, compression: 'none' });
    let requests = 0;
    let duplicated = 0;
    const failures: string[] = [];
    const failedOnce = new WeakSet<object>();
    // Every 5th request fails before reaching Kafka (a batch at most once: its retry goes through);
    // the first request stored from the 8th on "loses" its answer.
    const send: SendBatch = async (messages) => {
      requests += 1;
      if (requests % 5 === 0 && !failedOnce.has(messages)) {
        failedOnce.add(messages);
        throw new TransportError('injected: request never sent');
      }
      await realSend(messages);
      if (requests >= 8 && duplicated === 0) {
        duplicated = messages.length;
        throw new TransportError('injected: answer lost');
      }
    };
    const summary = await produceQuotes({
      send,
      model: createPriceModel({ seed: 'retry-int', tickers: ['BTC', 'ETH', 'AAPL', 'MSFT', 'SOL', 'NVDA'] }),
      count: 3_000,
      rate: 0,
      batchSize: 250,
      maxInFlight: 2,
      partitionOf: partitionOfTicker(topic, 3),
      retryBackoffMs: 10,
      onBatchError: (error) => failures.push(error.message),
    });
    expect(failures.filter((message) => !message.startsWith('injected'))).toEqual([]);
    expect(summary).toMatchObject({ sent: 3_000, errors: 0 });
    expect(summary.retries).toBeGreaterThanOrEqual(3);
    expect(duplicated).toBeGreaterThan(0);

    const records = await readTopic(topic, 3_000 + duplicated);
    const seqs = new Map<string, number[]>();
    for (const record of [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset)) {
      const quote = decodeQuote(record.value);
      seqs.set(quote.ticker, [...(seqs.get(quote.ticker) ?? []), quote.seq]);
    }
    let total = 0;
    for (const list of seqs.values()) {
      const firstArrivals = list.filter((seq, index) => list.indexOf(seq) === index);
      expect(firstArrivals).toEqual(Array.from({ length: firstArrivals.length }, (_, index) => index + 1));
      total += firstArrivals.length;
    }
    expect(total).toBe(3_000);
  });
});
