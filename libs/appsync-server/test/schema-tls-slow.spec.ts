import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@tickerflow/core';
import { createAppSyncServer, loadAppSyncSchema } from '../src/index';
import { TestClient, b64, startTestServer, tickerMutation } from './harness';

const USER_SCHEMA = `
schema { query: Query mutation: Mutation subscription: Subscription }
type Order @aws_api_key @aws_iam {
  orderId: ID!
  market: String!
  side: Side
  qty: Int
  placedAt: AWSDateTime
  meta: AWSJSON
}
enum Side { BUY SELL }
type Query { order(orderId: ID!): Order @aws_cognito_user_pools(cognito_groups: ["ops"]) }
type Mutation {
  placeOrder(orderId: ID!, market: String!, side: Side, qty: Int, placedAt: AWSDateTime, meta: AWSJSON): Order @aws_api_key
  cancelOrder(orderId: ID!, market: String!): Order
}
type Subscription {
  onOrder(market: String, side: Side): Order @aws_subscribe(mutations: ["placeOrder", "cancelOrder"])
}
`;

describe('--schema: a user AppSync schema', () => {
  it('loads AppSync directives and scalars and publishes every listed mutation with multi-argument filters', async () => {
    const t = await startTestServer({ schema: USER_SCHEMA });
    try {
      const client = await t.ready();
      await t.subscribe(client, 'buy', 'subscription { onOrder(market: "EU", side: BUY) { orderId side qty meta } }');
      await t.subscribe(client, 'eu', 'subscription { onOrder(market: "EU") { orderId } }');
      const answer = await t.post({
        query: `mutation {
          a: placeOrder(orderId: "1", market: "EU", side: BUY, qty: 5, placedAt: "2026-11-25T02:30:00.123Z", meta: "{\\"a\\":1}") { orderId market side qty meta }
          b: placeOrder(orderId: "2", market: "EU", side: SELL, qty: 1) { orderId market side }
          c: placeOrder(orderId: "3", market: "US", side: BUY) { orderId market side }
          d: cancelOrder(orderId: "1", market: "EU") { orderId market }
        }`,
      });
      expect(answer.body.errors).toBeUndefined();
      expect((await client.waitForType('data', 'buy')).payload.data).toEqual({ onOrder: { orderId: '1', side: 'BUY', qty: 5, meta: '{"a":1}' } });
      const eu = await client.waitForCount('data', 3);
      expect(eu.map((f) => f.payload.data.onOrder.orderId)).toEqual(['1', '2', '1']);
      expect(eu.every((f) => f.id === 'eu')).toBe(true);
      await client.expectNoMessage((f) => f.type === 'data');
    } finally {
      await t.close();
    }
  });

  it('checks AWS scalars on input', async () => {
    const t = await startTestServer({ schema: USER_SCHEMA });
    try {
      const answer = await t.post({ query: 'mutation { placeOrder(orderId: "1", market: "EU", meta: "{not json") { orderId } }' });
      expect(answer.body.data).toBeNull();
      expect(answer.body.errors[0].message).toContain('AWSJSON must be valid JSON text');
    } finally {
      await t.close();
    }
  });

  it.each([
    ['a subscription naming a missing mutation', 'type Query { a: Int } type Mutation { m: Int } type Subscription { s: Int @aws_subscribe(mutations: ["nope"]) }', "Subscription.s @aws_subscribe names mutation 'nope'"],
    ['SDL that does not parse', 'type Query {', 'Syntax Error'],
    ['no Query type', 'type Mutation { m: Int }', 'Query'],
  ])('refuses %s with a ConfigError', (_name, sdl, message) => {
    expect(() => loadAppSyncSchema(sdl, 'x.graphql')).toThrow(ConfigError);
    expect(() => loadAppSyncSchema(sdl, 'x.graphql')).toThrow(message);
  });
});

