import { describe, expect, it, vi } from 'vitest';
import { AuthError, GraphQLResponseError, TransportError } from '@tickerflow/core';
import { RelayFatalError } from './relay';
import { acceptAll, quote, records, setupRelay, type Answer } from './test-helpers';
import type { GraphQLRequest, RelayLogger } from './types';

/** Three quotes A-1..A-3 in one request: offsets 0..2. */
const three = () => records([quote('A', 1), quote('A', 2), quote('A', 3)]);
const ALL = ['A-1', 'A-2', 'A-3'];

/** 50 ms is the first backoff with random() = 0.5. */
const BACKOFF = 50;

describe('relay: only what AppSync returned counts as accepted', () => {
  it.each<[string, Answer, { sent: string[][]; sleeps: number[]; unexpected: string[] }]>([
    ['{"data":null}', { data: null }, { sent: [ALL, ALL], sleeps: [BACKOFF], unexpected: ['no-data'] }],
    ['{"data":{}}', { data: {} }, { sent: [ALL, ALL], sleeps: [BACKOFF], unexpected: ['no-data'] }],
    ['{} (no data key)', {} as never, { sent: [ALL, ALL], sleeps: [BACKOFF], unexpected: ['no-data'] }],
    [
      'an HTML page with 200 (the publisher refuses it)',
      new GraphQLResponseError('http://x/graphql answered HTTP 200 with content-type text/html: <html>', { status: 200 }),
      { sent: [ALL, ALL], sleeps: [BACKOFF], unexpected: ['not-graphql'] },
    ],
    [
      'another 4xx (404)',
      new GraphQLResponseError('http://x/graphql answered HTTP 404: Not Found', { status: 404 }),
      { sent: [ALL, ALL], sleeps: [BACKOFF], unexpected: ['http-status'] },
    ],
    [
      'a request-level validation error (no path)',
      { data: null, errors: [{ message: 'Validation error of type FieldUndefined', errorType: 'ValidationError' }] },
      { sent: [ALL, ALL], sleeps: [BACKOFF], unexpected: ['request-error'] },
    ],
    [
      'a transient request-level error (no path)',
      { data: null, errors: [{ message: 'took too long', errorType: 'ExecutionTimeout' }] },
      { sent: [ALL, ALL], sleeps: [BACKOFF], unexpected: [] },
    ],
    ['a 503', new TransportError('503'), { sent: [ALL, ALL], sleeps: [BACKOFF], unexpected: [] }],
    [
      'a transient error at one alias',
      { data: { q0: {}, q1: null, q2: {} }, errors: [{ message: 'busy', errorType: 'DynamoDB:ProvisionedThroughputExceededException', path: ['q1'] }] },
      { sent: [ALL, ['A-2']], sleeps: [], unexpected: [] },
    ],
    [
      'one alias null without an error',
      { data: { q0: {}, q1: null, q2: {} } },
      { sent: [ALL, ['A-2']], sleeps: [], unexpected: ['no-data'] },
    ],
  ])('%s: nothing dead-lettered, the quotes without data sent again until accepted', async (_name, first, expected) => {
    const unexpected: string[] = [];
    const published = vi.fn();
    const { relay, publisher, letters, sleeps, handled, control } = setupRelay([first], {}, { unexpectedAnswer: (kind) => void unexpected.push(kind), published });
    expect(await relay.relayBatch(three(), 0, control)).toEqual({ complete: true });
    expect(publisher.sent).toEqual(expected.sent);
    expect(sleeps).toEqual(expected.sleeps);
    expect(unexpected).toEqual(expected.unexpected);
    expect(letters).toEqual([]);
    expect(published.mock.calls.flat().reduce((a: number, b: number) => a + b, 0)).toBe(3);
    expect(handled).toEqual(['2']);
  });

  it('a non-null mutation type: dead-letters the failing quote, re-sends the others, counts them only once AppSync returns them', async () => {
    const published = vi.fn();
    const nulled = { data: null, errors: [{ message: 'bad', errorType: 'MappingTemplate', path: ['q1', 'price'] }] };
    const { relay, publisher, letters, sleeps, control } = setupRelay([nulled], {}, { published });
    await relay.relayBatch(three(), 0, control);
    expect(publisher.sent).toEqual([ALL, ['A-1', 'A-3']]);
    expect(letters.map((l) => [l.headers['x-source-offset'], l.headers['x-error-message']])).toEqual([['1', 'MappingTemplate: bad']]);
    expect(published.mock.calls).toEqual([[2]]);
    expect(sleeps).toEqual([]);
  });

  it('execution stopped after a failing alias: the later quotes are re-sent', async () => {
    const stopped = { data: { q0: {}, q1: null }, errors: [{ message: 'no', path: ['q1'] }] };
    const { relay, publisher, letters, control } = setupRelay([stopped]);
    await relay.relayBatch(three(), 0, control);
    expect(publisher.sent).toEqual([ALL, ['A-3']]);
    expect(letters.map((l) => l.headers['x-source-offset'])).toEqual(['1']);
  });

  it('never commits past a quote AppSync has not returned, however often it answers without data', async () => {
    const { relay, publisher, handled, control, stop } = setupRelay(
      Array.from({ length: 20 }, (_, i) => (i === 19 ? () => (stop.abort(), { data: null }) : { data: null })),
    );
    expect(await relay.relayBatch(three(), 0, control)).toEqual({ complete: false });
    expect(publisher.sent).toHaveLength(20);
    expect(handled).toEqual([]);
  });

  it('stops the bridge when AppSync refuses the credentials for the mutation field', async () => {
    const { relay, control, handled } = setupRelay([{ data: { q0: null }, errors: [{ message: 'Not Authorized', errorType: 'Unauthorized', path: ['q0'] }] }]);
    const failure = relay.relayBatch(three(), 0, control);
    await expect(failure).rejects.toBeInstanceOf(RelayFatalError);
    await expect(failure).rejects.toThrow('AppSync refused the mutation: Unauthorized: Not Authorized');
    expect(handled).toEqual([]);
  });

  it('stops on 401/403', async () => {
    const { relay, control } = setupRelay([new AuthError('http://x/graphql refused the API key (HTTP 403)')]);
    await expect(relay.relayBatch(three(), 0, control)).rejects.toThrow('AppSync publish failed: http://x/graphql refused the API key (HTTP 403)');
  });

  it('honours Retry-After, capped at 60 s: a far-future date cannot park or spin the partition', async () => {
    const farFuture = Object.assign(new TransportError('429'), { retryAfterMs: Date.parse('2199-01-01T00:00:00Z') - Date.now() });
    const soon = Object.assign(new TransportError('503'), { retryAfterMs: 1_500 });
    const { relay, sleeps, control } = setupRelay([farFuture, soon]);
    await relay.relayBatch(three(), 0, control);
    expect(sleeps).toEqual([60_000, 1_500]);
  });

  it('backs off exponentially while answers stay unexpected', async () => {
    const { relay, sleeps, control } = setupRelay([{ data: null }, { data: null }, { data: null }]);
    await relay.relayBatch(three(), 0, control);
    expect(sleeps).toEqual([50, 100, 200]);
  });
});

