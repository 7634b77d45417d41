import { describe, expect, it } from 'vitest';
import { createLimiter } from './limiter';
import { slice } from './dispatcher';
import { compileMutation } from './mutation';
import { createRelay, DEFAULT_RELAY_SETTINGS } from './relay';
import { quote, records } from './test-helpers';
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
  it('sends chunks of partitions ready together in one request, and answers each its own part', async () => {
    const requests: GraphQLRequest[] = [];
    const letters: DeadLetterRecord[] = [];
    const relay = createRelay(DEFAULT_RELAY_SETTINGS, {
      publisher: {
        async publish(request) {
          requests.push(request);
          const v = request.variables as Record<string, unknown>;
          // reject the quote of partition 1 (ticker B), wherever it sits in the request
          const index = [0, 1, 2].find((i) => v[`ticker_${i}`] === 'B');
          return index === undefined ? { data: {} } : { data: {}, errors: [{ message: 'no B', path: [`q${index}`] }] };
        },
      },
      template: compileMutation(),
      deadLetters: { send: async (l) => void letters.push(...l) },
      metrics: noMetrics,
      logger: silentLogger,
      limiter: createLimiter(4),
    });
    const never = new AbortController().signal;
    const handled: string[] = [];
    const control = (p: number) => ({ stop: never, abort: never, onHandled: (o: string) => void handled.push(`${p}:${o}`) });
    await Promise.all([
      relay.relayBatch(records([quote('A', 1), quote('A', 2)], 10, 'quotes', 0), 0, control(0)),
      relay.relayBatch(records([quote('B', 1)], 20, 'quotes', 1), 0, control(1)),
    ]);
    expect(requests).toHaveLength(1);
    expect(letters.map((l) => [l.headers['x-source-partition'], l.headers['x-source-offset']])).toEqual([['1', '20']]);
    expect(handled.sort()).toEqual(['0:11', '1:20']);
  });
});
