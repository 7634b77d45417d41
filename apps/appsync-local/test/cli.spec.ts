import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = `${ROOT}node_modules/.bin/appsync-local`;

// Frames are untyped JSON on purpose: the tests assert on their exact shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Listening {
  event: string;
  graphqlUrl: string;
  realtimeUrl: string;
  host: string;
  port: number;
  apiKey: string;
}

let child: ChildProcessWithoutNullStreams;
let listening: Listening;
let stderr = '';

beforeAll(async () => {
  child = spawn(BIN, ['--port', '0', '--json', '--ka-interval', '200'], { cwd: ROOT, env: { ...process.env, APPSYNC_LOCAL_PORT: '' } });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout });
  listening = await new Promise<Listening>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line; stderr: ${stderr}`)), 15_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as Listening);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
}, 20_000);

afterAll(async () => {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
});

describe('appsync-local as a process', () => {
  it('prints one JSON line with the URLs it serves and the dev key', () => {
    expect(listening).toMatchObject({
      event: 'listening',
      host: '127.0.0.1',
      apiKey: 'da2-tickerflowlocaldevkey000000',
    });
    expect(listening.port).toBeGreaterThan(0);
    expect(listening.graphqlUrl).toBe(`http://127.0.0.1:${listening.port}/graphql`);
    expect(listening.realtimeUrl).toBe(`ws://127.0.0.1:${listening.port}/graphql/realtime`);
  });

  /**
   * "Done when": a client written only from AWS's documentation ("Building a real-time WebSocket
   * client in AWS AppSync"), shaped like the reference design's Python client: base64 `header`
   * and `payload=e30=` query parameters, subprotocol graphql-ws, connection_init, then a start
   * whose payload.data is a JSON string and whose extensions carry the same authorization.
   */
  it('delivers exactly the BTC events of a multi-ticker mutation request to a docs-only client', async () => {
    const API_URL = listening.graphqlUrl;
    const API_KEY = listening.apiKey;
    const HOST = new URL(API_URL).host;
    const WSS_URL = API_URL.replace('http', 'ws') + '/realtime'; // custom-domain convention
    const apiHeader = { host: HOST, 'x-api-key': API_KEY };
    const headerEncoded = Buffer.from(JSON.stringify(apiHeader)).toString('base64');
    const connectionUrl = `${WSS_URL}?header=${headerEncoded}&payload=e30=`;

    const subscriptionId = randomUUID();
    const gqlSubscription = JSON.stringify({
      query: 'subscription Sub { tickerlocal(ticker: "BTC") { id ticker seq price bid ask size matchtime ts } }',
      variables: {},
    });

    const received: Json[] = [];
    const ws = new WebSocket(connectionUrl, ['graphql-ws']);
    const subscribed = new Promise<void>((resolve, reject) => {
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
      ws.on('message', (raw) => {
        const message = JSON.parse(raw.toString());
        if (message.type === 'connection_ack') {
          ws.send(JSON.stringify({ id: subscriptionId, payload: { data: gqlSubscription, extensions: { authorization: apiHeader } }, type: 'start' }));
        } else if (message.type === 'start_ack') {
          resolve();
        } else if (message.type === 'data') {
          received.push(message);
        } else if (message.type === 'error' || message.type === 'connection_error') {
          reject(new Error(JSON.stringify(message)));
        }
      });
      ws.on('error', reject);
    });
    await subscribed;

    const quotes = [
      ['BTC', 1], ['ETH', 1], ['SOL', 1], ['BTC', 2], ['ETH', 2], ['BTC', 3], ['DOGE', 1],
    ] as const;
    const fields = quotes.map(
      ([ticker, seq], i) =>
        `q${i}: tickerlocal(id: "${ticker}-${seq}", ticker: "${ticker}", seq: ${seq}, price: ${seq}.5, bid: ${seq}.25, ask: ${seq}.75, size: 1, matchtime: "2026-11-25T02:30:00.123Z", ts: ${1795574436000 + i}) { id ticker seq price bid ask size matchtime ts }`,
    );
    const response = await fetch(API_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({ query: `mutation Publish {\n${fields.join('\n')}\n}` }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();

    const deadline = Date.now() + 3000;
    while (received.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 200)); // anything extra would arrive by now
    ws.close();

    expect(received.map((m) => m.id)).toEqual([subscriptionId, subscriptionId, subscriptionId]);
    expect(received.map((m) => m.payload.data.tickerlocal)).toEqual([
      { id: 'BTC-1', ticker: 'BTC', seq: 1, price: 1.5, bid: 1.25, ask: 1.75, size: 1, matchtime: '2026-11-25T02:30:00.123Z', ts: 1795574436000 },
      { id: 'BTC-2', ticker: 'BTC', seq: 2, price: 2.5, bid: 2.25, ask: 2.75, size: 1, matchtime: '2026-11-25T02:30:00.123Z', ts: 1795574436003 },
      { id: 'BTC-3', ticker: 'BTC', seq: 3, price: 3.5, bid: 3.25, ask: 3.75, size: 1, matchtime: '2026-11-25T02:30:00.123Z', ts: 1795574436005 },
    ]);
  });

  it('survives a non-JSON frame and a start with a wrong key (the old simulator died on both)', async () => {
    const host = new URL(listening.graphqlUrl).host;
    const header = Buffer.from(JSON.stringify({ host, 'x-api-key': listening.apiKey })).toString('base64');
    const ws = new WebSocket(`${listening.realtimeUrl}?header=${header}&payload=e30=`, ['graphql-ws']);
    const frames: Json[] = [];
    ws.on('message', (raw) => frames.push(JSON.parse(raw.toString())));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send('this is not json');
    ws.send(JSON.stringify({ id: 'w', type: 'start', payload: { data: JSON.stringify({ query: 'subscription { tickerlocal { id } }' }), extensions: { authorization: { host, 'x-api-key': 'da2-wrong' } } } }));
    const deadline = Date.now() + 3000;
    while (frames.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    ws.close();
    expect(frames.map((f) => f.type)).toEqual(['error', 'error']);
    expect(frames[1].payload.errors[0].errorType).toBe('UnauthorizedException');
    const health = await fetch(listening.graphqlUrl.replace('/graphql', '/healthz'));
    expect(health.status).toBe(200);
    expect(child.exitCode).toBeNull();
  });

  it('sends ka at --ka-interval', async () => {
    const host = new URL(listening.graphqlUrl).host;
    const entry = `header-${Buffer.from(JSON.stringify({ host, 'x-api-key': listening.apiKey })).toString('base64url')}`;
    const ws = new WebSocket(listening.graphqlUrl.replace('http', 'ws'), ['graphql-ws', entry]);
    const kas: number[] = [];
    ws.on('message', (raw) => {
      if (JSON.parse(raw.toString()).type === 'ka') kas.push(Date.now());
    });
    await new Promise((resolve) => ws.once('open', resolve));
    expect(ws.protocol).toBe('graphql-ws');
    ws.send(JSON.stringify({ type: 'connection_init' }));
    const deadline = Date.now() + 3000;
    while (kas.length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    ws.close();
    expect(kas.length).toBeGreaterThanOrEqual(4);
    const gaps = kas.slice(2).map((at, i) => at - (kas[i + 1] as number));
    for (const gap of gaps) {
      expect(gap).toBeGreaterThan(120);
      expect(gap).toBeLessThan(400);
    }
  });

  it('exits 0 on SIGTERM', async () => {
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  });
});

describe('appsync-local usage errors', () => {
  it('exits 2 with one line for a bad option', async () => {
    const run = spawn(BIN, ['--port', 'abc'], { cwd: ROOT });
    let err = '';
    run.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise((resolve) => run.once('exit', resolve));
    expect(code).toBe(2);
    expect(err.trim()).toBe("appsync-local: --port must be a whole number >= 0, got 'abc'");
  });

  it('exits 2 when the schema file is missing', async () => {
    const run = spawn(BIN, ['--schema', '/nonexistent/schema.graphql', '--port', '0'], { cwd: ROOT });
    let err = '';
    run.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise((resolve) => run.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('--schema /nonexistent/schema.graphql: ENOENT');
  });
});
