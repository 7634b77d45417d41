import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { groupMessagesPerPartition, groupingPatched, kafkajs, requestQueuePatched, scheduleCheckPendingRequests } from './kafkajs';

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

describe('the request queue of a kafkajs connection', () => {
  const queuePath = require.resolve('kafkajs/src/network/requestQueue/index.js');
  type Queue = {
    pending: unknown[];
    throttledUntil: number;
    checkPendingRequests(): void;
    scheduleCheckPendingRequests(): void;
  };
  type QueueClass = new (options: Record<string, unknown>) => Queue;
  const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };
  const newQueue = (RequestQueue: QueueClass): Queue =>
    new RequestQueue({ maxInFlightRequests: null, requestTimeout: 30_000, enforceRequestTimeout: true, clientId: 'test', broker: 'localhost:9092', logger: silentLogger });

  afterEach(() => vi.useRealTimers());

  it('in kafkajs 2.2.4 as published, keeps a 1 ms timer running while idle', () => {
    const cached = require.cache[queuePath];
    delete require.cache[queuePath];
    try {
      const Original = require(queuePath) as QueueClass;
      expect(Original.prototype.scheduleCheckPendingRequests).not.toBe(scheduleCheckPendingRequests);
      vi.useFakeTimers();
      const queue = newQueue(Original);
      queue.checkPendingRequests();
      expect(vi.getTimerCount()).toBe(1);
      vi.advanceTimersByTime(1);
      expect(vi.getTimerCount()).toBe(1); // it fired and scheduled the next one
    } finally {
      if (cached) require.cache[queuePath] = cached;
    }
  });

  it('once loaded through kafkajs(), sets no timer while nothing is pending', () => {
    kafkajs();
    expect(requestQueuePatched).toBe(true);
    const RequestQueue = require(queuePath) as QueueClass;
    vi.useFakeTimers();
    const queue = newQueue(RequestQueue);
    queue.checkPendingRequests();
    queue.scheduleCheckPendingRequests();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('still checks a throttled pending request when the throttle ends', () => {
    kafkajs();
    const RequestQueue = require(queuePath) as QueueClass;
    vi.useFakeTimers();
    const queue = newQueue(RequestQueue);
    const check = vi.spyOn(queue, 'checkPendingRequests').mockImplementation(() => {});
    queue.pending.push({});
    queue.throttledUntil = Date.now() + 50;
    queue.scheduleCheckPendingRequests();
    queue.scheduleCheckPendingRequests(); // one timer, not two
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(49);
    expect(check).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(check).toHaveBeenCalledTimes(1);
  });
});
