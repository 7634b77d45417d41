import { createRequire } from 'node:module';
import type * as KafkaJS from 'kafkajs';
import { patchJoinAndSync } from './rejoin-hold';

let loaded: typeof KafkaJS | undefined;

/**
 * kafkajs, loaded on first use. It is CommonJS, so a synchronous require works and
 * createKafka stays synchronous, while `--help` and option errors never pay for
 * loading it (about 90 ms here). On first load it also swaps in a linear
 * groupMessagesPerPartition, stops the idle request-queue timer (see below) and makes
 * a rejoin wait for the application's rejoin hold (rejoin-hold.ts).
 */
export function kafkajs(): typeof KafkaJS {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    patchGroupMessagesPerPartition(require);
    patchIdleRequestQueueTimer(require);
    patchJoinAndSync(require);
    loaded = require('kafkajs') as typeof KafkaJS;
  }
  return loaded;
}

interface PartitionerArgs {
  topic: string;
  partitionMetadata: unknown[];
  message: unknown;
}
interface GroupArgs {
  topic: string;
  partitionMetadata: unknown[];
  messages: unknown[];
  partitioner: (args: PartitionerArgs) => number;
}

/**
 * Same result as kafkajs 2.2.4's `src/producer/groupMessagesPerPartition.js`
 * (messages by partition, in order), in O(n): the original copies the partition's
 * array for every message (`[...current, message]`), O(n^2) per sendBatch, which
 * costs 5-10 µs per quote at 5,000-message batches - a third of ticker-gen's CPU.
 * The fix proposed upstream in tulios/kafkajs#1576 (not merged).
 */
export function groupMessagesPerPartition({ topic, partitionMetadata, messages, partitioner }: GroupArgs): Record<number, unknown[]> {
  if (partitionMetadata.length === 0) return {};
  const result: Record<number, unknown[]> = {};
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    (result[partition] ??= []).push(message);
  }
  return result;
}

/** Whether the linear grouping is in place (false if kafkajs was loaded before us, or is another version). */
export let groupingPatched = false;

function patchGroupMessagesPerPartition(require: NodeJS.Require): void {
  try {
    // Only for the version whose module we replace one for one; kafkajs is pinned in package.json.
    if ((require('kafkajs/package.json') as { version: string }).version !== '2.2.4') return;
    const sendMessages = require.resolve('kafkajs/src/producer/sendMessages.js');
    if (require.cache[sendMessages]) return; // kafkajs already captured the original
    const path = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');
    require(path);
    const cached = require.cache[path];
    if (!cached) return;
    cached.exports = groupMessagesPerPartition;
    groupingPatched = true;
  } catch {
    // Layout changed: keep kafkajs as it is, only slower.
  }
}

interface RequestQueueLike {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** Same wait as kafkajs 2.2.4's CHECK_PENDING_REQUESTS_INTERVAL. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/**
 * kafkajs 2.2.4's RequestQueue.scheduleCheckPendingRequests, without its idle loop. The
 * original also schedules a check when nothing is pending, with a negative delay (a 1 ms
 * timer) that schedules the next one when it fires: every connection wakes its process a
 * thousand times a second, forever (tulios/kafkajs#1556, #1604, #1704). A check only sends
 * pending requests, and push() schedules one whenever a request has to wait, so with
 * nothing pending none is needed.
 */
export function scheduleCheckPendingRequests(this: RequestQueueLike): void {
  if (this.pending.length === 0 || this.throttleCheckTimeoutId) return;
  const throttledFor = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, throttledFor > 0 ? throttledFor : CHECK_PENDING_REQUESTS_INTERVAL_MS);
}

/** Whether the idle timer is gone (false if kafkajs is another version). */
export let requestQueuePatched = false;

function patchIdleRequestQueueTimer(require: NodeJS.Require): void {
  try {
    if ((require('kafkajs/package.json') as { version: string }).version !== '2.2.4') return;
    const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueueLike };
    RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
    requestQueuePatched = true;
  } catch {
    // Layout changed: keep kafkajs as it is.
  }
}
