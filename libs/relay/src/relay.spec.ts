import { describe, expect, it, vi } from 'vitest';
import { AuthError, TransportError } from '@tickerflow/core';
import { createLimiter } from './limiter';
import { RelayFatalError } from './relay';
import { acceptAll, quote, records, sentQuotes, setupRelay as setup } from './test-helpers';
import type { GraphQLRequest, GraphQLResult } from './types';

const quotes = (n: number, ticker = 'AAPL') => Array.from({ length: n }, (_, i) => quote(ticker, i + 1));

describe('relayBatch', () => {
  it('sends quotes in order, in requests of at most batchSize, and reports progress after each', async () => {
    const { relay, publisher, handled, control } = setup([], { batchSize: 2 });
    const outcome = await relay.relayBatch(records(quotes(5), 100), 0, control);
    expect(outcome).toEqual({ complete: true });
    expect(publisher.sent).toEqual([['AAPL-1', 'AAPL-2'], ['AAPL-3', 'AAPL-4'], ['AAPL-5']]);
    expect(handled).toEqual(['101', '103', '104']);
  });

  it('dead-letters bad records with their reason and relays the rest', async () => {
    const deadLettered = vi.fn();
    const { relay, publisher, letters, handled, control } = setup([], {}, { deadLettered });
    const batch = records(['not json', quote('A', 1), JSON.stringify({ ...quote('A', 2), price: -1 }), null, quote('A', 3)]);
    await relay.relayBatch(batch, 0, control);
    expect(publisher.sent).toEqual([['A-1', 'A-3']]);
    expect(letters.map((l) => [l.headers['x-source-offset'], l.headers['x-error-code']])).toEqual([
      ['0', 'not-json'],
      ['2', 'invalid-quote'],
      ['3', 'empty-value'],
    ]);
    expect(letters[1]?.headers['x-error-message']).toBe('price must be a number > 0, got -1');
    expect(letters[0]?.value?.toString()).toBe('not json');
    expect(handled).toEqual(['0', '4']);
    expect(deadLettered).toHaveBeenCalledWith('not-json', 1);
  });

  it('retries the same request on transient failures, honouring Retry-After, without reordering', async () => {
    const retried = vi.fn();
    const throttled = Object.assign(new TransportError('429'), { retryAfterMs: 1500 });
    const { relay, publisher, sleeps, handled, control } = setup(
      [new TransportError('503'), throttled],
      { batchSize: 2 },
      { retried },
    );
    await relay.relayBatch(records(quotes(3)), 0, control);
    expect(publisher.sent).toEqual([['AAPL-1', 'AAPL-2'], ['AAPL-1', 'AAPL-2'], ['AAPL-1', 'AAPL-2'], ['AAPL-3']]);
    expect(sleeps).toEqual([50, 1500]);
    expect(retried).toHaveBeenCalledTimes(2);
    expect(handled).toEqual(['1', '2']);
  });

  it('dead-letters a quote AppSync rejects by alias and keeps the others', async () => {
    const published = vi.fn();
    const { relay, letters, handled, control } = setup(
      [{ data: { q0: {}, q1: null, q2: {} }, errors: [{ message: 'bad price', errorType: 'ValidationError', path: ['q1'] }] }],
      {},
      { published },
    );
    await relay.relayBatch(records(quotes(3)), 0, control);
    expect(letters).toHaveLength(1);
    expect(letters[0]?.headers['x-source-offset']).toBe('1');
    expect(letters[0]?.headers['x-error-code']).toBe('rejected-by-appsync');
    expect(letters[0]?.headers['x-error-message']).toBe('ValidationError: bad price');
    expect(handled).toEqual(['2']);
    expect(published.mock.calls).toEqual([[2]]);
  });

  it('stops on a refused key', async () => {
    const { relay, control, handled } = setup([new AuthError('401 UnauthorizedException')]);
    await expect(relay.relayBatch(records(quotes(2)), 0, control)).rejects.toThrow(RelayFatalError);
    expect(handled).toEqual([]);
  });

  it('stops when AppSync refuses quote after quote', async () => {
    const refuse = (request: GraphQLRequest): GraphQLResult => ({
      data: { q0: null },
      errors: [{ message: `no ${sentQuotes(request)[0]}`, errorType: 'MappingTemplate', path: ['q0'] }],
    });
    const { relay, control } = setup(Array(50).fill(refuse), { maxConsecutiveRejections: 3, batchSize: 1 });
    await expect(relay.relayBatch(records(quotes(5)), 0, control)).rejects.toThrow('AppSync refused the last 3 quotes in a row');
  });

  it('gives up retrying when stopped and reports only what was accepted', async () => {
    const { relay, control, stop, handled } = setup(
      [acceptAll, () => (stop.abort(), new TransportError('503'))],
      { batchSize: 1 },
    );
    const outcome = await relay.relayBatch(records(quotes(3)), 0, control);
    expect(outcome).toEqual({ complete: false });
    expect(handled).toEqual(['0']);
  });

  it('conflates to the latest quote per ticker when behind', async () => {
    const conflated = vi.fn();
    const { relay, publisher, handled, control } = setup([], { conflate: true, conflateLag: 100 }, { conflated });
    const batch = records([quote('A', 1), quote('B', 1), quote('A', 2), quote('A', 3), quote('B', 2)]);
    await relay.relayBatch(batch, 1000, control);
    expect(publisher.sent).toEqual([['A-3', 'B-2']]);
    expect(conflated).toHaveBeenCalledWith(3);
    expect(handled.at(-1)).toBe('4');
  });

  it('does not conflate when caught up', async () => {
    const { relay, publisher, control } = setup([], { conflate: true, conflateLag: 100 });
    await relay.relayBatch(records([quote('A', 1), quote('A', 2)]), 10, control);
    expect(publisher.sent).toEqual([['A-1', 'A-2']]);
  });

  it('counts end-to-end latency from the quote ts', async () => {
    const endToEndLatency = vi.fn();
    const { relay, control } = setup([], {}, { endToEndLatency });
    await relay.relayBatch(records([quote('A', 1, { ts: Date.now() - 2000 })]), 0, control);
    expect(endToEndLatency.mock.calls[0]?.[0]).toBeGreaterThanOrEqual(2);
  });
});

describe('createLimiter', () => {
  it('never lets more than the limit run at once', async () => {
    const limiter = createLimiter(2);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const release = await limiter.acquire();
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 1));
        running -= 1;
        release();
      }),
    );
    expect(peak).toBe(2);
    expect(limiter.active).toBe(0);
  });
});
