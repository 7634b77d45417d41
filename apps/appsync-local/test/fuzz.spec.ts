/**
 * Throws many thousands of generated HTTP requests (raw TCP) and realtime frames (through ws and
 * as raw bytes after a handshake) at a running appsync-local, then checks that it still serves:
 * /healthz, a subscription receiving a mutation's event, no connection left behind, and memory
 * within bounds. The corpus comes from fast-check with a fixed seed, so a failure replays.
 */
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange, startCli, upgradeRequest, type RunningCli } from './child';

const SEED = 13;
const HTTP_REQUESTS = 4000;
const RAW_FRAME_CONNECTIONS = 300;
const WS_FRAMES = 6000;
const CONCURRENCY = 32;
/** RSS growth allowed over the fuzz run: far below what keeping requests or frames would take. */
const MAX_RSS_GROWTH_BYTES = 200 * 1024 * 1024;

let cli: RunningCli;
let host: string;

beforeAll(async () => {
  cli = await startCli(['--connection-timeout', '2000']);
  host = `127.0.0.1:${cli.port}`;
}, 30_000);

afterAll(async () => {
  await cli.stop();
});

const DOCUMENTS = [
  'subscription { tickerlocal { id ticker } }',
  'subscription S($t: String) { tickerlocal(ticker: $t) { id ticker seq } }',
  'mutation { tickerlocal(id: "x", ticker: "FZ", seq: 1, price: 1, bid: 1, ask: 1, size: 1, matchtime: "2026-11-25T02:30:00.123Z", ts: 1) { id } }',
  '{ __typename }',
  '{ getTickerdata(id: "x") { id } }',
  'query { ...A } fragment A on Query { ...A }',
  '{'.repeat(3000),
  `{ ${'a: __typename '.repeat(200)} }`,
  `{ ${Array.from({ length: 20_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
  `{ ${'... on Query { '.repeat(1500)}__typename${' }'.repeat(1500)} }`,
];

const text = fc.string({ maxLength: 60 });
const document = fc.oneof(fc.constantFrom(...DOCUMENTS), text);
const requestJson = fc
  .record({ query: fc.oneof(document, fc.anything()), variables: fc.oneof(fc.constant(undefined), fc.anything()), operationName: fc.oneof(fc.constant(undefined), text) }, { requiredKeys: [] })
  .map((value) => JSON.stringify(value));

function headerLine(name: string, value: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return value.map((v) => `${name}: ${v}`);
}

const target = fc.oneof(
  fc.constantFrom('/', '//', '///x', '//:99999', '*', '/graphql', '/graphql/', '/graphql/realtime', '/graphql/realtime/', '/healthz', '/%00', '/..%2f..', '/graphql?header=%%%'),
  fc.constantFrom('http://h/graphql', 'ws://[::1]:99999/graphql/realtime', 'http://', 'https://x:99999/healthz', '/graphql/realtime?header=e30=&payload=e30='),
  text.map((t) => `/${t}`),
  text,
);

const header = fc.oneof(
  headerLine('Host', fc.oneof(fc.constant('127.0.0.1'), text)),
  headerLine('Upgrade', fc.oneof(fc.constantFrom('websocket', 'h2c', 'WebSocket'), text)),
  headerLine('Connection', fc.oneof(fc.constantFrom('Upgrade', 'close', 'keep-alive', 'upgrade, keep-alive'), text)),
  headerLine('Sec-WebSocket-Key', fc.oneof(fc.constant('dGhlIHNhbXBsZSBub25jZQ=='), text)),
  headerLine('Sec-WebSocket-Version', fc.oneof(fc.constantFrom('13', '8', '99'), text)),
  headerLine('Sec-WebSocket-Protocol', fc.oneof(fc.constantFrom('graphql-ws', 'graphql-ws, header-e30', 'graphql-ws, header-!!!'), text)),
  headerLine('x-api-key', fc.oneof(fc.constant(cliApiKey()), text)),
  headerLine('Content-Length', fc.oneof(fc.nat({ max: 100_000 }).map(String), fc.constantFrom('-1', '99999999999', '1e3'), text)),
  headerLine('Transfer-Encoding', fc.oneof(fc.constantFrom('chunked', 'gzip, chunked', 'identity'), text)),
  headerLine('Content-Type', fc.constantFrom('application/json', 'text/html')),
  text,
);

const httpRequest: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
  // Well-formed WebSocket upgrades (so Node hands them to the upgrade handler) to odd targets.
  {
    weight: 3,
    arbitrary: fc
      .record({ target, extra: fc.array(header, { maxLength: 3 }) })
      .map(({ target: path, extra }) => upgradeRequest(path, extra.map((line) => `${line}\r\n`).join(''))),
  },
  {
    weight: 9,
    arbitrary: fc
      .record({
        method: fc.oneof(fc.constantFrom('GET', 'POST', 'OPTIONS', 'HEAD', 'PUT', 'DELETE', 'CONNECT', 'PATCH', 'PRI', ''), text),
        target,
        version: fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2', 'HTTP/9.9', 'http/1.1', ''),
        headers: fc.array(header, { maxLength: 8 }),
        body: fc.oneof(fc.constant(''), text, requestJson, fc.constantFrom('5\r\nhello\r\n0\r\n\r\n', 'zz\r\n', '0\r\n\r\n')),
      })
      .map(({ method, target: path, version, headers, body }) => `${method} ${path} ${version}\r\n${headers.join('\r\n')}\r\n\r\n${body}`),
  },
);

function cliApiKey(): string {
  return 'da2-tickerflowlocaldevkey000000';
}

function authHeader(): Record<string, string> {
  return { host, 'x-api-key': cli.apiKey };
}

const frame: fc.Arbitrary<string | Buffer> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record(
        {
          type: fc.oneof(fc.constantFrom('connection_init', 'start', 'stop', 'ka', 'data', 'complete'), text, fc.anything()),
          id: fc.oneof(fc.uuid(), text, fc.anything()),
          payload: fc.oneof(
            fc.record(
              {
                data: fc.oneof(requestJson, text, fc.anything()),
                extensions: fc.oneof(fc.constant({ authorization: 'AUTH' }), fc.anything()),
              },
              { requiredKeys: [] },
            ),
            fc.anything(),
          ),
        },
        { requiredKeys: [] },
      )
      .map((message) => JSON.stringify(message).replace('"AUTH"', JSON.stringify({ host: '127.0.0.1', 'x-api-key': cliApiKey() }))),
  },
  { weight: 2, arbitrary: text },
  { weight: 1, arbitrary: fc.json() },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(200_000), JSON.stringify({ type: 'start', id: 'big', payload: { data: 'y'.repeat(140_000) } })) },
);

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
}

function openSocket(): Promise<WebSocket> {
  const header = Buffer.from(JSON.stringify(authHeader())).toString('base64');
  const ws = new WebSocket(`${cli.realtimeUrl}?header=${header}&payload=e30=`, ['graphql-ws']);
  ws.on('error', () => undefined);
  return new Promise((resolve) => {
    ws.once('open', () => {
      ws.send(JSON.stringify({ type: 'connection_init' }));
      resolve(ws);
    });
    ws.once('close', () => resolve(ws));
  });
}

async function health(): Promise<{ status: number; body: Record<string, number> }> {
  const response = await fetch(`http://${host}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, number> };
}

