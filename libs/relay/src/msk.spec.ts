import { describe, expect, it } from 'vitest';
import { AuthError } from '@tickerflow/core';
import { createLimiter } from './limiter';
import { relayKafkaEvent, type KafkaEvent } from './msk';
import { compileMutation } from './mutation';
import { createRelay, DEFAULT_RELAY_SETTINGS } from './relay';
import { acceptAll, quote } from './test-helpers';
import { noMetrics, silentLogger } from './types';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64');

const event: KafkaEvent = {
  eventSource: 'aws:kafka',
  records: {
    'quotes-0': [0, 1, 2].map((offset) => ({ topic: 'quotes', partition: 0, offset, value: b64(quote('A', offset + 1)) })),
    'quotes-1': [7, 8].map((offset) => ({ topic: 'quotes', partition: 1, offset, value: b64(quote('B', offset)) })),
  },
};

describe('relayKafkaEvent', () => {
  it('reports the first unhandled offset of a partition that could not finish', async () => {
    const relay = createRelay(
      { ...DEFAULT_RELAY_SETTINGS, batchSize: 1 },
      {
        publisher: {
          async publish(request) {
            if (request.variables?.['ticker_0'] === 'A' && request.variables['seq_0'] === 2) throw new AuthError('401');
            return acceptAll(request);
          },
        },
        template: compileMutation(),
        deadLetters: { send: async () => {} },
        metrics: noMetrics,
        logger: silentLogger,
        limiter: createLimiter(1),
        sleep: async () => {},
      },
    );
    const errors: string[] = [];
    const response = await relayKafkaEvent(event, relay, { onPartitionError: (key) => void errors.push(key) });
    expect(errors).toEqual(['quotes-0']);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: { partition: 'quotes-0', offset: 1 } }] });
  });
});
