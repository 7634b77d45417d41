import { AppError, errorMessage, retry, sleep as defaultSleep, type RetryPolicy } from '@tickerflow/core';
import { conflateLatest } from './conflate';
import { buildDeadLetter } from './dead-letter';
import { createDispatcher } from './dispatcher';
import type { Limiter } from './limiter';
import type { MutationTemplate } from './mutation';
import { judgeAnswer, type AnswerVerdict, type QuoteVerdict } from './answer';
import { classifyFailure, DEFAULT_RETRY_POLICY, retryDelay, type FailureAction } from './retry';
import type {
  DeadLetterReason,
  DeadLetterRecord,
  DeadLetterSink,
  MutationValues,
  Publisher,
  RelayLogger,
  RelayMetrics,
  SourceRecord,
  UnexpectedAnswerKind,
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
  /** Backoff of retried publishes and dead-letter writes (their `retries` are not bounded: they go on until stopped). */
  readonly retry: RetryPolicy;
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

/** Stable codes of RelayFatalError; the bridge maps them to hints naming its flags. */
export const RelayErrorCode = Object.freeze({
  /** Relaying cannot go on; `cause` says why (e.g. the publisher's refused key). */
  fatal: 'RELAY_FATAL',
  /** AppSync refused every quote of many requests in a row: the mutation does not fit the API. */
  rejectedInARow: 'RELAY_REJECTED_IN_A_ROW',
  /** AppSync answered that the key may not run the mutation. */
  mutationUnauthorized: 'RELAY_MUTATION_UNAUTHORIZED',
} as const);

/** Thrown when relaying cannot go on (refused key, AppSync refusing everything). The bridge exits 1. */
export class RelayFatalError extends AppError {
  constructor(message: string, options: { cause?: unknown; hint?: string; code?: string } = {}) {
    super(options.code ?? RelayErrorCode.fatal, message, { ...options, retriable: false });
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

/** Whether AppSync is accepting quotes, as far as the relay has seen. */
export interface AcceptanceState {
  /**
   * False from an unexpected answer (one that accepted nothing for no documented reason: no
   * data, another 4xx, a 200 that is not GraphQL) until AppSync next accepts a quote; the
   * bridge's /readyz reports it.
   */
  accepting(): boolean;
}

/** At most one warning per this interval about unexpected answers (each one is counted in the metric). */
export const UNEXPECTED_WARNING_INTERVAL_MS = 60_000;

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

/** Why a request is retried: its code (metrics), its message, and whether it is surfaced loudly. */
interface Retry {
  readonly code: string;
  readonly message: string;
  readonly cause?: unknown;
  readonly loud: boolean;
}

type Attempt =
  | { readonly kind: 'answered'; readonly verdict: AnswerVerdict; readonly at: number }
  | { readonly kind: 'failed'; readonly error: unknown; readonly action: FailureAction };

export function createRelay(settings: RelaySettings, deps: RelayDeps): Relay & AcceptanceState {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;
  const { metrics, logger } = deps;
  let consecutiveRejections = 0;

  /** Every failed write is tried again (a dead letter must be stored before its offset commits), until stopped. */
  const sendDeadLetters = async (letters: readonly DeadLetterRecord[], control: BatchControl): Promise<void> => {
    await retry(() => deps.deadLetters.send(letters), {
      policy: { ...settings.retry, retries: Number.POSITIVE_INFINITY },
      retriable: () => true,
      delay: (error, attempt) => retryDelay(error, attempt, settings.retry, random),
      onRetry: (error, attempt, delayMs) => {
        metrics.retried('dead-letter');
        logger.warn({ err: error, attempt, delayMs }, 'writing to the dead-letter topic failed; retrying');
      },
      signal: control.stop,
      sleep,
    }).catch((error: unknown) => {
      if (control.stop.aborted) throw new Stopped();
      throw error;
    });
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

  let stalledSince: number | undefined;
  let lastAlarm = Number.NEGATIVE_INFINITY;
  let alarmsSinceWarning = 0;

  /** An answer that accepted nothing for no documented reason: a metric always, a warning at most once a minute. */
  const alarm = (kind: UnexpectedAnswerKind, message: string, quotes: number): void => {
    metrics.unexpectedAnswer(kind);
    const at = now();
    stalledSince ??= at;
    alarmsSinceWarning += 1;
    if (at - lastAlarm < UNEXPECTED_WARNING_INTERVAL_MS) {
      logger.debug({ kind, quotes, error: message }, 'unexpected answer; retrying');
      return;
    }
    logger.warn(
      { kind, quotes, error: message, unexpectedAnswers: alarmsSinceWarning, nothingAcceptedForMs: at - stalledSince },
      'AppSync answered without accepting the quotes and without a documented reason; retrying them, nothing is committed',
    );
    lastAlarm = at;
    alarmsSinceWarning = 0;
  };

  const rejected = (count: number): void => {
    consecutiveRejections += count;
    if (consecutiveRejections >= settings.maxConsecutiveRejections) {
      throw new RelayFatalError(`AppSync refused the last ${consecutiveRejections} quotes in a row`, {
        code: RelayErrorCode.rejectedInARow,
        hint: 'check the mutation against the API schema',
      });
    }
  };

  const accepted = (items: readonly Item[], at: number): void => {
    consecutiveRejections = 0;
    stalledSince = undefined;
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

  /** One request for `items`: AppSync's verdict per quote, or why the request failed as a whole. */
  const attempt = async (items: readonly Item[], control: BatchControl): Promise<Attempt> => {
    try {
      const result = await dispatcher.publish(
        items.map((item) => item.values),
        control.abort,
      );
      return { kind: 'answered', verdict: judgeAnswer(result, items.length), at: now() };
    } catch (error) {
      if (control.abort.aborted) throw new Stopped();
      return { kind: 'failed', error, action: classifyFailure(error) };
    }
  };

  /** A request that failed as a whole: stop the bridge, or how to retry it. */
  const failedRequest = (outcome: Extract<Attempt, { kind: 'failed' }>, quotes: number): Retry => {
    const cause = outcome.error;
    const code = cause instanceof AppError ? cause.code : 'UNKNOWN';
    if (outcome.action === 'fatal') {
      metrics.failed(code);
      throw new RelayFatalError(`AppSync publish failed: ${errorMessage(cause)}`, {
        cause,
        hint: cause instanceof AppError ? cause.hint : undefined,
      });
    }
    const loud = outcome.action === 'retry-loudly';
    if (loud) alarm((cause as { status?: unknown }).status === 200 ? 'not-graphql' : 'http-status', errorMessage(cause), quotes);
    return { code, message: errorMessage(cause), cause, loud };
  };

  /** Applies AppSync's verdict: accepts and dead-letters what it settled; returns the quotes to send again. */
  const settle = async (
    items: readonly Item[],
    verdict: AnswerVerdict,
    at: number,
    control: BatchControl,
  ): Promise<{ again: Item[]; progressed: boolean; retry: Retry }> => {
    if (verdict.fatal !== undefined) {
      metrics.failed('AUTH');
      throw new RelayFatalError(`AppSync refused the mutation: ${verdict.fatal}`, {
        code: RelayErrorCode.mutationUnauthorized,
        hint: 'check that the API key may run the mutation',
      });
    }
    const good: Item[] = [];
    const bad: { record: SourceRecord; reason: DeadLetterReason; message: string }[] = [];
    const again: Item[] = [];
    let reason = '';
    items.forEach((item, index) => {
      const judged = verdict.quotes[index] as QuoteVerdict;
      if (judged.kind === 'accepted') good.push(item);
      else if (judged.kind === 'rejected') bad.push({ record: item.record, reason: 'rejected-by-appsync', message: judged.message });
      else {
        again.push(item);
        reason ||= judged.message;
      }
    });
    // Before accepted(): an answer that also accepted quotes leaves the relay "accepting".
    if (verdict.unexpected !== undefined) alarm(verdict.unexpected.kind, verdict.unexpected.message, again.length);
    if (good.length > 0) accepted(good, at);
    await deadLetter(bad, control);
    if (bad.length > 0 && good.length === 0) rejected(bad.length);
    const loud = verdict.unexpected !== undefined;
    return { again, progressed: good.length + bad.length > 0, retry: { code: loud ? 'UNEXPECTED_ANSWER' : 'GRAPHQL_TRANSIENT', message: reason, loud } };
  };

  /**
   * Gets every item accepted or dead-lettered, in order. A quote is dead-lettered only for a
   * permanent error at its own alias; every other quote is sent again (unchanged, in order)
   * until AppSync's answer carries its data. Once an answer settled some quotes, the rest go
   * again at once; otherwise after a backoff.
   */
  const deliver = async (items: readonly Item[], control: BatchControl): Promise<void> => {
    let pending = items;
    let failures = 0;
    while (pending.length > 0) {
      if (control.stop.aborted) throw new Stopped();
      const outcome = await attempt(pending, control);
      let retry: Retry;
      if (outcome.kind === 'failed') retry = failedRequest(outcome, pending.length);
      else {
        const settled = await settle(pending, outcome.verdict, outcome.at, control);
        if (settled.again.length === 0) return;
        pending = settled.again;
        if (settled.progressed) {
          // The rest (quotes a non-null mutation type left without data) go again at once.
          failures = 0;
          logger.debug({ quotes: pending.length, error: settled.retry.message }, 'AppSync settled part of the request; sending the rest again');
          continue;
        }
        retry = settled.retry;
      }
      metrics.failed(retry.code);
      metrics.retried(retry.code);
      const delay = retryDelay(retry.cause, failures, settings.retry, random);
      if (!retry.loud) {
        logger.warn(
          { code: retry.code, attempt: failures + 1, delayMs: delay, quotes: pending.length, error: retry.message },
          'publish failed; retrying the same quotes',
        );
      }
      await sleep(delay, control.stop).catch(() => {
        throw new Stopped();
      });
      failures += 1;
    }
  };

  return {
    accepting: () => stalledSince === undefined,
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
