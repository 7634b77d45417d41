/**
 * Test harness for conformance tests: a raw `ws` client that queues every incoming frame so
 * `waitForMessage` never misses one (like graphql-ws's tests/utils/tclient.ts), and helpers
 * that speak plain HTTP. Deliberately independent of @tickerflow/appsync-protocol and of any
 * tickerflow client, so the emulator and the clients cannot agree on a shared bug.
 */
import WebSocket from 'ws';
import { createAppSyncServer, type AppSyncServer, type AppSyncServerOptions, type AppSyncServerUrls } from '../src/index';

// Frames are untyped JSON on purpose: the tests assert on their exact shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;
export type Frame = Record<string, unknown> & { type?: string; id?: string; payload?: Json };

export class TestClient {
  readonly frames: Frame[] = [];
  readonly raw: string[] = [];
  private waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;
  closeInfo: { code: number; reason: string } | undefined;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = data.toString();
      this.raw.push(text);
      this.frames.push(JSON.parse(text) as Frame);
      this.notify();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        this.notify();
        resolve(this.closeInfo);
      });
    });
    this.opened = new Promise((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`unexpected response ${res.statusCode}`)));
    });
    // Keep rejections of `opened` from crashing the test process when a test does not await it.
    this.opened.catch(() => undefined);
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Removes and returns the first queued frame matching `predicate`, waiting for it if needed. */
  async waitForMessage(predicate: (frame: Frame) => boolean = () => true, timeoutMs = 3000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex(predicate);
      if (index >= 0) return this.frames.splice(index, 1)[0] as Frame;
      if (this.closeInfo !== undefined) throw new Error(`socket closed (${this.closeInfo.code}) while waiting; queued: ${JSON.stringify(this.frames)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for a message; queued: ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  waitForType(type: string, id?: string, timeoutMs?: number): Promise<Frame> {
    return this.waitForMessage((frame) => frame.type === type && (id === undefined || frame.id === id), timeoutMs);
  }

  /** Waits for N frames of a type (removing them), in arrival order. */
  async waitForCount(type: string, count: number, timeoutMs = 5000): Promise<Frame[]> {
    const result: Frame[] = [];
    const deadline = Date.now() + timeoutMs;
    while (result.length < count) result.push(await this.waitForType(type, undefined, Math.max(1, deadline - Date.now())));
    return result;
  }

  /** Resolves after `ms` if no frame matching the predicate arrived; rejects if one did. */
  async expectNoMessage(predicate: (frame: Frame) => boolean, ms = 200): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    const found = this.frames.find(predicate);
    if (found !== undefined) throw new Error(`unexpected message ${JSON.stringify(found)}`);
  }

  close(): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.terminate();
  }
}

export const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');
export const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface TestServer {
  readonly server: AppSyncServer;
  readonly urls: AppSyncServerUrls;
  readonly apiKey: string;
  readonly host: string;
  readonly clients: TestClient[];
  /** Auth header object with the right key (or the given one). */
  header(apiKey?: string): Record<string, string>;
  /** Opens a client with `?header=…&payload=e30=` and subprotocol graphql-ws. */
  connect(options?: { apiKey?: string; header?: string | null; path?: string; protocols?: string[] }): TestClient;
  /** Opens a client with the header in `Sec-WebSocket-Protocol`. */
  connectWithSubprotocol(options?: { apiKey?: string; path?: string; entry?: string }): TestClient;
  /** Opens, inits and waits for the ack. */
  ready(): Promise<TestClient>;
  /** `start` frame for a document. */
  start(client: TestClient, id: string, query: string, variables?: Record<string, unknown>, apiKey?: string): void;
  subscribe(client: TestClient, id: string, query: string, variables?: Record<string, unknown>): Promise<void>;
  post(body: string | object, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: Json }>;
  close(): Promise<void>;
}

export async function startTestServer(options: AppSyncServerOptions = {}): Promise<TestServer> {
  const server = createAppSyncServer({ port: 0, ...options });
  const urls = await server.listen();
  const host = new URL(urls.graphqlUrl).host;
  const clients: TestClient[] = [];
  const track = (client: TestClient): TestClient => {
    clients.push(client);
    return client;
  };
  const test: TestServer = {
    server,
    urls,
    apiKey: urls.apiKey,
    host,
    clients,
    header: (apiKey = urls.apiKey) => ({ host, 'x-api-key': apiKey }),
    connect({ apiKey, header, path, protocols } = {}) {
      const base = path === undefined ? urls.realtimeUrl : urls.realtimeUrl.replace('/graphql/realtime', path);
      const encoded = header === undefined ? b64(test.header(apiKey)) : header;
      const url = encoded === null ? base : `${base}?header=${encoded}&payload=e30=`;
      return track(new TestClient(new WebSocket(url, protocols ?? ['graphql-ws'])));
    },
    connectWithSubprotocol({ apiKey, path, entry } = {}) {
      const base = path === undefined ? urls.realtimeUrl : urls.realtimeUrl.replace('/graphql/realtime', path);
      return track(new TestClient(new WebSocket(base, ['graphql-ws', entry ?? `header-${b64url(test.header(apiKey))}`])));
    },
    async ready() {
      const client = test.connect();
      await client.opened;
      client.send({ type: 'connection_init' });
      await client.waitForType('connection_ack');
      return client;
    },
    start(client, id, query, variables, apiKey) {
      client.send({
        id,
        type: 'start',
        payload: { data: JSON.stringify({ query, variables: variables ?? {} }), extensions: { authorization: test.header(apiKey) } },
      });
    },
    async subscribe(client, id, query, variables) {
      test.start(client, id, query, variables);
      const answer = await client.waitForMessage((frame) => frame.id === id && (frame.type === 'start_ack' || frame.type === 'error'));
      if (answer.type !== 'start_ack') throw new Error(`start ${id} refused: ${JSON.stringify(answer)}`);
    },
    async post(body, headers = { 'x-api-key': urls.apiKey }) {
      const response = await fetch(urls.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
    },
    async close() {
      for (const client of clients) client.close();
      await server.close();
    },
  };
  return test;
}

/** A `tickerlocal` mutation field with the given alias, ticker and seq, selecting `selection`. */
export function tickerMutationField(alias: string, ticker: string, seq: number, selection = 'id ticker seq price bid ask size matchtime ts'): string {
  return `${alias}: tickerlocal(id: "${ticker}-${seq}", ticker: "${ticker}", seq: ${seq}, price: ${100 + seq}.5, bid: ${100 + seq}.25, ask: ${100 + seq}.75, size: 2, matchtime: "2026-11-25T02:30:00.123Z", ts: ${1795574436050 + seq}) { ${selection} }`;
}

export function tickerMutation(fields: readonly [ticker: string, seq: number][], selection?: string): string {
  return `mutation Publish {\n${fields.map(([ticker, seq], i) => tickerMutationField(`q${i}`, ticker, seq, selection)).join('\n')}\n}`;
}

export const ALL_FIELDS = 'id ticker seq price bid ask size matchtime ts';
export const SUBSCRIBE_BY_TICKER = `subscription S($ticker: String) { tickerlocal(ticker: $ticker) { ${ALL_FIELDS} } }`;
