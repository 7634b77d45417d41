import { describe, expect, it } from 'vitest';
import { createLimiter } from './limiter';
import { slice } from './dispatcher';
import { compileMutation } from './mutation';
import { createRelay, DEFAULT_RELAY_SETTINGS } from './relay';
import { acceptAll, quote, records } from './test-helpers';
import { noMetrics, silentLogger, type DeadLetterRecord, type GraphQLRequest, type GraphQLResult } from './types';

describe('slice', () => {
  it('renumbers aliases and keeps only this part of the errors', () => {
    const result: GraphQLResult = {
      data: { q0: { a: 1 }, q1: null, q2: { a: 3 }, q3: { a: 4 } },
      errors: [
        { message: 'bad', path: ['q1', 'price'] },
        { message: 'general' },
        { message: 'other', path: ['q3'] },
      ],
    };
    expect(slice(result, 1, 2)).toEqual({
      data: { q0: null, q1: { a: 3 } },
      errors: [{ message: 'bad', path: ['q0', 'price'] }, { message: 'general' }],
    });
    expect(slice({ data: null }, 2, 1)).toEqual({ data: null });
  });
});

describe('requests shared by partitions', () => {
  type Answerer = (request: GraphQLRequest, tickers: string[]) => GraphQLResult;

  /** Relays partition 0 (A-1, A-2) and partition 1 (B-1) together; returns each request's quotes and the dead letters. */
  async function relayTwoPartitions(answer: Answerer) {
    const requests: string[][] = [];
    const letters: DeadLetterRecord[] = [];
    const relay = createRelay(DEFAULT_RELAY_SETTINGS, {
      publisher: {
        async publish(request) {
          const v = request.variables as Record<string, unknown>;
          const tickers: string[] = [];
          for (let i = 0; `ticker_${i}` in v; i += 1) tickers.push(`${v[`ticker_${i}`]}-${v[`seq_${i}`]}`);
          requests.push(tickers);
          return answer(request, tickers);
        },
      },
      template: compileMutation(),
      deadLetters: { send: async (l) => void letters.push(...l) },
      metrics: noMetrics,
      logger: silentLogger,
      limiter: createLimiter(4),
      sleep: async () => {},
    });
    const never = new AbortController().signal;
    const handled: string[] = [];
    const control = (p: number) => ({ stop: never, abort: never, onHandled: (o: string) => void handled.push(`${p}:${o}`) });
    await Promise.all([
      relay.relayBatch(records([quote('A', 1), quote('A', 2)], 10, 'quotes', 0), 0, control(0)),
      relay.relayBatch(records([quote('B', 1)], 20, 'quotes', 1), 0, control(1)),
    ]);
    return { requests, letters: letters.map((l) => [l.headers['x-source-partition'], l.headers['x-source-offset']]), handled: handled.sort() };
  }

  it('sends chunks of partitions ready together in one request, and answers each its own part', async () => {
    // reject the quote of partition 1 (B), wherever it sits in the request
    const result = await relayTwoPartitions((request, tickers) => {
      const index = tickers.indexOf('B-1');
      const accepted = acceptAll(request);
      if (index < 0) return accepted;
      return { data: { ...accepted.data, [`q${index}`]: null }, errors: [{ message: 'no B', path: [`q${index}`] }] };
    });
    expect(result.requests).toHaveLength(1);
    expect(result.letters).toEqual([['1', '20']]);
    expect(result.handled).toEqual(['0:11', '1:20']);
  });

  it("a permanent error on one partition's quote that nulls data: only that quote is dead-lettered, the others re-sent unchanged", async () => {
    const result = await relayTwoPartitions((request, tickers) => {
      const index = tickers.indexOf('B-1');
      return index < 0 ? acceptAll(request) : { data: null, errors: [{ message: 'no B', errorType: 'MappingTemplate', path: [`q${index}`] }] };
    });
    expect(result.requests[0]?.sort()).toEqual(['A-1', 'A-2', 'B-1']);
    expect(result.requests.slice(1)).toEqual([['A-1', 'A-2']]);
    expect(result.letters).toEqual([['1', '20']]);
    expect(result.handled).toEqual(['0:11', '1:20']);
  });

  it('a request-level failure: every partition re-sends its own quotes, nothing is dead-lettered', async () => {
    let calls = 0;
    const result = await relayTwoPartitions((request) =>
      (calls += 1) === 1 ? { data: null, errors: [{ message: 'Validation error', errorType: 'ValidationError' }] } : acceptAll(request),
    );
    expect(result.requests.flat().sort()).toEqual(['A-1', 'A-1', 'A-2', 'A-2', 'B-1', 'B-1']);
    expect(result.letters).toEqual([]);
    expect(result.handled).toEqual(['0:11', '1:20']);
  });
});
