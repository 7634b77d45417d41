import { describe, expect, it } from 'vitest';
import { interpretResponse, type HttpAnswer } from '@tickerflow/appsync-client';
import {
  compileMutation,
  createLimiter,
  createRelay,
  DEFAULT_RELAY_SETTINGS,
  noMetrics,
  silentLogger,
  type DeadLetterRecord,
  type GraphQLRequest,
  type SourceRecord,
} from '@tickerflow/relay';
import { encodeQuote } from '@tickerflow/quote';
import { quote } from '@tickerflow/test-support';

/**
 * HTTP answers as the wire carries them, through appsync-client's interpretResponse into the
 * relay: what the bridge does with each. The first answer is scripted; AppSync accepts after.
 */
const JSON_TYPE = 'application/json; charset=UTF-8';
const records: SourceRecord[] = [1, 2].map((seq, index) => ({
  topic: 'quotes',
  partition: 0,
  offset: String(index),
  key: null,
  value: encodeQuote(quote('A', seq)),
}));

function accepted(request: GraphQLRequest): HttpAnswer {
  const data: Record<string, unknown> = {};
  for (const match of request.query.matchAll(/\b(q\d+):/g)) data[match[1] as string] = { id: 'x' };
  return { status: 200, contentType: JSON_TYPE, text: JSON.stringify({ data }) };
}

async function relayWith(first: HttpAnswer) {
  const script: HttpAnswer[] = [first];
  const sleeps: number[] = [];
  const letters: DeadLetterRecord[] = [];
  const unexpected: string[] = [];
  let requests = 0;
  const relay = createRelay(DEFAULT_RELAY_SETTINGS, {
    publisher: {
      async publish(request) {
        requests += 1;
        return interpretResponse(script.shift() ?? accepted(request), 'http://appsync/graphql');
      },
    },
    template: compileMutation(),
    deadLetters: { send: async (batch) => void letters.push(...batch) },
    metrics: { ...noMetrics, unexpectedAnswer: (kind) => void unexpected.push(kind) },
    logger: silentLogger,
    limiter: createLimiter(1),
    random: () => 0.5,
    sleep: async (ms) => void sleeps.push(ms),
  });
  const handled: string[] = [];
  const never = new AbortController().signal;
  const outcome = relay.relayBatch(records, 0, { stop: never, abort: never, onHandled: (offset) => void handled.push(offset) });
  return { outcome, sleeps, letters, unexpected, handled, requests: () => requests };
}

describe('HTTP answers through the publisher into the relay', () => {
  it.each<[string, HttpAnswer, { sleeps: number[]; unexpected: string[] }]>([
    ['200 {"data":null}', { status: 200, contentType: JSON_TYPE, text: '{"data":null}' }, { sleeps: [50], unexpected: ['no-data'] }],
    ['200 {}', { status: 200, contentType: JSON_TYPE, text: '{}' }, { sleeps: [50], unexpected: ['not-graphql'] }],
    ['200 HTML', { status: 200, contentType: 'text/html', text: '<html><body>Sign in</body></html>' }, { sleeps: [50], unexpected: ['not-graphql'] }],
    ['200 JSON as text/plain', { status: 200, contentType: 'text/plain', text: '{"data":{"q0":{},"q1":{}}}' }, { sleeps: [50], unexpected: ['not-graphql'] }],
    ['400 MalformedHttpRequestException', { status: 400, contentType: JSON_TYPE, text: '{"errors":[{"errorType":"MalformedHttpRequestException","message":"x"}]}' }, { sleeps: [50], unexpected: ['http-status'] }],
    ['404 HTML', { status: 404, contentType: 'text/html', text: 'Not Found' }, { sleeps: [50], unexpected: ['http-status'] }],
    ['408', { status: 408, contentType: 'text/plain', text: '' }, { sleeps: [50], unexpected: [] }],
    ['425', { status: 425, contentType: 'text/plain', text: '' }, { sleeps: [50], unexpected: [] }],
    ['429 Retry-After: 2', { status: 429, contentType: JSON_TYPE, retryAfter: '2', text: '{"errors":[{"errorType":"TooManyRequestsException","message":"slow"}]}' }, { sleeps: [2_000], unexpected: [] }],
    ['503 Retry-After far in the future', { status: 503, contentType: 'text/plain', retryAfter: 'Fri, 31 Dec 2199 23:59:59 GMT', text: '' }, { sleeps: [60_000], unexpected: [] }],
    ['500 Retry-After: 86400', { status: 500, contentType: 'text/plain', retryAfter: '86400', text: '' }, { sleeps: [60_000], unexpected: [] }],
  ])('%s: retried, nothing dead-lettered, committed only after AppSync returns the data', async (_name, first, expected) => {
    const run = await relayWith(first);
    expect(await run.outcome).toEqual({ complete: true });
    expect(run.requests()).toBe(2);
    expect(run.sleeps).toEqual(expected.sleeps);
    expect(run.unexpected).toEqual(expected.unexpected);
    expect(run.letters).toEqual([]);
    expect(run.handled).toEqual(['1']);
  });

  it.each([401, 403])('%i stops the bridge', async (status) => {
    const run = await relayWith({ status, contentType: JSON_TYPE, text: '{"errors":[{"errorType":"UnauthorizedException","message":"no"}]}' });
    await expect(run.outcome).rejects.toThrow(`AppSync publish failed: http://appsync/graphql refused the API key (HTTP ${status}: UnauthorizedException: no)`);
    expect(run.handled).toEqual([]);
  });

  it('a permanent error at one alias dead-letters that quote only', async () => {
    const run = await relayWith({
      status: 200,
      contentType: JSON_TYPE,
      text: '{"data":{"q0":null,"q1":{"id":"x"}},"errors":[{"errorType":"MappingTemplate","message":"bad","path":["q0"]}]}',
    });
    expect(await run.outcome).toEqual({ complete: true });
    expect(run.requests()).toBe(1);
    expect(run.letters.map((l) => [l.headers['x-source-offset'], l.headers['x-error-message']])).toEqual([['0', 'MappingTemplate: bad']]);
  });
});
