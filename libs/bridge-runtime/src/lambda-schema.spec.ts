import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { TransportError } from '@tickerflow/core';
import type { DeadLetterRecord, GraphQLRequest, GraphQLResult, KafkaEvent } from '@tickerflow/relay';
import { createKafkaHandler } from './lambda-handler';

const SDL = `type Tickerdata { id: ID! ticker: String! price: Float! matchtime: String }
type Query { getTickerdata(id: ID!): Tickerdata }
type Mutation { tickerlocal(id: ID!, ticker: String!, price: Float!, matchtime: String): Tickerdata! }`;

/** An MSK event of the reference design's records: no key, `id` an integer. */
function event(values: readonly object[]): KafkaEvent {
  return {
    eventSource: 'aws:kafka',
    records: {
      'ticks-0': values.map((value, offset) => ({
        topic: 'ticks',
        partition: 0,
        offset,
        key: null,
        value: Buffer.from(JSON.stringify(value)).toString('base64'),
      })),
    },
  };
}

/** AppSync's answer with data for every aliased call (`q0`, `q1`, …) of the request. */
function acceptEveryAlias(request: GraphQLRequest): GraphQLResult {
  const data: Record<string, unknown> = {};
  for (const match of request.query.matchAll(/\b(q\d+):/g)) data[match[1] as string] = { __typename: 'Tickerdata' };
  return { data };
}

describe('Lambda handler with --schema and --map options', () => {
  it("fills the schema's arguments from the records, mapped and coerced, and dead-letters what cannot be", async () => {
    const requests: GraphQLRequest[] = [];
    const publisher = { publish: async (request: GraphQLRequest): Promise<GraphQLResult> => (requests.push(request), acceptEveryAlias(request)) };
    const letters: DeadLetterRecord[] = [];
    const handler = createKafkaHandler({
      publisher,
      schema: SDL,
      map: { ticker: 'symbol' },
      deadLetters: { send: async (l) => void letters.push(...l) },
      logger: pino({ level: 'silent' }),
    });
    const response = await handler(
      event([
        { symbol: 'BTC', price: 106.66713681140098, matchtime: '2026-12-01T10:50:59.222824', id: 0 },
        { symbol: 'ETH', price: 'n/a', id: 1 },
        { symbol: 'ETH', price: '3012.5', id: 2 },
      ]),
      { getRemainingTimeInMillis: () => 60_000 },
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(requests.map((r) => r.variables)).toEqual([
      { id_0: '0', ticker_0: 'BTC', price_0: 106.66713681140098, matchtime_0: '2026-12-01T10:50:59.222824', id_1: '2', ticker_1: 'ETH', price_1: 3012.5 },
    ]);
    expect(letters.map((l) => [l.headers['x-source-offset'], l.headers['x-error-code'], l.headers['x-error-message']])).toEqual([
      ['1', 'invalid-record', 'price: cannot make a Float of "n/a"'],
    ]);
  });

  it('fails the invocation when the arguments cannot be read yet, and reads them on the next one', async () => {
    let calls = 0;
    const publisher = {
      async publish(request: GraphQLRequest): Promise<GraphQLResult> {
        calls += 1;
        if (request.operationName === 'IntrospectionQuery' && calls === 1) throw new TransportError('ECONNREFUSED');
        return { data: {} };
      },
    };
    const handler = createKafkaHandler({ publisher, logger: pino({ level: 'silent' }) });
    await expect(handler(event([]))).rejects.toThrow('ECONNREFUSED');
    await expect(handler(event([]))).resolves.toEqual({ batchItemFailures: [] });
  });
});
