import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_FIELDS,
  SUBSCRIBE_BY_TICKER,
  b64,
  startTestServer,
  tickerMutation,
  tickerMutationField,
  type TestClient,
  type TestServer,
} from './harness';

const NO_CREDENTIALS = 'Valid authorization header not provided.';
const NOT_AUTHORIZED = 'You are not authorized to make this call.';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ maxSubscriptionsPerConnection: 5, maxMessageBytes: 4096 });
});
afterAll(async () => {
  await t.close();
});
afterEach(() => {
  for (const client of t.clients.splice(0)) client.close();
});

/** After any misbehaviour, prove the server still serves a fresh client end to end. */
async function expectServerStillServes(): Promise<void> {
  const client = await t.ready();
  await t.subscribe(client, 'probe', SUBSCRIBE_BY_TICKER, { ticker: 'PROBE' });
  const answer = await t.post({ query: tickerMutation([['PROBE', 1]]) });
  expect(answer.status).toBe(200);
  const data = await client.waitForType('data', 'probe');
  expect(data.payload.data.tickerlocal.ticker).toBe('PROBE');
  client.close();
}

describe('connection lifecycle', () => {
  it('answers connection_init with connection_ack announcing connectionTimeoutMs, then keeps alive', async () => {
    const client = t.connect();
    await client.opened;
    expect(client.socket.protocol).toBe('graphql-ws');
    client.send({ type: 'connection_init' });
    expect(await client.waitForMessage()).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 300000 } });
    expect(await client.waitForMessage()).toEqual({ type: 'ka' });
  });

  it.each([
    ['query-parameter header at /graphql/realtime', (s: TestServer) => s.connect()],
    ['query-parameter header at /graphql', (s: TestServer) => s.connect({ path: '/graphql' })],
    ['subprotocol header at /graphql', (s: TestServer) => s.connectWithSubprotocol({ path: '/graphql' })],
    ['subprotocol header at /graphql/realtime', (s: TestServer) => s.connectWithSubprotocol()],
  ])('accepts the %s and selects graphql-ws', async (_name, open) => {
    const client = open(t);
    await client.opened;
    expect(client.socket.protocol).toBe('graphql-ws');
    client.send({ type: 'connection_init' });
    await client.waitForType('connection_ack');
    await t.subscribe(client, 'x', SUBSCRIBE_BY_TICKER, { ticker: 'T1' });
  });

  it('refuses /graphql upgrades that do not offer graphql-ws', async () => {
    const client = t.connect({ path: '/graphql', protocols: [] });
    await expect(client.opened).rejects.toThrow('unexpected response 400');
  });

  it('refuses other paths with 404', async () => {
    const client = t.connect({ path: '/nope' });
    await expect(client.opened).rejects.toThrow('unexpected response 404');
  });

  it('sends ka at the configured interval', async () => {
    const fast = await startTestServer({ keepAliveIntervalMs: 100, connectionTimeoutMs: 1000 });
    try {
      const client = fast.connect();
      await client.opened;
      client.send({ type: 'connection_init' });
      expect((await client.waitForType('connection_ack')).payload).toEqual({ connectionTimeoutMs: 1000 });
      const started = Date.now();
      await client.waitForCount('ka', 5, 2000); // one right after the ack, then every 100 ms
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(350);
      expect(elapsed).toBeLessThan(1200);
    } finally {
      await fast.close();
    }
  });
});

describe('authorization on connect', () => {
  async function expectRefused(client: TestClient, message: string): Promise<void> {
    const frame = await client.waitForType('connection_error');
    expect(frame).toEqual({
      type: 'connection_error',
      payload: { errors: [{ errorType: 'UnauthorizedException', message, errorCode: 401 }] },
    });
    expect((await client.closed).code).toBe(1008);
    await expectServerStillServes();
  }

  it('refuses a connection without a header', async () => {
    await expectRefused(t.connect({ header: null }), NO_CREDENTIALS);
  });
  it('refuses a wrong key in the query-parameter header', async () => {
    await expectRefused(t.connect({ apiKey: 'da2-wrong' }), NOT_AUTHORIZED);
  });
  it('refuses a wrong key in the subprotocol header', async () => {
    await expectRefused(t.connectWithSubprotocol({ apiKey: 'da2-wrong' }), NOT_AUTHORIZED);
  });
  it('refuses garbage base64 in header', async () => {
    await expectRefused(t.connect({ header: '%%%garbage!!' }), NO_CREDENTIALS);
  });
  it('refuses base64 of something that is not a JSON object', async () => {
    await expectRefused(t.connect({ header: Buffer.from('meow').toString('base64') }), NO_CREDENTIALS);
  });
  it('refuses a header without x-api-key', async () => {
    await expectRefused(t.connect({ header: b64({ host: t.host }) }), NO_CREDENTIALS);
  });
});

