import { AppError, TransportError, errorMessage, retry, sleep, type RetryPolicy } from '@tickerflow/core';
import { stringifyQuote, type PriceModel } from '@tickerflow/quote';
import { createTokenBucket } from './token-bucket';
import { QuotesNotSentError, unsentRanges } from './unsent';

/** Thrown instead of sending once another lane failed the run: the batch is given up without a retry. */
const RUN_FAILED = new Error('the run already failed');

/** A Kafka record as kafkajs takes it. */
export interface QuoteMessage {
  readonly key: Buffer;
  /** The quote's JSON; kafkajs writes it as UTF-8 (a string spares one copy per quote). */
  readonly value: string;
  readonly timestamp: string;
  /** Set when the caller maps tickers to partitions (partitionOf). */
  readonly partition?: number;
}

/** Sends one batch (kafkajs `producer.sendBatch`); rejects when it could not be delivered. */
export type SendBatch = (messages: QuoteMessage[]) => Promise<void>;

/** Live counters, read by the status line and the progress logs. */
export interface ProduceStats {
  /** Quotes the broker acknowledged. */
  sent: number;
  /** Bytes of those quotes (key + value). */
  bytes: number;
  /** Quotes given up on: never acknowledged, and named in the run's QuotesNotSentError. */
  errors: number;
  /** Failed sends that were tried again. */
  retries: number;
  /** Quotes made and not yet acknowledged (queued or on the wire). */
  inFlight: number;
  /** When producing started (performance.now()). */
  readonly startedAt: number;
}

export interface ProduceOptions {
  readonly send: SendBatch;
  readonly model: PriceModel;
  /** Stop after this many quotes; undefined = until the signal aborts. */
  readonly count?: number;
  /** Quotes per second in total; 0 = as fast as possible. */
  readonly rate: number;
  /** Most quotes made at once (at full speed every chunk has this size). */
  readonly batchSize: number;
  /** Most chunks made and not yet fully acknowledged. */
  readonly maxInFlight: number;
  /**
   * The partition of a ticker; each message then carries it explicitly. A lane is
   * a chain of requests that go out one after another (the next only once the
   * previous is acknowledged). kafkajs keeps no order between concurrent sends (it
   * may finish encoding a later request first), so lanes are what keep every
   * ticker's quotes in order in its partition. At full speed (rate 0) each
   * partition gets its own lane and the lanes overlap; paced, and always without
   * partitionOf, there is one lane (see produceQuotes).
   */
  readonly partitionOf?: (ticker: string) => number;
  /** Aborting stops making quotes; what was made is still sent and awaited (the flush on Ctrl-C). */
  readonly signal?: AbortSignal;
  /**
   * Most bytes of quotes in one Kafka request; a lane's share of a chunk above it
   * goes out as several requests, in order, on that lane. Default 512 KiB, well
   * under the broker's 1 MiB message.max.bytes, whatever the tickers and partitions.
   */
  readonly maxRequestBytes?: number;
  /** Pacing tick in ms when rate > 0; default 10. */
  readonly tickMs?: number;
  /**
   * Tries of one batch (the first send included) before the run gives up; default 3.
   * Each try comes after kafkajs's own retries of the request. A non-retriable error
   * gives up at once.
   */
  readonly maxAttempts?: number;
  /** Wait before the first retry of a batch, doubling for each further one; default 250 ms. */
  readonly retryBackoffMs?: number;
  /** Maps a send failure into an AppError (to tell retriable from fatal). */
  readonly toError?: (error: unknown) => AppError;
  /** Called for each failed send; `retrying` tells whether the same batch goes again. */
  readonly onBatchError?: (error: AppError, quotes: number, retrying: boolean) => void;
  /** Receives the counters object as soon as it exists. */
  readonly onStart?: (stats: Readonly<ProduceStats>) => void;
}

export interface ProduceSummary {
  readonly sent: number;
  readonly bytes: number;
  readonly errors: number;
  /** Failed sends that were tried again (and then acknowledged). */
  readonly retries: number;
  readonly elapsedMs: number;
  /** Average acknowledged quotes per second. */
  readonly quotesPerSecond: number;
  readonly bytesPerSecond: number;
  /** True when the signal stopped the run before `count` was reached. */
  readonly interrupted: boolean;
}

