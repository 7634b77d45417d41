import type { Producer } from 'kafkajs';
import { kafkajs } from '@tickerflow/kafka';
import type { Acks, Compression } from './config';
import type { SendBatch } from './produce';

export interface SenderOptions {
  readonly topic: string;
  readonly acks: Acks;
  readonly compression: Compression;
}

/**
 * The producer settings ticker-gen uses: kafkajs's DefaultPartitioner explicitly
 * (Java-compatible murmur2 on the key, so a ticker lands in the same partition as
 * with any Java client; naming it also silences kafkajs's v2 partitioner warning),
 * and no topic auto-creation (ensureTopic decides that).
 */
export function producerConfig() {
  return { createPartitioner: kafkajs().Partitioners.DefaultPartitioner, allowAutoTopicCreation: false };
}

/** One kafkajs request per batch of quotes. */
export function createSendBatch(producer: Producer, options: SenderOptions): SendBatch {
  const { CompressionTypes } = kafkajs();
  const compression = options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
  return async (messages) => {
    await producer.sendBatch({ topicMessages: [{ topic: options.topic, messages }], acks: options.acks, compression });
  };
}

/**
 * The partition kafkajs's DefaultPartitioner gives a ticker on a topic with
 * `partitions` partitions (murmur2 of the key, as the Java client does). The
 * quotes carry it explicitly so lanes and partitions can never disagree.
 */
export function partitionOfTicker(topic: string, partitions: number): (ticker: string) => number {
  const partitioner = kafkajs().Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));
  return (ticker) => partitioner({ topic, partitionMetadata, message: { key: Buffer.from(ticker), value: null } });
}
