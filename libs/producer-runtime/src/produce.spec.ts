import { describe, expect, it } from 'vitest';
import { AuthError, TransportError } from '@tickerflow/core';
import { createPriceModel, decodeQuote, validateQuote } from '@tickerflow/quote';
import { produceQuotes, type QuoteMessage, type SendBatch } from './produce';
import { QuotesNotSentError } from './unsent';

function recorder(behaviour: (batch: number) => Promise<void> = () => Promise.resolve()) {
  const batches: QuoteMessage[][] = [];
  let inFlight = 0;
  let maxSeenInFlight = 0;
  const send: SendBatch = async (messages) => {
    batches.push(messages);
    inFlight += 1;
    maxSeenInFlight = Math.max(maxSeenInFlight, inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1));
      await behaviour(batches.length);
    } finally {
      inFlight -= 1;
    }
  };
  return { send, batches, maxInFlight: () => maxSeenInFlight };
}

const model = () => createPriceModel({ seed: 'unit', tickers: ['BTC', 'ETH', 'AAPL'] });

describe('produceQuotes', () => {
  it('sends exactly count quotes in batches, keyed by ticker, timestamped with ts', async () => {
    const r = recorder();
    const summary = await produceQuotes({ send: r.send, model: model(), count: 2_500, rate: 0, batchSize: 1_000, maxInFlight: 2 });
    expect(summary).toMatchObject({ sent: 2_500, errors: 0, interrupted: false });
    expect(r.batches.map((b) => b.length)).toEqual([1_000, 1_000, 500]);
    const messages = r.batches.flat();
    const lastSeq = new Map<string, number>();
    for (const message of messages) {
      const quote = decodeQuote(message.value);
      expect(validateQuote(quote).ok).toBe(true);
      expect(message.key.toString()).toBe(quote.ticker);
      expect(message.timestamp).toBe(String(quote.ts));
      expect(quote.seq).toBe((lastSeq.get(quote.ticker) ?? 0) + 1);
      lastSeq.set(quote.ticker, quote.seq);
    }
    expect(summary.bytes).toBe(messages.reduce((sum, m) => sum + m.key.length + Buffer.byteLength(m.value), 0));
  });

  it('sends one batch at a time without partitionOf (kafkajs keeps no order between concurrent sends)', async () => {
    const r = recorder();
    await produceQuotes({ send: r.send, model: model(), count: 5_000, rate: 0, batchSize: 100, maxInFlight: 3 });
    expect(r.maxInFlight()).toBe(1);
  });

  it('keeps one batch per partition on the wire, lanes overlapping, each in order', async () => {
    const partitionOf = (ticker: string) => ({ BTC: 0, ETH: 1, AAPL: 2 })[ticker] as number;
    const busy = new Set<number>();
    const overlaps: string[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const seen = new Map<string, number>();
    const send: SendBatch = async (messages) => {
      const partition = messages[0]?.partition as number;
      if (busy.has(partition)) overlaps.push(`partition ${partition} sent twice at once`);
      for (const m of messages) {
        if (m.partition !== partition) overlaps.push('mixed partitions in one batch');
        const q = decodeQuote(m.value);
        if (partitionOf(q.ticker) !== partition) overlaps.push(`${q.ticker} in partition ${partition}`);
        if (q.seq !== (seen.get(q.ticker) ?? 0) + 1) overlaps.push(`${q.ticker} seq ${q.seq} out of order`);
        seen.set(q.ticker, q.seq);
      }
      busy.add(partition);
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      // Later batches may finish first: the lanes must still keep order.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
      concurrent -= 1;
      busy.delete(partition);
    };
    let peakInFlight = 0;
    const summary = await produceQuotes({
      send, model: model(), count: 6_000, rate: 0, batchSize: 300, maxInFlight: 2, partitionOf,
      onStart: (stats) => {
        const timer = setInterval(() => (peakInFlight = Math.max(peakInFlight, stats.inFlight)), 1);
        setTimeout(() => clearInterval(timer), 2_000);
      },
    });
    expect(overlaps).toEqual([]);
    expect(summary.sent).toBe(6_000);
    expect(maxConcurrent).toBeGreaterThan(1);
    expect(maxConcurrent).toBeLessThanOrEqual(3);
    expect(peakInFlight).toBeLessThanOrEqual(600);
  });

  it('splits a lane into requests of at most maxRequestBytes, keeping order', async () => {
    const r = recorder();
    await produceQuotes({ send: r.send, model: model(), count: 1_000, rate: 0, batchSize: 1_000, maxInFlight: 1, maxRequestBytes: 20_000 });
    const sizes = r.batches.map((b) => b.reduce((sum, m) => sum + m.key.length + Buffer.byteLength(m.value), 0));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(20_000);
    expect(r.batches.length).toBeGreaterThanOrEqual(8);
    const seqs = new Map<string, number>();
    for (const m of r.batches.flat()) {
      const q = decodeQuote(m.value);
      expect(q.seq).toBe((seqs.get(q.ticker) ?? 0) + 1);
      seqs.set(q.ticker, q.seq);
    }
  });

  it('paces to the rate in small batches', async () => {
    const r = recorder();
    const started = performance.now();
    const summary = await produceQuotes({ send: r.send, model: model(), count: 300, rate: 1_000, batchSize: 5_000, maxInFlight: 2 });
    const elapsed = performance.now() - started;
    expect(summary.sent).toBe(300);
    expect(elapsed).toBeGreaterThan(250);
    expect(elapsed).toBeLessThan(1_500);
    expect(Math.max(...r.batches.map((b) => b.length))).toBeLessThanOrEqual(60);
    expect(r.batches.length).toBeGreaterThan(10);
  });

  describe('paced (rate > 0)', () => {
    const partitionOf = (ticker: string) => ({ BTC: 0, ETH: 1, AAPL: 2 })[ticker] as number;

    /** Records every request and checks, as they arrive, that they never overlap and keep every ticker's order. */
    function pacedRecorder(delayMs: number) {
      const batches: QuoteMessage[][] = [];
      const problems: string[] = [];
      const seqs = new Map<string, number>();
      let busy = false;
      const send: SendBatch = async (messages) => {
        if (busy) problems.push(`request ${batches.length + 1} sent while another was on the wire`);
        busy = true;
        batches.push(messages);
        for (const m of messages) {
          const q = decodeQuote(m.value);
          if (m.partition !== partitionOf(q.ticker)) problems.push(`${q.ticker} carries partition ${m.partition}`);
          if (q.seq !== (seqs.get(q.ticker) ?? 0) + 1) problems.push(`${q.ticker} seq ${q.seq} out of order`);
          seqs.set(q.ticker, q.seq);
        }
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        busy = false;
      };
      const partitionsOf = (batch: QuoteMessage[]) => new Set(batch.map((m) => m.partition)).size;
      return { send, batches, problems, partitionsOf };
    }

    /** A paced run against pacedRecorder(delayMs), timed; every request checked for overlap and order. */
    async function timedPacedRun(delayMs: number, options: { count: number; rate: number; batchSize: number; tickMs: number }) {
      const r = pacedRecorder(delayMs);
      const started = performance.now();
      const summary = await produceQuotes({ send: r.send, model: model(), maxInFlight: 2, partitionOf, ...options });
      expect(r.problems).toEqual([]);
      return { r, summary, elapsed: performance.now() - started };
    }

    it('sends one request per tick holding every partition of the tick, one request at a time, in order', async () => {
      const { r, summary, elapsed } = await timedPacedRun(1, { count: 600, rate: 2_000, batchSize: 5_000, tickMs: 10 });
      expect(summary).toMatchObject({ sent: 600, errors: 0 });
      // One request per chunk, at most one chunk per tick (a request per partition, or
      // per acknowledgement, would be several times as many).
      expect(r.batches.length).toBeLessThanOrEqual(Math.ceil(elapsed / 10) + 1);
      const sizes = r.batches.map((b) => b.length).sort((a, b) => a - b);
      expect(sizes[Math.floor(sizes.length / 2)]).toBeGreaterThanOrEqual(10); // ~20 quotes a tick
      expect(r.batches.filter((b) => r.partitionsOf(b) === 3).length).toBeGreaterThan(r.batches.length / 2);
    });

    it('queues requests on the one lane when the broker is slower than the tick, bounded by maxInFlight', async () => {
      const r = pacedRecorder(25);
      let peakInFlight = 0;
      const summary = await produceQuotes({
        send: r.send, model: model(), count: 800, rate: 2_000, batchSize: 5_000, maxInFlight: 2, partitionOf, tickMs: 10,
        onStart: (stats) => {
          const timer = setInterval(() => (peakInFlight = Math.max(peakInFlight, stats.inFlight)), 1);
          setTimeout(() => clearInterval(timer), 5_000);
        },
      });
      expect(r.problems).toEqual([]);
      expect(summary).toMatchObject({ sent: 800, errors: 0 });
      // The bucket holds at most 50 ms of tokens (100 quotes): a stall makes bigger chunks, not more of them.
      expect(Math.max(...r.batches.map((b) => b.length))).toBeLessThanOrEqual(100);
      expect(peakInFlight).toBeLessThanOrEqual(2 * 100);
      expect(r.batches.filter((b) => r.partitionsOf(b) === 3).length).toBeGreaterThan(r.batches.length / 2);
    });

    it('keeps the rate when --batch-size is smaller than a tick of quotes (no tick wait while tokens remain)', async () => {
      // 20,000/s is 1,000 quotes per 50 ms tick; chunks of at most 50 must follow each other within the tick.
      const { r, summary, elapsed } = await timedPacedRun(0, { count: 2_000, rate: 20_000, batchSize: 50, tickMs: 50 });
      expect(summary.sent).toBe(2_000);
      expect(Math.max(...r.batches.map((b) => b.length))).toBeLessThanOrEqual(50);
      expect(elapsed).toBeLessThan(1_000); // 100 ms at the rate; a tick wait after each of the 40 chunks takes 2 s
    });

    it('splits a chunk above maxRequestBytes into requests that go one after another on the lane', async () => {
      const r = pacedRecorder(1);
      const summary = await produceQuotes({
        send: r.send, model: model(), count: 300, rate: 3_000, batchSize: 5_000, maxInFlight: 2, partitionOf, tickMs: 10,
        maxRequestBytes: 1_000,
      });
      expect(r.problems).toEqual([]);
      expect(summary.sent).toBe(300);
      const sizes = r.batches.map((b) => b.reduce((sum, m) => sum + m.key.length + Buffer.byteLength(m.value), 0));
      expect(Math.max(...sizes)).toBeLessThanOrEqual(1_000);
      expect(r.batches.some((b) => r.partitionsOf(b) > 1)).toBe(true);
    });
  });

  it('flushes what is in flight when aborted, and reports the interruption', async () => {
    const controller = new AbortController();
    let acknowledged = 0;
    const r = recorder(async () => {
      acknowledged += 1;
      if (acknowledged === 3) controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
    const summary = await produceQuotes({ send: r.send, model: model(), rate: 0, batchSize: 10, maxInFlight: 2, signal: controller.signal });
    expect(summary.interrupted).toBe(true);
    expect(summary.errors).toBe(0);
    expect(summary.sent).toBe(r.batches.flat().length);
  });

  describe('failed sends', () => {
    const partitionOf = (ticker: string) => ({ BTC: 0, ETH: 1, AAPL: 2 })[ticker] as number;
    type Failure = 'before-storing' | 'after-storing' | undefined;

    /**
     * A broker that stores what it acknowledges, in order. `failure(send, messages)` makes
     * one send fail, either before the broker stored it or after (an answer lost on the way).
     */
    function fakeBroker(failure: (send: number, messages: QuoteMessage[]) => Failure, error = () => new TransportError('broker gone')) {
      const stored: QuoteMessage[] = [];
      const attempts: QuoteMessage[][] = [];
      const send: SendBatch = async (messages) => {
        attempts.push(messages);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
        const outcome = failure(attempts.length, messages);
        if (outcome === 'before-storing') throw error();
        stored.push(...messages);
        if (outcome === 'after-storing') throw error();
      };
      /** Per ticker, the seqs in the order the broker stored them. */
      const seqsByTicker = () => {
        const seqs = new Map<string, number[]>();
        for (const m of stored) {
          const q = decodeQuote(m.value);
          seqs.set(q.ticker, [...(seqs.get(q.ticker) ?? []), q.seq]);
        }
        return seqs;
      };
      return { send, stored, attempts, seqsByTicker };
    }

    const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    const failures = () => {
      const seen: [number, boolean][] = [];
      return { seen, onBatchError: (_e: unknown, quotes: number, retrying: boolean) => seen.push([quotes, retrying]) };
    };

    it('sends a failed batch again before anything after it: every ticker complete and in seq order', async () => {
      const broker = fakeBroker((send) => ([2, 3, 7].includes(send) ? 'before-storing' : undefined));
      const { seen, onBatchError } = failures();
      const summary = await produceQuotes({
        send: broker.send, model: model(), count: 500, rate: 0, batchSize: 50, maxInFlight: 3, retryBackoffMs: 1, onBatchError,
      });
      expect(summary).toMatchObject({ sent: 500, errors: 0, retries: 3 });
      expect(seen).toEqual([[50, true], [50, true], [50, true]]);
      expect(broker.attempts[2]).toBe(broker.attempts[1]); // the same batch, not the next one
      for (const seqs of broker.seqsByTicker().values()) expect(seqs).toEqual(oneTo(seqs.length));
      expect(broker.stored).toHaveLength(500);
    });

    it('keeps each partition in order across retries while the other lanes go on', async () => {
      let partition1Sends = 0;
      const broker = fakeBroker((_send, messages) =>
        messages[0]?.partition === 1 && ++partition1Sends % 4 === 0 ? 'before-storing' : undefined,
      );
      const summary = await produceQuotes({
        send: broker.send, model: model(), count: 6_000, rate: 0, batchSize: 300, maxInFlight: 2, partitionOf, retryBackoffMs: 1,
      });
      expect(summary).toMatchObject({ sent: 6_000, errors: 0 });
      expect(summary.retries).toBeGreaterThan(0);
      for (const seqs of broker.seqsByTicker().values()) expect(seqs).toEqual(oneTo(seqs.length));
      expect(broker.stored).toHaveLength(6_000);
    });

    it('sends again a batch the broker stored before its answer was lost: a duplicate, never a gap', async () => {
      const broker = fakeBroker((send) => (send === 2 ? 'after-storing' : undefined));
      const summary = await produceQuotes({ send: broker.send, model: model(), count: 50, rate: 0, batchSize: 10, maxInFlight: 1, retryBackoffMs: 1 });
      expect(summary).toMatchObject({ sent: 50, errors: 0, retries: 1 });
      expect(broker.stored).toHaveLength(60);
      for (const seqs of broker.seqsByTicker().values()) {
        const firstArrivals = seqs.filter((seq, i) => seqs.indexOf(seq) === i);
        expect(firstArrivals).toEqual(oneTo(firstArrivals.length));
      }
    });

    it('gives up on a batch after maxAttempts, naming the seqs of every ticker that never reached Kafka', async () => {
      const broker = fakeBroker(() => 'before-storing');
      const { seen, onBatchError } = failures();
      const error = await produceQuotes({ send: broker.send, model: model(), rate: 0, batchSize: 10, maxInFlight: 1, retryBackoffMs: 1, onBatchError }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(QuotesNotSentError);
      expect(error).toMatchObject({
        code: 'QUOTES_NOT_SENT',
        message: 'broker gone; 10 quotes never reached Kafka: ETH seq 1-5, BTC seq 1-5',
        quotes: 10,
        unsent: [{ ticker: 'ETH', from: 1, to: 5 }, { ticker: 'BTC', from: 1, to: 5 }],
        cause: new TransportError('broker gone'),
      });
      expect(seen).toEqual([[10, true], [10, true], [10, false]]);
      expect(broker.attempts).toHaveLength(3);
      expect(new Set(broker.attempts).size).toBe(1);
    });

    it('stops at once on a non-retriable failure, sends nothing after it, and names what was left', async () => {
      const broker = fakeBroker((send) => (send === 2 ? 'before-storing' : undefined), () => new AuthError('denied', { hint: 'check the password' }));
      const error = (await produceQuotes({ send: broker.send, model: model(), count: 10_000, rate: 0, batchSize: 100, maxInFlight: 2 }).catch(
        (caught: unknown) => caught,
      )) as QuotesNotSentError;
      expect(error).toMatchObject({ code: 'QUOTES_NOT_SENT', hint: 'check the password' });
      expect(error.cause).toBeInstanceOf(AuthError);
      expect(error.message).toMatch(/^denied; \d+ quotes never reached Kafka: ETH seq \d+-\d+, BTC seq \d+-\d+, AAPL seq \d+-\d+$/);
      expect(broker.attempts).toHaveLength(2);
      expectNoHiddenGap(broker.seqsByTicker(), error);
    });

    it('when one partition fails for good, every seq is either in Kafka or named, per ticker', async () => {
      const broker = fakeBroker((send, messages) => (send > 4 && messages[0]?.partition === 1 ? 'before-storing' : undefined));
      const error = (await produceQuotes({
        send: broker.send, model: model(), count: 6_000, rate: 0, batchSize: 300, maxInFlight: 2, partitionOf, retryBackoffMs: 1,
      }).catch((caught: unknown) => caught)) as QuotesNotSentError;
      expect(error.code).toBe('QUOTES_NOT_SENT');
      expect(error.unsent.map((range) => range.ticker)).toContain('ETH');
      expectNoHiddenGap(broker.seqsByTicker(), error);
    });

    /** Per ticker: what Kafka holds is seq 1..k in order, and the error names exactly k+1..last made. */
    function expectNoHiddenGap(stored: Map<string, number[]>, error: QuotesNotSentError): void {
      for (const ticker of new Set([...stored.keys(), ...error.unsent.map((range) => range.ticker)])) {
        const seqs = stored.get(ticker) ?? [];
        expect(seqs).toEqual(oneTo(seqs.length));
        const ranges = error.unsent.filter((range) => range.ticker === ticker);
        expect(ranges.length).toBeLessThanOrEqual(1);
        if (ranges[0]) expect(ranges[0].from).toBe(seqs.length + 1);
      }
    }

    it('on Ctrl-C still delivers a batch that is being retried (the flush)', async () => {
      const controller = new AbortController();
      const broker = fakeBroker((send) => {
        if (send === 3) {
          controller.abort();
          return 'before-storing';
        }
        return undefined;
      });
      const summary = await produceQuotes({
        send: broker.send, model: model(), rate: 0, batchSize: 10, maxInFlight: 2, retryBackoffMs: 1, signal: controller.signal,
      });
      expect(summary).toMatchObject({ interrupted: true, errors: 0, retries: 1 });
      expect(summary.sent).toBe(broker.stored.length);
      for (const seqs of broker.seqsByTicker().values()) expect(seqs).toEqual(oneTo(seqs.length));
    });
  });
});