describe('TLS', () => {
  let dir: string;
  let cert: string;
  let key: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'appsync-local-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    key = readFileSync(join(dir, 'key.pem'), 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves https and wss on one port with the given certificate', async () => {
    const server = createAppSyncServer({ port: 0, tls: { cert, key } });
    const urls = await server.listen();
    try {
      expect(urls.graphqlUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
      expect(urls.realtimeUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/graphql\/realtime$/);
      const host = new URL(urls.graphqlUrl).host;
      const client = new TestClient(new WebSocket(`${urls.realtimeUrl}?header=${b64({ host, 'x-api-key': urls.apiKey })}&payload=e30=`, ['graphql-ws'], { ca: cert }));
      await client.opened;
      client.send({ type: 'connection_init' });
      await client.waitForType('connection_ack');
      client.send({ id: 'tls', type: 'start', payload: { data: JSON.stringify({ query: 'subscription { tickerlocal(ticker: "TLS") { ticker } }' }), extensions: { authorization: { host, 'x-api-key': urls.apiKey } } } });
      await client.waitForType('start_ack', 'tls');
      const dispatcher = new Agent({ connect: { ca: cert } });
      const response = await fetch(urls.graphqlUrl, {
        method: 'POST',
        headers: { 'x-api-key': urls.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ query: tickerMutation([['TLS', 1]], 'ticker') }),
        // @ts-expect-error undici's fetch accepts a dispatcher
        dispatcher,
      });
      expect(response.status).toBe(200);
      expect((await client.waitForType('data', 'tls')).payload.data).toEqual({ tickerlocal: { ticker: 'TLS' } });
      client.close();
      await dispatcher.close();
    } finally {
      await server.close();
    }
  });
});

describe('slow consumers', () => {
  it('closes a connection whose unsent data passes the buffer limit, and keeps serving the others', async () => {
    const t = await startTestServer({ maxBufferedBytes: 64 * 1024 });
    try {
      const slow = await t.ready();
      const healthy = await t.ready();
      await t.subscribe(slow, 's', 'subscription { tickerlocal { id ticker seq price bid ask size matchtime ts } }');
      await t.subscribe(healthy, 'h', 'subscription { tickerlocal(ticker: "LAST") { seq } }');
      // Stop reading on the slow client: the kernel buffers fill, then the server's queue grows.
      (slow.socket as unknown as { _socket: { pause(): void } })._socket.pause();
      // 8 KB events, so loopback's multi-megabyte socket buffers fill within a few hundred events.
      const big = 'x'.repeat(8 * 1024);
      const field = (i: number) => `f${i}: tickerlocal(id: "${big}", ticker: "FLOOD", seq: ${i}, price: 1, bid: 1, ask: 1, size: 1, matchtime: "m", ts: 1) { id ticker seq }`;
      const query = `mutation { ${Array.from({ length: 50 }, (_, i) => field(i + 1)).join('\n')} }`;
      for (let batch = 0; batch < 400 && t.server.stats().slowConsumersClosed === 0; batch += 1) await t.post({ query });
      expect(t.server.stats().slowConsumersClosed).toBe(1);
      await t.post({ query: tickerMutation([['LAST', 1]]) });
      expect((await healthy.waitForType('data', 'h')).payload.data).toEqual({ tickerlocal: { seq: 1 } });
      expect(t.server.stats().connections).toBe(1);
    } finally {
      await t.close();
    }
  });
});

describe('large events', () => {
  it('delivers events past 64 KiB intact and drops events over the payload limit', async () => {
    const t = await startTestServer({ maxEventBytes: 200 * 1024 });
    try {
      const client = await t.ready();
      await t.subscribe(client, 'big', 'subscription { tickerlocal(ticker: "BIG") { id seq } }');
      const mutation = (id: string, seq: number) =>
        `mutation { tickerlocal(id: "${id}", ticker: "BIG", seq: ${seq}, price: 1, bid: 1, ask: 1, size: 1, matchtime: "m", ts: 1) { id ticker seq } }`;
      const large = 'é'.repeat(50 * 1024); // 100 KiB of UTF-8: a 10-byte frame header
      await t.post({ query: mutation(large, 1) });
      await t.post({ query: mutation('x'.repeat(300 * 1024), 2) });
      await t.post({ query: mutation('small', 3) });
      const frames = await client.waitForCount('data', 2);
      expect(frames.map((f) => f.payload.data.tickerlocal.seq)).toEqual([1, 3]);
      expect(frames[0]!.payload.data.tickerlocal.id).toBe(large);
      expect(t.server.stats().oversizeEventsDropped).toBe(1);
    } finally {
      await t.close();
    }
  });
});