/**
 * ticker-gen's core: draws quotes from the price model in chunks and hands them to
 * Kafka on lanes (see partitionOf), with up to `maxInFlight` chunks made and not
 * yet acknowledged. Each message: key = ticker, value = the quote's JSON,
 * timestamp = ts.
 *
 * Full speed (rate 0): chunks of `batchSize`, one lane per partition, so kafkajs
 * encodes one partition's batch while the broker stores another's (throughput).
 *
 * Paced (rate > 0): a token bucket checked every `tickMs` makes one small chunk per
 * tick so quotes leave evenly and `ts` is the moment each one was made. A tick's chunk
 * holds a few quotes of every partition, and each request costs a socket write and
 * a broker wake-up (~100-250 µs on a 2-core machine), so the whole chunk goes as
 * ONE request on ONE lane: kafkajs groups the messages by their `partition` inside
 * one Produce request per broker and keeps their order within each partition. One
 * lane keeps the requests sequential, hence every ticker's order across ticks, and
 * no quote waits behind other partitions' requests of the same tick. If the broker
 * is slower than the tick, chunks wait on the lane, and making pauses while
 * `maxInFlight` chunks are unacknowledged; the bucket holds at most ~50 ms of tokens
 * meanwhile, so the next chunk is bigger (one request again) but the backlog stays
 * bounded and the rate falls to what the broker takes rather than queueing without end.
 *
 * Resolves with a summary once everything made is acknowledged. A failed send is
 * tried again, the same batch on the same lane before anything after it, so a
 * ticker's quotes reach Kafka in seq order with no gap (a request that failed after
 * the broker stored it is stored twice: a duplicate, never a gap). A non-retriable
 * failure, or a batch failing `maxAttempts` times, stops the run: nothing more is
 * made or sent, what is in flight is awaited, and it rejects with a
 * QuotesNotSentError naming each ticker's seqs that never reached Kafka.
 */