/** Subscribes to BTC, publishes one BTC quote over HTTP, and returns the event delivered. */
async function publishAndReceive(): Promise<unknown> {
  const ws = await openSocket();
  const events: unknown[] = [];
  const acked = new Promise<void>((resolve, reject) => {
    ws.on('message', (raw) => {
      const message = JSON.parse(raw.toString()) as { type: string; payload?: { data?: unknown } };
      if (message.type === 'start_ack') resolve();
      if (message.type === 'data') events.push(message.payload?.data);
      if (message.type === 'error') reject(new Error(raw.toString()));
    });
  });
  ws.send(
    JSON.stringify({
      id: 'check',
      type: 'start',
      payload: { data: JSON.stringify({ query: 'subscription { tickerlocal(ticker: "BTC") { ticker seq } }' }), extensions: { authorization: authHeader() } },
    }),
  );
  await acked;
  const response = await fetch(cli.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': cli.apiKey },
    body: JSON.stringify({
      query: 'mutation { q: tickerlocal(id: "BTC-7", ticker: "BTC", seq: 7, price: 1, bid: 1, ask: 1, size: 1, matchtime: "2026-11-25T02:30:00.123Z", ts: 1) { ticker seq } }',
    }),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ data: { q: { ticker: 'BTC', seq: 7 } } });
  const deadline = Date.now() + 5000;
  while (events.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  ws.close();
  return events[0];
}

describe('appsync-local under generated hostile traffic', () => {
  it('still answers, delivers events and stays within memory after thousands of requests and frames', async () => {
    expect(await publishAndReceive()).toEqual({ tickerlocal: { ticker: 'BTC', seq: 7 } });
    const rssBefore = cli.rssBytes();
    const started = performance.now();

    const requests = fc.sample(httpRequest, { numRuns: HTTP_REQUESTS, seed: SEED });
    await inParallel(requests, CONCURRENCY, (request) => exchange(cli.port, typeof request === 'string' ? request : Buffer.from(request), { timeoutMs: 1000 }));

    const rawFrames = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 400 }), { numRuns: RAW_FRAME_CONNECTIONS, seed: SEED });
    const handshake = upgradeRequest(`/graphql/realtime?header=${Buffer.from(JSON.stringify(authHeader())).toString('base64')}`, 'Sec-WebSocket-Protocol: graphql-ws\r\n');
    await inParallel(rawFrames, CONCURRENCY, (bytes) => exchange(cli.port, Buffer.concat([Buffer.from(handshake), Buffer.from(bytes)]), { timeoutMs: 1000 }));

    const frames = fc.sample(frame, { numRuns: WS_FRAMES, seed: SEED });
    const lanes = 8;
    const perLane = Math.ceil(frames.length / lanes);
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        let ws = await openSocket();
        for (const [i, payload] of frames.slice(lane * perLane, (lane + 1) * perLane).entries()) {
          // The server closes connections that break the protocol (e.g. a 1 MiB+ frame): reconnect.
          if (ws.readyState !== WebSocket.OPEN) ws = await openSocket();
          ws.send(payload);
          if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 5));
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
        ws.terminate();
      }),
    );

    const seconds = (performance.now() - started) / 1000;
    const rssAfter = cli.rssBytes();
    console.log(
      `fuzz: ${HTTP_REQUESTS} HTTP requests, ${RAW_FRAME_CONNECTIONS} raw WebSocket byte streams, ${WS_FRAMES} realtime frames in ${seconds.toFixed(1)} s; ` +
        `RSS ${(rssBefore / 2 ** 20).toFixed(0)} -> ${(rssAfter / 2 ** 20).toFixed(0)} MiB`,
    );

    expect(cli.child.exitCode, cli.stderr()).toBeNull();
    const deadline = Date.now() + 10_000;
    let answer = await health();
    while (answer.body['connections'] !== 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await health();
    }
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'ok', connections: 0, subscriptions: 0 });
    expect(await publishAndReceive()).toEqual({ tickerlocal: { ticker: 'BTC', seq: 7 } });
    expect(rssAfter - rssBefore).toBeLessThan(MAX_RSS_GROWTH_BYTES);
  }, 120_000);
});