describe('start', () => {
  it('refuses a start without authorization or with a wrong key, and the connection lives on', async () => {
    const client = await t.ready();
    client.send({ id: 'a', type: 'start', payload: { data: JSON.stringify({ query: SUBSCRIBE_BY_TICKER, variables: {} }) } });
    expect(await client.waitForType('error', 'a')).toEqual({
      type: 'error',
      id: 'a',
      payload: { errors: [{ errorType: 'UnauthorizedException', message: NO_CREDENTIALS, errorCode: 401 }] },
    });
    t.start(client, 'b', SUBSCRIBE_BY_TICKER, {}, 'da2-wrong');
    expect((await client.waitForType('error', 'b')).payload.errors[0]).toMatchObject({ errorType: 'UnauthorizedException', message: NOT_AUTHORIZED });
    await t.subscribe(client, 'c', SUBSCRIBE_BY_TICKER, { ticker: 'AUTH' });
    await expectServerStillServes();
  });

  it.each([
    ['a query', '{ getTickerdata(id: "x") { id } }', 'query not supported through the realtime channel'],
    ['a mutation', `mutation { ${tickerMutationField('a', 'X', 1)} }`, 'mutation not supported through the realtime channel'],
  ])('refuses %s with UnsupportedOperation', async (_name, query, message) => {
    const client = await t.ready();
    t.start(client, 'op', query);
    expect((await client.waitForType('error', 'op')).payload.errors).toEqual([{ errorType: 'UnsupportedOperation', message }]);
  });

  it.each([
    ['an unknown field', 'subscription { tickerlocal { badfield } }', "Validation error of type FieldUndefined: Field 'badfield' in type 'Tickerdata' is undefined @ 'tickerlocal/badfield'"],
    ['an unknown argument', 'subscription { tickerlocal(symbol: "X") { id } }', "Validation error of type UnknownArgument: Unknown field argument symbol @ 'tickerlocal'"],
    ['an unknown subscription field', 'subscription { quotes { id } }', "Validation error of type FieldUndefined: Field 'quotes' in type 'Subscription' is undefined @ 'quotes'"],
    ['a document that does not parse', 'subscription { tickerlocal { id }', 'Invalid Syntax : '],
    ['an argument of the wrong type', 'subscription { tickerlocal(ticker: 5) { id } }', 'Validation error of type WrongType: '],
  ])('refuses %s with a validation error', async (_name, query, message) => {
    const client = await t.ready();
    t.start(client, 'v', query);
    const error = await client.waitForType('error', 'v');
    expect(error.payload.errors[0].errorType).toBe('ValidationError');
    expect(error.payload.errors[0].message).toContain(message);
    await t.subscribe(client, 'after', SUBSCRIBE_BY_TICKER, {});
  });

  it('refuses variables of the wrong type', async () => {
    const client = await t.ready();
    t.start(client, 'v', SUBSCRIBE_BY_TICKER, { ticker: 42 });
    const error = await client.waitForType('error', 'v');
    expect(error.payload.errors[0]).toMatchObject({ errorType: 'ValidationError' });
    expect(error.payload.errors[0].message).toContain('$ticker');
  });

  it('refuses payload.data that is not a JSON request', async () => {
    const client = await t.ready();
    client.send({ id: 'd', type: 'start', payload: { data: 'not json', extensions: { authorization: t.header() } } });
    expect((await client.waitForType('error', 'd')).payload.errors[0]).toMatchObject({ errorType: 'BadRequestException' });
  });

  it('refuses a duplicate subscription id while it is active, and accepts it again after stop', async () => {
    const client = await t.ready();
    await t.subscribe(client, 'dup', SUBSCRIBE_BY_TICKER, {});
    t.start(client, 'dup', SUBSCRIBE_BY_TICKER, {});
    expect((await client.waitForType('error', 'dup')).payload.errors).toEqual([
      { errorType: 'DuplicatedOperationError', message: 'Duplicated operation with id dup' },
    ]);
    client.send({ type: 'stop', id: 'dup' });
    expect(await client.waitForType('complete', 'dup')).toEqual({ type: 'complete', id: 'dup' });
    await t.subscribe(client, 'dup', SUBSCRIBE_BY_TICKER, {});
  });

  it('refuses subscriptions past the per-connection limit', async () => {
    const client = await t.ready();
    for (let i = 0; i < 5; i += 1) await t.subscribe(client, `s${i}`, SUBSCRIBE_BY_TICKER, {});
    t.start(client, 's5', SUBSCRIBE_BY_TICKER, {});
    expect((await client.waitForType('error', 's5')).payload.errors).toEqual([
      { errorType: 'MaxSubscriptionsReachedError', message: 'Max number of 5 subscriptions reached' },
    ]);
    client.send({ type: 'stop', id: 's0' });
    await client.waitForType('complete', 's0');
    await t.subscribe(client, 's5', SUBSCRIBE_BY_TICKER, {});
  });
});

