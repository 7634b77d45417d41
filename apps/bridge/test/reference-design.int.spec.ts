/**
 * "Coming from the reference design": its producer's records (no key, `id` an integer) on a
 * real topic, its schema served by appsync-local, `bridge run --mutation tickerlocal` as a
 * process in place of its Lambda, and independent raw-`ws` realtime subscribers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppSyncServer, type AppSyncServerUrls } from '@tickerflow/appsync-server';
import { createTopic, testBrokers, uniqueName } from '@tickerflow/test-support';
import { kafkaClient, readTopic } from './harness';

const BIN = join(import.meta.dirname, '../../../node_modules/.bin/bridge');

/** The reference design's schema (plus the Query type AppSync requires). */
const REFERENCE_SDL = `
type Tickerdata { id: ID! ticker: String! price: Float! matchtime: String }
type Query { getTickerdata(id: ID!): Tickerdata }
type Mutation { tickerlocal(id: ID!, ticker: String!, price: Float!, matchtime: String): Tickerdata! }
type Subscription {
  tickerlocal(id: ID, ticker: String, price: Float): Tickerdata @aws_subscribe(mutations: ["tickerlocal"])
}
`;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await Promise.resolve(cleanups.pop()!()).catch(() => {});
});

/** A realtime subscriber speaking AppSync's protocol over a raw socket, collecting `data` payloads. */
async function rawSubscriber(urls: AppSyncServerUrls, query: string) {
  const host = new URL(urls.graphqlUrl).host;
  const auth = { host, 'x-api-key': urls.apiKey };
  const socket = new WebSocket(`${urls.realtimeUrl}?header=${Buffer.from(JSON.stringify(auth)).toString('base64')}&payload=e30=`, ['graphql-ws']);
  const events: Record<string, unknown>[] = [];
  let started!: () => void;
  let failed!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => ((started = resolve), (failed = reject)));
  socket.on('message', (raw) => {
    const frame = JSON.parse(raw.toString()) as { type: string; payload?: { data?: { tickerlocal: Record<string, unknown> } } };
    if (frame.type === 'connection_ack') {
      socket.send(JSON.stringify({ id: 'sub-1', type: 'start', payload: { data: JSON.stringify({ query }), extensions: { authorization: auth } } }));
    } else if (frame.type === 'start_ack') started();
    else if (frame.type === 'data') events.push(frame.payload!.data!.tickerlocal);
    else if (frame.type === 'error' || frame.type === 'connection_error') failed(new Error(raw.toString()));
  });
  socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
  socket.once('error', (error) => failed(error));
  await ready;
  cleanups.push(() => socket.terminate());
  return events;
}

function spawnBridge(args: readonly string[]): { child: ChildProcess; stderr: () => string } {
  const child = spawn(BIN, args, { env: { ...process.env, KAFKA_BROKERS: testBrokers() }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  return { child, stderr: () => stderr };
}

describe("the reference design's records and schema", () => {
  it('reach independent realtime subscribers, unfiltered and filtered on ticker BTC; none are dead-lettered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reference-design-'));
    const schemaFile = join(dir, 'schema.graphql');
    writeFileSync(schemaFile, REFERENCE_SDL);
    const server = createAppSyncServer({ port: 0, schema: REFERENCE_SDL, schemaSource: schemaFile });
    const urls = await server.listen();
    cleanups.push(() => server.close());
    const all = await rawSubscriber(urls, 'subscription { tickerlocal { id ticker price matchtime } }');
    const btc = await rawSubscriber(urls, 'subscription { tickerlocal(ticker: "BTC") { id ticker price matchtime } }');

    const topic = uniqueName('reference');
    await createTopic(topic, 3);
    // The reference design's producer: a plain client, JSON values, no key.
    const tickers = ['BTC', 'ETH', 'SOL'];
    const records = Array.from({ length: 150 }, (_, id) => ({
      ticker: tickers[id % 3]!,
      price: 100 + Math.random() * 10,
      matchtime: new Date(Date.UTC(2026, 11, 1, 10, 50, 59) + id).toISOString().replace('Z', '824'),
      id,
    }));
    const producer = kafkaClient().producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: records.map((record) => ({ value: JSON.stringify(record) })) });
    await producer.disconnect();

    const bridge = spawnBridge(['run', '--topic', topic, '--group', uniqueName('group'), '--from-beginning', '--url', urls.graphqlUrl, '--mutation', 'tickerlocal']);
    await expect.poll(() => all.length, { timeout: 30_000, interval: 200 }).toBe(150);
    await expect.poll(() => btc.length, { timeout: 5_000, interval: 100 }).toBe(50);

    const expected = records.map((r) => ({ ...r, id: String(r.id) }));
    expect([...all].sort((a, b) => Number(a['id']) - Number(b['id']))).toEqual(expected);
    expect(btc).toEqual(expected.filter((r) => r.ticker === 'BTC'));
    expect(bridge.stderr()).toContain("relaying records as the mutation's arguments");
    expect(bridge.stderr()).toContain('"from":"introspection"');
    await expect(readTopic(`${topic}.dlq`, 1, 1_500)).rejects.toThrow('timed out');
  });

  it('reads the arguments from --schema and fills renamed ones with --map', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reference-design-'));
    const schemaFile = join(dir, 'schema.graphql');
    writeFileSync(schemaFile, REFERENCE_SDL);
    const server = createAppSyncServer({ port: 0, schema: REFERENCE_SDL, schemaSource: schemaFile });
    const urls = await server.listen();
    cleanups.push(() => server.close());
    const btc = await rawSubscriber(urls, 'subscription { tickerlocal(ticker: "BTC") { id ticker price } }');
    const topic = uniqueName('mapped');
    await createTopic(topic, 1);
    const producer = kafkaClient().producer();
    await producer.connect();
    const values = Array.from({ length: 20 }, (_, id) => ({ symbol: id % 2 === 0 ? 'BTC' : 'ETH', quote: { last: String(100 + id) }, id }));
    await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value: JSON.stringify(value) })) });
    await producer.disconnect();
    const args = ['run', '--topic', topic, '--group', uniqueName('group'), '--from-beginning', '--url', urls.graphqlUrl];
    const bridge = spawnBridge([...args, '--mutation', 'tickerlocal', '--schema', schemaFile, '--map', 'ticker=symbol,price=quote.last']);
    await expect.poll(() => btc.length, { timeout: 30_000, interval: 200 }).toBe(10);
    expect(bridge.stderr()).toContain('"from":"schema file"');
    expect(btc.map((e) => [e['id'], e['price']])).toEqual(values.filter((v) => v.symbol === 'BTC').map((v) => [String(v.id), 100 + v.id]));
    await expect(readTopic(`${topic}.dlq`, 1, 1_500)).rejects.toThrow('timed out');
  });
});
