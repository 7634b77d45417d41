import type { DeadLetterReason, DeadLetterRecord, SourceRecord } from './types';

/** Header names written on every dead letter. */
export const DLQ_HEADERS = {
  code: 'x-error-code',
  message: 'x-error-message',
  sourceTopic: 'x-source-topic',
  sourcePartition: 'x-source-partition',
  sourceOffset: 'x-source-offset',
  failedAt: 'x-failed-at',
} as const;

/** The dead-letter topic for a source topic: `<topic>.dlq`. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** Longest error message kept in a header (headers are not meant for essays). */
const MAX_MESSAGE = 1_000;

/**
 * A dead letter for one source record: the original key and value bytes, untouched,
 * and headers naming the error and where the record came from.
 */
export function buildDeadLetter(
  record: SourceRecord,
  reason: DeadLetterReason,
  message: string,
  now: Date = new Date(),
): DeadLetterRecord {
  return {
    topic: deadLetterTopic(record.topic),
    key: record.key,
    value: record.value,
    headers: {
      [DLQ_HEADERS.code]: reason,
      [DLQ_HEADERS.message]: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}...` : message,
      [DLQ_HEADERS.sourceTopic]: record.topic,
      [DLQ_HEADERS.sourcePartition]: String(record.partition),
      [DLQ_HEADERS.sourceOffset]: record.offset,
      [DLQ_HEADERS.failedAt]: now.toISOString(),
    },
  };
}