describe('bad frames', () => {
  it.each([
    ['a non-JSON frame', 'meow', 'client message is not JSON: meow'],
    ['an unknown message type', '{"type":"subscribe","id":"u"}', "unknown client message type 'subscribe'"],
    ['a frame without type', '{"id":"n"}', "client message has no string 'type', got nothing"],
    ['a JSON array', '[1,2]', 'client message must be a JSON object, got an array'],
    ['a start without payload', '{"type":"start","id":"p"}', "'start' message: payload must be an object, got nothing"],
  ])('answers %s with an error and keeps the connection', async (_name, frame, message) => {
    const client = await t.ready();
    client.send(frame);
    const error = await client.waitForType('error');
    expect(error.payload.errors).toEqual([{ errorType: 'BadRequestException', message }]);
    client.send({ type: 'connection_init' });
    await client.waitForType('connection_ack');
    await expectServerStillServes();
  });

  it('answers an over-size frame with LimitExceededError and keeps the connection', async () => {
    const client = await t.ready();
    client.send({ type: 'start', id: 'big', payload: { data: 'x'.repeat(5000) } });
    expect((await client.waitForType('error')).payload.errors).toEqual([
      { errorType: 'LimitExceededError', message: 'Message size exceeds the limit of 4096 bytes.' },
    ]);
    await t.subscribe(client, 'small', SUBSCRIBE_BY_TICKER, {});
    await expectServerStillServes();
  });

  it('survives a client that sends a start with a wrong key and then disconnects abruptly', async () => {
    const client = await t.ready();
    t.start(client, 'w', SUBSCRIBE_BY_TICKER, {}, 'da2-wrong');
    client.socket.terminate();
    await expectServerStillServes();
  });
});

