import { AppError, errorMessage, sleep as defaultSleep, type BackoffPolicy } from '@tickerflow/core';
import { conflateLatest } from './conflate';
import { buildDeadLetter } from './dead-letter';
import { createDispatcher } from './dispatcher';
import type { Limiter } from './limiter';
import { aliasIndex, ALIAS_PREFIX, type MutationTemplate } from './mutation';
import { classifyFailure, DEFAULT_RETRY_POLICY, retryDelay } from './retry';
import type {
  DeadLetterReason,
  DeadLetterRecord,
  DeadLetterSink,
  GraphQLResult,
  MutationValues,
  Publisher,
  RelayLogger,
  RelayMetrics,
  SourceRecord,
} from './types';

export interface RelaySettings {
  /** Most quotes per GraphQL request. Default 25. */
  readonly batchSize: number;
  /** Bound on one request's body, in bytes (AppSync caps request size). Default 512 KiB. */
  readonly maxRequestBytes: number;
  /** Send only the latest quote per ticker of a batch when behind. Default false. */
  readonly conflate: boolean;
  /** Lag (records) above which conflation applies. Default 10000. */
  readonly conflateLag: number;
  /** Backoff of retried publishes. */
  readonly retry: BackoffPolicy;
  /** Stop the bridge after this many quotes in a row were refused by AppSync (a broken --mutation). Default 100. */
  readonly maxConsecutiveRejections: number;
}

export const DEFAULT_RELAY_SETTINGS: RelaySettings = Object.freeze({
  batchSize: 25,
  maxRequestBytes: 512 * 1024,
  conflate: false,
  conflateLag: 10_000,
  retry: DEFAULT_RETRY_POLICY,
  maxConsecutiveRejections: 100,
});

/**
 * Called with the values AppSync accepted (quotes on the quote path), the time the answer
 * arrived (epoch ms) and, per value, the record it came from (its `receivedAt` and Kafka
 * `timestamp` when the consumer set them).
 */
export type AcceptObserver = (values: readonly MutationValues[], acceptedAt: number, records: readonly SourceRecord[]) => void;

export interface RelayDeps {
  readonly publisher: Publisher;
  readonly template: MutationTemplate;
  readonly deadLetters: DeadLetterSink;
  readonly metrics: RelayMetrics;
  readonly logger: RelayLogger;
  /** Shared across partitions: bounds the requests in flight (--max-in-flight). */
  readonly limiter: Limiter;
  readonly onAccepted?: AcceptObserver;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Per-call control from the consumer loop. */
export interface BatchControl {
  /** Once aborted: start no new request and no retry; return with what is done. */
  readonly stop: AbortSignal;
  /** Once aborted: cancel requests in flight (the shutdown timeout passed). */
  readonly abort: AbortSignal;
  /** Every record up to and including `offset` is handled (accepted, dead-lettered or conflated). */
  onHandled(offset: string): void | Promise<void>;
}

export interface BatchOutcome {
  /** True when every record of the batch was handled. */
  readonly complete: boolean;
}

/** Thrown when relaying cannot go on (refused key, AppSync refusing everything). The bridge exits 1. */
export class RelayFatalError extends AppError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('RELAY_FATAL', message, { ...options, retriable: false });
  }
}

export interface Relay {
  /**
   * Relays one partition's records, strictly in offset order: bad records to the
   * dead-letter sink, good quotes in batched requests, one request at a time, each
   * retried until AppSync accepts it. Reports progress through `control.onHandled`.
   * `lag` is how far behind the partition's end the batch starts (for conflation).
   */
  relayBatch(records: readonly SourceRecord[], lag: number, control: BatchControl): Promise<BatchOutcome>;
}

interface Item {
  readonly record: SourceRecord;
  readonly index: number;
  readonly values: MutationValues;
}

/** The key --conflate keeps the latest of: the `ticker` value, else the Kafka key; neither: never conflated. */
function conflationKey(item: Item): string {
  const ticker = (item.values as Readonly<Record<string, unknown>>)['ticker'];
  if (typeof ticker === 'string') return `t:${ticker}`;
  return item.record.key === null ? `o:${item.record.offset}` : `k:${item.record.key.toString('latin1')}`;
}

class Stopped extends Error {}