describe('relay: unexpected answers surface loudly', () => {
  const clock = () => {
    let t = 1_000_000;
    return { now: () => t, advance: (ms: number) => void (t += ms) };
  };
  const recordingLogger = () => {
    const warnings: string[] = [];
    const logger: RelayLogger = { debug() {}, info() {}, error() {}, warn: (_o, message) => void warnings.push(message ?? '') };
    return { logger, warnings };
  };

  it('warns at most once a minute, and reports not accepting until a quote is accepted', async () => {
    const time = clock();
    const { logger, warnings } = recordingLogger();
    const seen: boolean[] = [];
    const state = { accepting: (): boolean => true };
    const script: Answer[] = [
      { data: null },
      () => (seen.push(state.accepting()), time.advance(30_000), { data: null }),
      () => (time.advance(31_000), { data: null }),
      (request: GraphQLRequest) => (seen.push(state.accepting()), acceptAll(request)),
    ];
    const { relay, control } = setupRelay(script, {}, {}, { logger, now: time.now });
    state.accepting = relay.accepting;
    expect(relay.accepting()).toBe(true);
    await relay.relayBatch(three(), 0, control);
    expect(seen).toEqual([false, false]);
    expect(relay.accepting()).toBe(true);
    const alarms = warnings.filter((w) => w.startsWith('AppSync answered without accepting'));
    expect(alarms).toHaveLength(2);
  });
});
