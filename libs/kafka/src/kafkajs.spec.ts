import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { groupMessagesPerPartition, groupingPatched, kafkajs } from './kafkajs';

const require = createRequire(import.meta.url);
const originalPath = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');

/** kafkajs's own implementation, loaded afresh even when the cached module is already our replacement. */
function loadOriginal(): typeof groupMessagesPerPartition {
  const cached = require.cache[originalPath];
  delete require.cache[originalPath];
  try {
    return require(originalPath) as typeof groupMessagesPerPartition;
  } finally {
    if (cached) require.cache[originalPath] = cached;
  }
}

describe('groupMessagesPerPartition', () => {
  const partitionMetadata = [0, 1, 2].map((partitionId) => ({ partitionId, leader: 1 }));
  const messages = Array.from({ length: 500 }, (_, i) => ({ key: Buffer.from(['BTC', 'ETH', 'SOL', 'AAPL', 'X'][i % 5] as string), value: String(i) }));

  it('groups exactly like kafkajs 2.2.4 does', () => {
    const original = loadOriginal();
    expect(original).not.toBe(groupMessagesPerPartition);
    const { Partitioners } = kafkajs();
    const partitioner = Partitioners.DefaultPartitioner() as never;
    const args = { topic: 't', partitionMetadata, messages, partitioner };
    const ours = groupMessagesPerPartition(args);
    expect(ours).toEqual(original(args));
    expect(Object.values(ours).flat()).toHaveLength(500);
    expect(groupMessagesPerPartition({ ...args, partitionMetadata: [] })).toEqual({});
  });

  it('is what kafkajs uses once loaded through kafkajs()', () => {
    kafkajs();
    expect(groupingPatched).toBe(true);
    const cached = require(originalPath) as unknown;
    expect(cached).toBe(groupMessagesPerPartition);
  });
});