export function createRelay(settings: RelaySettings, deps: RelayDeps): Relay {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;
  const { metrics, logger } = deps;
  let consecutiveRejections = 0;

  const sendDeadLetters = async (letters: readonly DeadLetterRecord[], control: BatchControl): Promise<void> => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await deps.deadLetters.send(letters);
        return;
      } catch (error) {
        if (control.stop.aborted) throw new Stopped();
        metrics.retried('dead-letter');
        const delay = retryDelay(error, attempt, settings.retry, random);
        logger.warn({ err: error, attempt, delayMs: delay }, 'writing to the dead-letter topic failed; retrying');
        await sleep(delay, control.stop).catch(() => {
          throw new Stopped();
        });
      }
    }
  };

  const deadLetter = async (
    entries: readonly { record: SourceRecord; reason: DeadLetterReason; message: string }[],
    control: BatchControl,
  ): Promise<void> => {
    if (entries.length === 0) return;
    const at = new Date(now());
    await sendDeadLetters(entries.map((e) => buildDeadLetter(e.record, e.reason, e.message, at)), control);
    const counts = new Map<DeadLetterReason, number>();
    for (const { record, reason, message } of entries) {
      counts.set(reason, (counts.get(reason) ?? 0) + 1);
      logger.warn(
        { topic: record.topic, partition: record.partition, offset: record.offset, reason, error: message },
        'record dead-lettered',
      );
    }
    for (const [reason, count] of counts) metrics.deadLettered(reason, count);
  };

  const dispatcher = createDispatcher({
    publisher: deps.publisher,
    template: deps.template,
    limiter: deps.limiter,
    maxBatch: settings.batchSize,
    metrics,
    now,
  });

  /** Sends one chunk until it is answered; returns the answer or the refusal. */
  const send = async (
    items: readonly Item[],
    control: BatchControl,
  ): Promise<{ kind: 'answered'; result: GraphQLResult } | { kind: 'refused'; error: unknown }> => {
    const quotes = items.map((item) => item.values);
    for (let attempt = 0; ; attempt += 1) {
      if (control.stop.aborted) throw new Stopped();
      let failure: unknown;
      try {
        return { kind: 'answered', result: await dispatcher.publish(quotes, control.abort) };
      } catch (error) {
        failure = error;
      }
      if (control.abort.aborted) throw new Stopped();
      const action = classifyFailure(failure);
      const code = failure instanceof AppError ? failure.code : 'UNKNOWN';
      metrics.failed(code);
      if (action === 'fatal') {
        throw new RelayFatalError(`AppSync publish failed: ${errorMessage(failure)}`, {
          cause: failure,
          hint: failure instanceof AppError ? failure.hint : undefined,
        });
      }
      if (action === 'reject') return { kind: 'refused', error: failure };
      const delay = retryDelay(failure, attempt, settings.retry, random);
      metrics.retried(code);
      logger.warn(
        { code, attempt: attempt + 1, delayMs: delay, quotes: items.length, error: errorMessage(failure) },
        'publish failed; retrying the same quotes',
      );
      await sleep(delay, control.stop).catch(() => {
        throw new Stopped();
      });
    }
  };

  const rejected = (count: number): void => {
    consecutiveRejections += count;
    if (consecutiveRejections >= settings.maxConsecutiveRejections) {
      throw new RelayFatalError(`AppSync refused the last ${consecutiveRejections} quotes in a row`, {
        hint: 'check --mutation against the API schema (bridge check validates it)',
      });
    }
  };

  const accepted = (items: readonly Item[], at: number): void => {
    consecutiveRejections = 0;
    metrics.published(items.length);
    // Latency needs the producer's `ts` (epoch ms); records without one have none to report.
    for (const item of items) {
      const ts = (item.values as Readonly<Record<string, unknown>>)['ts'];
      if (typeof ts === 'number') metrics.endToEndLatency(Math.max(0, at - ts) / 1000);
    }
    deps.onAccepted?.(
      items.map((item) => item.values),
      at,
      items.map((item) => item.record),
    );
  };

  /** Gets every item accepted or dead-lettered, in order; splits refused requests to find the bad quote. */
  const deliver = async (items: readonly Item[], control: BatchControl): Promise<void> => {
    const outcome = await send(items, control);
    const at = now();
    if (outcome.kind === 'refused') {
      if (items.length > 1) {
        const middle = Math.ceil(items.length / 2);
        logger.debug({ quotes: items.length }, 'request refused; splitting it to isolate the bad quote');
        await deliver(items.slice(0, middle), control);
        await deliver(items.slice(middle), control);
        return;
      }
      const item = items[0] as Item;
      await deadLetter([{ record: item.record, reason: 'rejected-by-appsync', message: errorMessage(outcome.error) }], control);
      rejected(1);
      return;
    }
    const { data, errors = [] } = outcome.result;
    if (errors.length === 0) {
      accepted(items, at);
      return;
    }
    const perAlias = new Map<number, string>();
    const general: string[] = [];
    for (const entry of errors) {
      const index = aliasIndex(entry.path);
      const text = entry.errorType ? `${entry.errorType}: ${entry.message}` : entry.message;
      if (index !== undefined && index < items.length) perAlias.set(index, text);
      else general.push(text);
    }
    if (perAlias.size === 0 && (data === null || data[`${ALIAS_PREFIX}0`] === undefined)) {
      // The whole request was refused (a validation error has no path): isolate the culprit.
      if (items.length > 1) {
        await deliver(items.slice(0, Math.ceil(items.length / 2)), control);
        await deliver(items.slice(Math.ceil(items.length / 2)), control);
        return;
      }
      const item = items[0] as Item;
      await deadLetter([{ record: item.record, reason: 'rejected-by-appsync', message: general.join('; ') }], control);
      rejected(1);
      return;
    }
    if (general.length > 0) logger.warn({ errors: general }, 'AppSync answered with errors that name no quote');
    const good = items.filter((_, index) => !perAlias.has(index));
    const bad = [...perAlias].map(([index, message]) => ({
      record: (items[index] as Item).record,
      reason: 'rejected-by-appsync' as const,
      message,
    }));
    if (good.length > 0) accepted(good, at);
    await deadLetter(bad, control);
    if (good.length === 0) rejected(bad.length);
  };

  return {
    async relayBatch(records, lag, control) {
      if (records.length === 0) return { complete: true };
      const last = records[records.length - 1] as SourceRecord;
      metrics.consumed(last.partition, records.length);

      const good: Item[] = [];
      const bad: { record: SourceRecord; reason: DeadLetterReason; message: string }[] = [];
      for (let index = 0; index < records.length; index += 1) {
        const record = records[index] as SourceRecord;
        const decoded = deps.template.decode(record.value);
        if (decoded.ok) good.push({ record, index, values: decoded.values });
        else bad.push({ record, reason: decoded.reason, message: decoded.message });
      }

      try {
        // Dead letters first: once stored, their offsets count as handled.
        await deadLetter(bad, control);

        let survivors = good;
        if (settings.conflate && lag > settings.conflateLag && good.length > 1) {
          const { keep, dropped } = conflateLatest(good, conflationKey);
          if (dropped > 0) {
            survivors = keep.map((index) => good[index] as Item);
            metrics.conflated(dropped);
            logger.debug({ partition: last.partition, lag, dropped }, 'behind: conflated to the latest quote per ticker');
          }
        }

        /** The last offset before survivor `position` (everything earlier is handled). */
        const handledBefore = (position: number): string | undefined => {
          const next = survivors[position];
          if (next === undefined) return last.offset;
          return next.index === 0 ? undefined : (records[next.index - 1] as SourceRecord).offset;
        };

        const first = handledBefore(0);
        if (first !== undefined && survivors.length > 0) await control.onHandled(first);

        let position = 0;
        while (position < survivors.length) {
          if (control.stop.aborted) return { complete: false };
          const chunk = takeChunk(survivors, position, settings);
          await deliver(chunk, control);
          position += chunk.length;
          const through = handledBefore(position);
          if (through !== undefined) await control.onHandled(through);
        }
        if (survivors.length === 0) await control.onHandled(last.offset);
        return { complete: true };
      } catch (error) {
        if (error instanceof Stopped) return { complete: false };
        throw error;
      }
    },
  };
}

/** Up to batchSize items from `start`, and no more than the request byte budget (at least one). */
function takeChunk(items: readonly Item[], start: number, settings: RelaySettings): Item[] {
  const end = Math.min(items.length, start + settings.batchSize);
  let bytes = 0;
  let stop = start;
  while (stop < end) {
    // a quote costs about its JSON size in variables, plus its call and declarations in the document
    bytes += ((items[stop] as Item).record.value?.length ?? 0) + 450;
    if (bytes > settings.maxRequestBytes && stop > start) break;
    stop += 1;
  }
  return items.slice(start, stop);
}
