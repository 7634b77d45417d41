import type { Relay } from './relay';
import type { SourceRecord } from './types';

/**
 * The event an AWS Lambda Kafka event source mapping (Amazon MSK or self-managed Apache
 * Kafka) invokes a function with: records grouped by "<topic>-<partition>", key and
 * value base64-encoded, header values as byte arrays.
 */
export interface KafkaEvent {
  readonly eventSource: string;
  readonly eventSourceArn?: string;
  readonly bootstrapServers?: string;
  readonly records: Readonly<Record<string, readonly KafkaEventRecord[]>>;
}

export interface KafkaEventRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp?: number;
  readonly timestampType?: string;
  readonly key?: string | null;
  readonly value?: string | null;
  readonly headers?: readonly Readonly<Record<string, readonly number[]>>[];
}

/**
 * The partial batch response for Kafka event sources (`ReportBatchItemFailures`): per
 * failed topic-partition, the offset to resume from. Lambda retries from there; the
 * records before it count as processed.
 */
export interface KafkaBatchResponse {
  readonly batchItemFailures: readonly { readonly itemIdentifier: { readonly partition: string; readonly offset: number } }[];
}

/** The event's records per "<topic>-<partition>" key, decoded to SourceRecords in offset order. */
export function recordsFromKafkaEvent(event: KafkaEvent): Map<string, SourceRecord[]> {
  const out = new Map<string, SourceRecord[]>();
  for (const [key, records] of Object.entries(event.records ?? {})) {
    const decoded = records
      .map((record) => ({
        topic: record.topic,
        partition: record.partition,
        offset: String(record.offset),
        key: record.key == null ? null : Buffer.from(record.key, 'base64'),
        value: record.value == null ? null : Buffer.from(record.value, 'base64'),
      }))
      .sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)));
    out.set(key, decoded);
  }
  return out;
}

export interface KafkaEventOptions {
  /** Aborted when the function is about to time out: no new requests, report what is left. */
  readonly stop?: AbortSignal;
  /** Aborted to cancel requests in flight. */
  readonly abort?: AbortSignal;
  /** Called when a partition could not be finished (fatal error). */
  readonly onPartitionError?: (partitionKey: string, error: unknown) => void;
}

/**
 * Relays a Kafka event: partitions in parallel, each strictly in order. A partition that
 * could not be finished (stopped at the deadline, or a fatal error) is reported in
 * `batchItemFailures` at its first unhandled offset, so Lambda retries from exactly there.
 */
export async function relayKafkaEvent(
  event: KafkaEvent,
  relay: Relay,
  options: KafkaEventOptions = {},
): Promise<KafkaBatchResponse> {
  const never = new AbortController().signal;
  const failures: { itemIdentifier: { partition: string; offset: number } }[] = [];
  await Promise.all(
    [...recordsFromKafkaEvent(event)].map(async ([key, records]) => {
      let handled: bigint | undefined;
      const control = {
        stop: options.stop ?? never,
        abort: options.abort ?? never,
        onHandled(offset: string) {
          handled = BigInt(offset);
        },
      };
      let complete = false;
      try {
        complete = (await relay.relayBatch(records, 0, control)).complete;
      } catch (error) {
        options.onPartitionError?.(key, error);
      }
      if (complete) return;
      const firstUnhandled = records.find((record) => handled === undefined || BigInt(record.offset) > handled);
      if (firstUnhandled) failures.push({ itemIdentifier: { partition: key, offset: Number(firstUnhandled.offset) } });
    }),
  );
  return { batchItemFailures: failures };
}
