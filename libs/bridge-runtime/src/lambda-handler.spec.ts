import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { TransportError } from '@tickerflow/core';
import type { DeadLetterRecord, GraphQLRequest, GraphQLResult, KafkaEvent } from '@tickerflow/relay';
import { createKafkaHandler } from './lambda-handler';

/** Written from AWS's documented MSK example event; mytopic-0 offset 15 is AWS's own record ("Hello, this is a test."). */
const event = JSON.parse(readFileSync(join(import.meta.dirname, '../test/fixtures/msk-event.json'), 'utf8')) as KafkaEvent;

function fakePublisher(fail?: (request: GraphQLRequest) => Error | undefined) {
  const published: string[] = [];
  return {
    published,
    async publish(request: GraphQLRequest): Promise<GraphQLResult> {
      const error = fail?.(request);
      if (error) throw error;
      const v = request.variables as Record<string, unknown>;
      const data: Record<string, unknown> = {};
      for (let i = 0; `ticker_${i}` in v; i += 1) {
        published.push(`${v[`ticker_${i}`]}-${v[`seq_${i}`]}`);
        data[`q${i}`] = { ticker: v[`ticker_${i}`] };
      }
      return { data };
    },
  };
}

describe('Lambda handler with a recorded MSK event', () => {
  it('publishes every good quote in order per partition and dead-letters the bad ones', async () => {
    const publisher = fakePublisher();
    const letters: DeadLetterRecord[] = [];
    const handler = createKafkaHandler({ publisher, deadLetters: { send: async (l) => void letters.push(...l) }, logger: pino({ level: 'silent' }) });
    const response = await handler(event, { getRemainingTimeInMillis: () => 60_000 });
    expect(response).toEqual({ batchItemFailures: [] });
    expect(publisher.published.filter((q) => !q.startsWith('BTC'))).toEqual(['AAPL-1', 'AAPL-2', 'MSFT-1']);
    expect(publisher.published.filter((q) => q.startsWith('BTC'))).toEqual(['BTC-7', 'BTC-9']);
    expect(letters.map((l) => [l.topic, l.headers['x-source-partition'], l.headers['x-source-offset'], l.headers['x-error-code']])).toEqual(
      expect.arrayContaining([
        ['mytopic.dlq', '0', '15', 'not-json'],
        ['mytopic.dlq', '1', '41', 'invalid-quote'],
      ]),
    );
    expect(letters.find((l) => l.headers['x-source-offset'] === '15')?.value?.toString()).toBe('Hello, this is a test.');
  });

  it('reports the first unpublished offset of a partition AppSync keeps failing, so Lambda retries from there', async () => {
    const publisher = fakePublisher((request) =>
      (request.variables as Record<string, unknown>)['ticker_0'] === 'MSFT' || (request.variables as Record<string, unknown>)['ticker_1'] === 'MSFT'
        ? new TransportError('503 Service Unavailable')
        : undefined,
    );
    const handler = createKafkaHandler({
      publisher,
      deadLetters: { send: async () => {} },
      logger: pino({ level: 'silent' }),
      batchSize: 2,
      safetyMarginMs: 950,
    });
    const response = await handler(event, { getRemainingTimeInMillis: () => 1_000 });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: { partition: 'mytopic-0', offset: 18 } }] });
    expect(publisher.published).toContain('AAPL-2');
  });
});
