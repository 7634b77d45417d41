import { describe, expect, it } from 'vitest';
import { AuthError, TransportError } from '@tickerflow/core';
import { createPriceModel, decodeQuote, validateQuote } from '@tickerflow/quote';
import { produceQuotes, type QuoteMessage, type SendBatch } from './produce';

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

  it('stops at once on a non-retriable failure, sending nothing after it', async () => {
    const r = recorder((batch) => (batch === 2 ? Promise.reject(new AuthError('denied')) : Promise.resolve()));
    await expect(produceQuotes({ send: r.send, model: model(), count: 10_000, rate: 0, batchSize: 100, maxInFlight: 2 })).rejects.toThrow(
      new AuthError('denied'),
    );
    expect(r.batches.length).toBe(2);
  });

  it('gives up after three failed batches in a row', async () => {
    const errors: number[] = [];
    const r = recorder(() => Promise.reject(new TransportError('broker gone')));
    await expect(
      produceQuotes({ send: r.send, model: model(), rate: 0, batchSize: 10, maxInFlight: 1, onBatchError: (_e, n) => errors.push(n) }),
    ).rejects.toThrow('broker gone');
    expect(errors).toEqual([10, 10, 10]);
  });

  it('counts a failed batch and goes on, but fails a counted run that lost quotes', async () => {
    const r = recorder((batch) => (batch === 2 ? Promise.reject(new Error('timeout')) : Promise.resolve()));
    await expect(produceQuotes({ send: r.send, model: model(), count: 50, rate: 0, batchSize: 10, maxInFlight: 1 })).rejects.toMatchObject({
      code: 'SEND_FAILED',
      message: '10 of 50 quotes could not be sent (last error: timeout)',
    });
    expect(r.batches.flat()).toHaveLength(50);
  });
});
