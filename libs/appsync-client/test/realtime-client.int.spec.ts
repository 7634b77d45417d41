import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { dataMessage, decodeAuthHeader, startAckMessage, type AppSyncErrorEntry, type StartMessage } from '@tickerflow/appsync-protocol';
import { AuthError, TransportError } from '@tickerflow/core';
import { createRealtimeClient, type RealtimeClient, type RealtimeClientEvent } from '../src/index';
import { startFakeAppSync, type FakeAppSync } from './fake-appsync';

const KEY = 'da2-fakefakefakefake0000';
const fast = { initialRetryTime: 10, maxRetryTime: 50, multiplier: 2 };

let fake: FakeAppSync | undefined;
let client: RealtimeClient | undefined;

afterEach(async () => {
  await client?.close();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

function collector() {
  const events: { data: unknown; epoch: number }[] = [];
  const errors: (readonly AppSyncErrorEntry[])[] = [];
  const started: number[] = [];
  return {
    events,
    errors,
    started,
    handlers: {
      onData: (data: unknown, epoch: number) => events.push({ data, epoch }),
      onError: (e: readonly AppSyncErrorEntry[]) => errors.push(e),
      onStarted: (epoch: number) => started.push(epoch),
    },
  };
}

const starts = (f: FakeAppSync) => f.received.filter((r) => r.message.type === 'start') as { connection: number; message: StartMessage }[];

describe('realtime client against a raw ws fake', () => {
  it('runs init → ack → start (auth in extensions, variables) → start_ack → data → stop → complete', async () => {
    fake = await startFakeAppSync();
    client = createRealtimeClient({ url: fake.graphqlUrl, apiKey: KEY, reconnect: fast });
    const sub = collector();
    const subscription = client.subscribe({ query: 'subscription { q }', variables: { ticker: 'BTC' } }, sub.handlers, 'one');
    await client.connect();
    await fake.waitFor(() => sub.started.length === 1, 'start_ack');
    expect(subscription.state).toBe('active');
    expect(fake.received[0]!.message).toEqual({ type: 'connection_init' });
    const start = starts(fake)[0]!.message;
    expect(JSON.parse(start.payload.data)).toEqual({ query: 'subscription { q }', variables: { ticker: 'BTC' } });
    expect(start.payload.extensions?.authorization).toEqual({ host: `127.0.0.1:${fake.port}`, 'x-api-key': KEY });
    const connectUrl = new URL(fake.connections[0]!.url, 'http://x');
    expect(connectUrl.pathname).toBe('/graphql/realtime');
    expect(decodeAuthHeader(connectUrl.searchParams.get('header')!)).toEqual({ host: `127.0.0.1:${fake.port}`, 'x-api-key': KEY });
    expect(connectUrl.searchParams.get('payload')).toBe('e30=');
    expect(fake.connections[0]!.subprotocols).toEqual(['graphql-ws']);

    fake.publish({ tickerlocal: { ticker: 'BTC', seq: 1 } });
    await fake.waitFor(() => sub.events.length === 1, 'data');
    expect(sub.events[0]).toEqual({ data: { tickerlocal: { ticker: 'BTC', seq: 1 } }, epoch: 0 });

    await client.close();
    expect(fake.received.map((r) => r.message.type)).toEqual(['connection_init', 'start', 'stop']);
    expect(subscription.state).toBe('stopped');
    await expect(client.done).resolves.toBeUndefined();
  });

  it('carries the auth header in a header- subprotocol when asked', async () => {
    fake = await startFakeAppSync();
    client = createRealtimeClient({ url: fake.graphqlUrl, apiKey: KEY, authTransport: 'subprotocol' });
    await client.connect();
    const [first, second] = fake.connections[0]!.subprotocols;
    expect(first).toBe('graphql-ws');
    expect(second).toMatch(/^header-[A-Za-z0-9_-]+$/);
    expect(decodeAuthHeader(second!.slice('header-'.length))).toEqual({ host: `127.0.0.1:${fake.port}`, 'x-api-key': KEY });
    expect(new URL(fake.connections[0]!.url, 'http://x').search).toBe('');
  });

  it('keeps the other subscriptions when the server refuses one', async () => {
    fake = await startFakeAppSync({
      onStart: (query) => (query.includes('nope') ? [{ errorType: 'ValidationError', message: "Field 'nope' is undefined" }] : undefined),
    });
    client = createRealtimeClient({ url: fake.graphqlUrl, apiKey: KEY });
    const good = collector();
    const bad = collector();
    client.subscribe({ query: 'subscription { ok }' }, good.handlers);
    const refused = client.subscribe({ query: 'subscription { nope }' }, bad.handlers);
    await client.connect();
    await fake.waitFor(() => bad.errors.length === 1 && good.started.length === 1, 'error and start_ack');
    expect(bad.errors[0]).toEqual([{ errorType: 'ValidationError', message: "Field 'nope' is undefined" }]);
    expect(refused.state).toBe('failed');
    fake.publish({ f: { seq: 1 } });
    await fake.waitFor(() => good.events.length === 1, 'data for the good one');
    expect(bad.events).toEqual([]);
  });

  it('rejects with AuthError, naming the masked key, on connection_error', async () => {
    fake = await startFakeAppSync();
    client = createRealtimeClient({ url: fake.graphqlUrl, apiKey: 'da2-wrongwrongwrongwrong9999', reconnect: fast });
    const error = await client.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toBe(
      `${fake.graphqlUrl} rejected API key da2-…9999 (UnauthorizedException: You are not authorized to make this call.)`,
    );
    await expect(client.done).rejects.toBeInstanceOf(AuthError);
    expect(fake.connections).toHaveLength(1); // never retried
  });

  it('treats HTTP 401 on the upgrade as AuthError', async () => {
    fake = await startFakeAppSync({ rejectUpgradeStatus: 401 });
    client = createRealtimeClient({ url: fake.graphqlUrl, apiKey: KEY, reconnect: fast });
    await expect(client.connect()).rejects.toThrow(/refused the connection \(HTTP 401\) for key da2-…0000/);
  });

  it('gives up with CONNECT_FAILED after maxRetries, backing off in between', async () => {
    const port = await closedPort();
    const events: RealtimeClientEvent[] = [];
    client = createRealtimeClient({
      url: `http://127.0.0.1:${port}/graphql`,
      apiKey: KEY,
      reconnect: { initialRetryTime: 40, maxRetryTime: 100, multiplier: 2, retries: 3 },
      random: () => 0.999,
      onEvent: (event) => events.push(event),
    });
    const started = Date.now();
    const error = await client.connect().catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe('CONNECT_FAILED');
    expect((error as Error).message).toMatch(new RegExp(`^cannot connect to ws://127.0.0.1:${port}/graphql/realtime after 4 attempts: .*ECONNREFUSED`));
    const delays = events.flatMap((event) => (event.type === 'retrying' ? [event.delayMs] : []));
    expect(delays).toEqual([39, 79, 99]); // full jitter ceilings 40, 80, min(160, 100)
    expect(elapsed).toBeGreaterThanOrEqual(200);
  });

  it('retries a silent server after the ack timeout', async () => {
    fake = await startFakeAppSync({ silent: true });
    client = createRealtimeClient({ url: fake.graphqlUrl, apiKey: KEY, ackTimeoutMs: 100, reconnect: { ...fast, retries: 1 } });
    await expect(client.connect()).rejects.toThrow(/after 2 attempts: no connection_ack .* within 100 ms/);
    expect(fake.connections).toHaveLength(2);
  });

  it('reconnects after a drop, re-subscribes every subscription and flags the new epoch', async () => {
    fake = await startFakeAppSync();
    client = createRealtimeClient({ url: fake.graphqlUrl, apiKey: KEY, reconnect: fast });
    const a = collector();
    const b = collector();
    client.subscribe({ query: 'subscription { a }' }, a.handlers, 'a');
    client.subscribe({ query: 'subscription { b }' }, b.handlers, 'b');
    await client.connect();
    await fake.waitFor(() => a.started.length === 1 && b.started.length === 1, 'both started');
    fake.dropAll();
    await fake.waitFor(() => a.started.length === 2 && b.started.length === 2, 'both restarted');
    expect(a.started).toEqual([0, 1]);
    expect(starts(fake).map((s) => [s.connection, s.message.id])).toEqual([
      [0, 'a'],
      [0, 'b'],
      [1, 'a'],
      [1, 'b'],
    ]);
    fake.publish({ f: { seq: 9 } });
    await fake.waitFor(() => a.events.length === 1 && b.events.length === 1, 'data after reconnect');
    expect(a.events[0]!.epoch).toBe(1);
    expect(client.reconnects).toBe(1);
  });

  it('closes and reconnects when no frame arrives within connectionTimeoutMs', async () => {
    fake = await startFakeAppSync({ connectionTimeoutMs: 300, kaIntervalMs: 50 });
    const events: RealtimeClientEvent[] = [];
    client = createRealtimeClient({ url: fake.graphqlUrl, apiKey: KEY, reconnect: fast, onEvent: (e) => events.push(e) });
    await client.connect();
    await new Promise((resolve) => setTimeout(resolve, 500)); // ka keeps it alive past the timeout
    expect(fake.connections).toHaveLength(1);
    fake.stopKeepAlive();
    const silentSince = Date.now();
    await fake.waitFor(() => fake!.connections.length === 2, 'a second connection');
    expect(Date.now() - silentSince).toBeGreaterThanOrEqual(250);
    const timeout = events.find((event) => event.type === 'keepalive-timeout');
    expect(timeout).toBeDefined();
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('closing while connecting', () => {
  it('aborts a connection attempt that has not been acknowledged yet', async () => {
    fake = await startFakeAppSync({ silent: true });
    client = createRealtimeClient({ url: fake.graphqlUrl, apiKey: KEY, ackTimeoutMs: 30_000 });
    const connecting = client.connect().catch((error: unknown) => error);
    await fake.waitFor(() => fake!.received.length === 1, 'connection_init');
    const started = Date.now();
    await client.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(client.done).resolves.toBeUndefined();
    expect(await connecting).toBeInstanceOf(Error);
  });

  it('stops backing off when closed between attempts', async () => {
    const port = await closedPort();
    client = createRealtimeClient({ url: `http://127.0.0.1:${port}/graphql`, apiKey: KEY, reconnect: { initialRetryTime: 60_000, maxRetryTime: 60_000, multiplier: 2, retries: 5 }, random: () => 1 });
    void client.connect().catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await client.close();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('backpressure', () => {
  it('pause() stops delivery until resume()', async () => {
    fake = await startFakeAppSync();
    client = createRealtimeClient({ url: fake.graphqlUrl, apiKey: KEY });
    const sub = collector();
    client.subscribe({ query: 'subscription { q }' }, sub.handlers);
    await client.connect();
    await fake.waitFor(() => sub.started.length === 1, 'start_ack');
    client.pause();
    fake.publish({ f: { seq: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(sub.events).toEqual([]);
    client.resume();
    await fake.waitFor(() => sub.events.length === 1, 'data after resume');
  });
});

describe('a reader that stops reading (stdout blocked)', () => {
  const sleepMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('is not taken for a dead server: no keep-alive timeout or reconnect while paused past connectionTimeoutMs', async () => {
    fake = await startFakeAppSync({ connectionTimeoutMs: 300, kaIntervalMs: 50 });
    const events: RealtimeClientEvent[] = [];
    client = createRealtimeClient({ url: fake.graphqlUrl, apiKey: KEY, reconnect: fast, onEvent: (e) => events.push(e) });
    const sub = collector();
    client.subscribe({ query: 'subscription { q }' }, sub.handlers);
    await client.connect();
    await fake.waitFor(() => sub.started.length === 1, 'start_ack');
    client.pause();
    fake.publish({ f: { seq: 1 } });
    await sleepMs(1_000); // > 3 × connectionTimeoutMs without reading a frame
    expect(sub.events).toEqual([]);
    client.resume();
    await fake.waitFor(() => sub.events.length === 1, 'the event queued during the pause');
    await sleepMs(500); // keep-alives read again keep it up past another timeout
    expect(fake.connections).toHaveLength(1);
    expect(events.filter((e) => e.type === 'keepalive-timeout' || e.type === 'disconnected')).toEqual([]);
    expect(sub.events[0]!.epoch).toBe(0);
  });

  it('survives a frozen event loop (stdout to a full pipe blocks synchronously) longer than connectionTimeoutMs', async () => {
    fake = await startFakeAppSync({ connectionTimeoutMs: 300, kaIntervalMs: 50 });
    const events: RealtimeClientEvent[] = [];
    client = createRealtimeClient({ url: fake.graphqlUrl, apiKey: KEY, reconnect: fast, onEvent: (e) => events.push(e) });
    const sub = collector();
    client.subscribe({ query: 'subscription { q }' }, sub.handlers);
    await client.connect();
    await fake.waitFor(() => sub.started.length === 1, 'start_ack');
    const frozenUntil = Date.now() + 1_000;
    while (Date.now() < frozenUntil) {
      // busy: no timer and no socket read runs, as in a blocking write(2) to stdout
    }
    await sleepMs(500);
    expect(events.filter((e) => e.type === 'keepalive-timeout' || e.type === 'disconnected')).toEqual([]);
    expect(fake.connections).toHaveLength(1);
  });

  it('a start_ack left unread during a pause longer than startAckTimeoutMs does not fail the subscription', async () => {
    fake = await startFakeAppSync();
    const events: RealtimeClientEvent[] = [];
    client = createRealtimeClient({ url: fake.graphqlUrl, apiKey: KEY, startAckTimeoutMs: 100, reconnect: fast, onEvent: (e) => events.push(e) });
    await client.connect();
    client.pause();
    const sub = collector();
    const subscription = client.subscribe({ query: 'subscription { q }' }, sub.handlers, 'q');
    await fake.waitFor(() => starts(fake!).length === 1, 'the start');
    await sleepMs(400);
    client.resume();
    await fake.waitFor(() => sub.started.length === 1, 'start_ack read after resume');
    expect(subscription.state).toBe('active');
    expect(sub.errors).toEqual([]);
    expect(events.filter((e) => e.type === 'subscription-retrying')).toEqual([]);
    expect(starts(fake).map((s) => s.message.id)).toEqual(['q']);
  });
});

describe('a start that fails is retried, not dropped', () => {
  it('a missing start_ack: stop the abandoned start, start again under a new id after a backoff', async () => {
    let ignored = false;
    fake = await startFakeAppSync({
      onStart: () => {
        if (ignored) return undefined;
        ignored = true;
        return 'ignore';
      },
    });
    const events: RealtimeClientEvent[] = [];
    client = createRealtimeClient({
      url: fake.graphqlUrl,
      apiKey: KEY,
      startAckTimeoutMs: 100,
      reconnect: fast,
      random: () => 0.5,
      onEvent: (e) => events.push(e),
    });
    const sub = collector();
    const subscription = client.subscribe({ query: 'subscription { q }' }, sub.handlers, 'q');
    await client.connect();
    await fake.waitFor(() => sub.started.length === 1, 'the retried start acknowledged');
    expect(subscription.state).toBe('active');
    expect(subscription.id).toBe('q');
    expect(fake.received.map((r) => [r.message.type, 'id' in r.message ? r.message.id : undefined])).toEqual([
      ['connection_init', undefined],
      ['start', 'q'],
      ['stop', 'q'],
      ['start', 'q~1'],
    ]);
    expect(events.find((e) => e.type === 'subscription-retrying')).toEqual({
      type: 'subscription-retrying',
      id: 'q',
      attempt: 1,
      delayMs: 5,
      errors: [{ errorType: 'StartAckTimeout', message: 'no start_ack within 100 ms' }],
    });
    // A late answer to the abandoned start matches nothing.
    const connection = fake.connections[0]!;
    fake.send(connection, startAckMessage('q'));
    fake.send(connection, dataMessage('q', { f: { seq: 0 } }));
    fake.publish({ f: { seq: 1 } });
    await fake.waitFor(() => sub.events.length === 1, 'data on the new id');
    expect(sub.events).toEqual([{ data: { f: { seq: 1 } }, epoch: 0 }]);
    expect(sub.started).toEqual([0]);
  });

  it('a refusal after a reconnect of a document accepted before is retried until it starts', async () => {
    let startsSeen = 0;
    fake = await startFakeAppSync({
      onStart: () => {
        startsSeen += 1;
        return startsSeen === 2 || startsSeen === 3 ? [{ errorType: 'ValidationError', message: 'schema is reloading' }] : undefined;
      },
    });
    const events: RealtimeClientEvent[] = [];
    client = createRealtimeClient({ url: fake.graphqlUrl, apiKey: KEY, reconnect: fast, onEvent: (e) => events.push(e) });
    const sub = collector();
    const subscription = client.subscribe({ query: 'subscription { q }' }, sub.handlers, 'q');
    await client.connect();
    await fake.waitFor(() => sub.started.length === 1, 'first start');
    fake.dropAll();
    await fake.waitFor(() => sub.started.length === 2, 'started again after two refusals', 5_000);
    expect(sub.started).toEqual([0, 1]);
    expect(sub.errors).toEqual([]);
    expect(subscription.state).toBe('active');
    expect(starts(fake).map((s) => [s.connection, s.message.id])).toEqual([
      [0, 'q'],
      [1, 'q'],
      [1, 'q~1'],
      [1, 'q~2'],
    ]);
    expect(events.filter((e) => e.type === 'subscription-retrying').map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2]);
  });

  it('gives up (onError, final) after maxRetries failed starts in a row', async () => {
    fake = await startFakeAppSync({ onStart: () => 'ignore' });
    client = createRealtimeClient({ url: fake.graphqlUrl, apiKey: KEY, startAckTimeoutMs: 50, reconnect: { ...fast, retries: 2 } });
    const sub = collector();
    const subscription = client.subscribe({ query: 'subscription { q }' }, sub.handlers, 'q');
    await client.connect();
    await fake.waitFor(() => sub.errors.length === 1, 'the final error');
    expect(subscription.state).toBe('failed');
    expect(sub.errors[0]).toEqual([{ errorType: 'StartAckTimeout', message: 'no start_ack within 50 ms' }]);
    expect(starts(fake).map((s) => s.message.id)).toEqual(['q', 'q~1', 'q~2']);
  });
});