describe('events', () => {
  it('delivers each event to matching subscribers only: literal, variable, and unfiltered', async () => {
    const client = await t.ready();
    await t.subscribe(client, 'lit', `subscription { tickerlocal(ticker: "BTC") { ticker seq } }`);
    await t.subscribe(client, 'var', `subscription S($t: String) { tickerlocal(ticker: $t) { ticker seq } }`, { t: 'BTC' });
    await t.subscribe(client, 'nul', `subscription { tickerlocal(ticker: null) { ticker seq } }`);
    await t.subscribe(client, 'all', `subscription { tickerlocal { ticker seq } }`);
    await t.subscribe(client, 'eth', `subscription { tickerlocal(ticker: "ETH") { ticker seq } }`);
    const answer = await t.post({ query: tickerMutation([['BTC', 1], ['ETH', 1], ['BTC', 2]]) });
    expect(answer.status).toBe(200);
    const byId = async (id: string, count: number) => (await Promise.all(Array.from({ length: count }, () => client.waitForType('data', id)))).map((f) => f.payload.data.tickerlocal);
    expect(await byId('lit', 2)).toEqual([{ ticker: 'BTC', seq: 1 }, { ticker: 'BTC', seq: 2 }]);
    expect(await byId('var', 2)).toEqual([{ ticker: 'BTC', seq: 1 }, { ticker: 'BTC', seq: 2 }]);
    expect(await byId('nul', 3)).toEqual([{ ticker: 'BTC', seq: 1 }, { ticker: 'ETH', seq: 1 }, { ticker: 'BTC', seq: 2 }]);
    expect(await byId('all', 3)).toEqual([{ ticker: 'BTC', seq: 1 }, { ticker: 'ETH', seq: 1 }, { ticker: 'BTC', seq: 2 }]);
    expect(await byId('eth', 1)).toEqual([{ ticker: 'ETH', seq: 1 }]);
    await client.expectNoMessage((f) => f.type === 'data');
  });

  it('sends data frames in the documented shape', async () => {
    const client = await t.ready();
    await t.subscribe(client, 'shape', `subscription { tickerlocal(ticker: "SHAPE") { ${ALL_FIELDS} } }`);
    await t.post({ query: tickerMutation([['SHAPE', 7]]) });
    expect(await client.waitForType('data', 'shape')).toEqual({
      type: 'data',
      id: 'shape',
      payload: {
        data: {
          tickerlocal: { id: 'SHAPE-7', ticker: 'SHAPE', seq: 7, price: 107.5, bid: 107.25, ask: 107.75, size: 2, matchtime: '2026-11-25T02:30:00.123Z', ts: 1795574436057 },
        },
      },
    });
  });

  it("gives subscribers only the fields the mutation selected; the rest arrive as null", async () => {
    const client = await t.ready();
    await t.subscribe(client, 'sel', `subscription { tickerlocal(ticker: "SEL") { ticker price bid t: ts } }`);
    await t.post({ query: `mutation { ${tickerMutationField('a', 'SEL', 1, 'ticker price')} }` });
    expect((await client.waitForType('data', 'sel')).payload.data).toEqual({ tickerlocal: { ticker: 'SEL', price: 101.5, bid: null, t: null } });
  });

  it('filters on the mutation result: a filter field the mutation did not select never matches', async () => {
    const client = await t.ready();
    await t.subscribe(client, 'f', `subscription { tickerlocal(ticker: "NOSEL") { price } }`);
    await t.subscribe(client, 'u', `subscription { tickerlocal { price } }`);
    await t.post({ query: `mutation { ${tickerMutationField('a', 'NOSEL', 1, 'price')} }` });
    expect((await client.waitForType('data', 'u')).payload.data).toEqual({ tickerlocal: { price: 101.5 } });
    await client.expectNoMessage((f) => f.id === 'f');
  });

  it('publishes aliased mutation fields in document order, each as its own event', async () => {
    const client = await t.ready();
    await t.subscribe(client, 'ord', `subscription { tickerlocal(ticker: "ORD") { seq } }`);
    const seqs = [5, 3, 9, 1, 7, 2, 8];
    await t.post({ query: tickerMutation(seqs.map((seq) => ['ORD', seq] as [string, number])) });
    const frames = await client.waitForCount('data', seqs.length);
    expect(frames.map((f) => f.payload.data.tickerlocal.seq)).toEqual(seqs);
  });

  it('uses the subscriber alias of the subscription field as the data key', async () => {
    const client = await t.ready();
    await t.subscribe(client, 'al', `subscription { quote: tickerlocal(ticker: "AL") { p: price __typename } }`);
    await t.post({ query: tickerMutation([['AL', 1]]) });
    expect((await client.waitForType('data', 'al')).payload.data).toEqual({ quote: { p: 101.5, __typename: 'Tickerdata' } });
  });

  it('publishes mutations sent with variables exactly like literals', async () => {
    const client = await t.ready();
    await t.subscribe(client, 'mv', `subscription { tickerlocal(ticker: "MV") { id seq price } }`);
    const query = `mutation P($id: String!, $ticker: String!, $seq: Int!, $price: Float!, $ts: Float!) {
      tickerlocal(id: $id, ticker: $ticker, seq: $seq, price: $price, bid: 1, ask: 2, size: 3, matchtime: "2026-11-25T02:30:00.123Z", ts: $ts) { id ticker seq price }
    }`;
    const answer = await t.post({ query, variables: { id: 'mv-1', ticker: 'MV', seq: 3, price: 9.5, ts: 1795574436050 } });
    expect(answer.body).toEqual({ data: { tickerlocal: { id: 'mv-1', ticker: 'MV', seq: 3, price: 9.5 } } });
    expect((await client.waitForType('data', 'mv')).payload.data).toEqual({ tickerlocal: { id: 'mv-1', seq: 3, price: 9.5 } });
  });

  it('stops delivery after stop → complete', async () => {
    const client = await t.ready();
    await t.subscribe(client, 'st', `subscription { tickerlocal(ticker: "ST") { seq } }`);
    client.send({ type: 'stop', id: 'st' });
    expect(await client.waitForType('complete', 'st')).toEqual({ type: 'complete', id: 'st' });
    await t.post({ query: tickerMutation([['ST', 1]]) });
    await client.expectNoMessage((f) => f.type === 'data');
  });

  it('does not publish mutations that failed validation', async () => {
    const client = await t.ready();
    await t.subscribe(client, 'inv', `subscription { tickerlocal(ticker: "INV") { seq } }`);
    const answer = await t.post({ query: `mutation { tickerlocal(id: "x", ticker: "INV", seq: "one", price: 1, bid: 1, ask: 1, size: 1, matchtime: "x", ts: 1) { seq } }` });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toBeNull();
    await client.expectNoMessage((f) => f.type === 'data');
  });
});