export async function produceQuotes(options: ProduceOptions): Promise<ProduceSummary> {
  const { send, model, count, rate, batchSize, maxInFlight, signal, partitionOf } = options;
  const tickMs = options.tickMs ?? 10;
  const maxRequestBytes = options.maxRequestBytes ?? 512 * 1024;
  // retryBackoffMs, doubling per retry, without jitter.
  const retryPolicy: RetryPolicy = {
    retries: (options.maxAttempts ?? 3) - 1,
    initialRetryTime: options.retryBackoffMs ?? 250,
    multiplier: 2,
    maxRetryTime: Number.POSITIVE_INFINITY,
    factor: 0,
  };
  const toError = options.toError ?? ((error: unknown) => asAppError(error));
  const stats: ProduceStats = { sent: 0, bytes: 0, errors: 0, retries: 0, inFlight: 0, startedAt: performance.now() };
  options.onStart?.(stats);

  const bucket = rate > 0 ? createTokenBucket({ rate }) : undefined;
  const keys = new Map<string, Buffer>(model.tickers.map((ticker) => [ticker, Buffer.from(ticker)]));
  const partitions = new Map<string, number>(
    partitionOf ? model.tickers.map((ticker) => [ticker, partitionOf(ticker)]) : [],
  );
  const lanes = new Map<number, Promise<void>>();
  /** Paced: every request on one lane (see above); full speed: a lane per partition. */
  const laneOf = (partition: number | undefined): number => (bucket ? -1 : (partition ?? -1));
  const chunks = new Set<Promise<void>>();
  let generated = 0;
  let fatal: AppError | undefined;
  /** Batches given up on, for the error that names their seqs. */
  const unsent: QuoteMessage[][] = [];

  /**
   * One batch on its lane, tried until acknowledged; the lane's next batch waits for it.
   * Never rejects: a batch given up on (or skipped once the run has failed) is recorded in `unsent`.
   */
  const deliver = async (messages: QuoteMessage[], bytes: number): Promise<void> => {
    try {
      // No signal: on Ctrl-C what was made is still delivered.
      await retry(
        async () => {
          if (fatal) throw RUN_FAILED;
          await send(messages).catch((error: unknown) => {
            throw toError(error);
          });
        },
        {
          policy: retryPolicy,
          onRetry: (error) => {
            options.onBatchError?.(error as AppError, messages.length, true);
            stats.retries += 1;
          },
        },
      );
      stats.sent += messages.length;
      stats.bytes += bytes;
      return;
    } catch (error) {
      if (error !== RUN_FAILED) {
        options.onBatchError?.(error as AppError, messages.length, false);
        fatal ??= error as AppError;
      }
    }
    stats.errors += messages.length;
    unsent.push(messages);
  };

  const enqueue = (lane: number, messages: QuoteMessage[], bytes: number): Promise<void> => {
    const previous = lanes.get(lane);
    const next = previous ? previous.then(() => deliver(messages, bytes)) : deliver(messages, bytes);
    lanes.set(lane, next);
    return next;
  };

  while (!fatal && !signal?.aborted && (count === undefined || generated < count)) {
    while (chunks.size >= maxInFlight) await Promise.race(chunks);
    if (fatal || signal?.aborted) break;

    const wanted = count === undefined ? batchSize : Math.min(batchSize, count - generated);
    let n = wanted;
    if (bucket) {
      n = bucket.take(wanted);
      if (n === 0) {
        try {
          await sleep(Math.max(tickMs, bucket.msUntilToken()), signal);
        } catch {
          break; // aborted while waiting for the next tick
        }
        continue;
      }
    }

    // Per lane: requests of at most maxRequestBytes, in order (paced: a single lane).
    const byLane = new Map<number, { messages: QuoteMessage[]; bytes: number }[]>();
    for (let i = 0; i < n; i++) {
      const quote = model.next();
      const key = keys.get(quote.ticker) as Buffer;
      const value = stringifyQuote(quote);
      const bytes = key.length + Buffer.byteLength(value);
      const partition = partitions.get(quote.ticker);
      const lane = laneOf(partition);
      let requests = byLane.get(lane);
      if (!requests) {
        requests = [];
        byLane.set(lane, requests);
      }
      let request = requests[requests.length - 1];
      if (!request || request.bytes + bytes > maxRequestBytes) {
        request = { messages: [], bytes: 0 };
        requests.push(request);
      }
      request.messages.push(
        partition === undefined
          ? { key, value, timestamp: String(quote.ts) }
          : { key, value, timestamp: String(quote.ts), partition },
      );
      request.bytes += bytes;
    }
    generated += n;
    stats.inFlight += n;
    const parts: Promise<void>[] = [];
    for (const [lane, requests] of byLane) {
      for (const request of requests) parts.push(enqueue(lane, request.messages, request.bytes));
    }
    const chunk = Promise.all(parts).then(() => {
      stats.inFlight -= n;
      chunks.delete(chunk);
    });
    chunks.add(chunk);
    if (!bucket) {
      // At full speed, let I/O callbacks (acks, timers, signals) run between chunks.
      await new Promise<void>((resolve) => setImmediate(resolve));
    } else if (n < wanted && (count === undefined || generated < count)) {
      // Paced, the bucket drained: the next chunk is the next tick's. Going straight back to
      // the top would let an acknowledgement (1-3 ms) stand in for the tick, making a tiny
      // chunk per ack. (A chunk cut short by batchSize leaves tokens: the next goes at once.)
      try {
        await sleep(tickMs, signal);
      } catch {
        break; // aborted while waiting for the next tick
      }
    }
  }

  while (chunks.size > 0) await Promise.race(chunks);

  const elapsedMs = performance.now() - stats.startedAt;
  const seconds = Math.max(elapsedMs, 1) / 1_000;
  const summary: ProduceSummary = {
    sent: stats.sent,
    bytes: stats.bytes,
    errors: stats.errors,
    retries: stats.retries,
    elapsedMs: Math.round(elapsedMs),
    quotesPerSecond: Math.round(stats.sent / seconds),
    bytesPerSecond: Math.round(stats.bytes / seconds),
    interrupted: signal?.aborted === true && (count === undefined || generated < count),
  };
  if (fatal) throw new QuotesNotSentError(unsentRanges(unsent), fatal);
  return summary;
}

function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new TransportError(errorMessage(error), { code: 'SEND_FAILED', cause: error });
}
