import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createAppSyncServer, type AppSyncServer, type AppSyncServerOptions, type AppSyncServerUrls } from '@tickerflow/appsync-server';
import { createPublisher, type HttpPublisher } from '@tickerflow/appsync-client';
import { compileMutation } from '@tickerflow/relay';
import { quote } from '@tickerflow/test-support';

export const SUB_BIN = fileURLToPath(new URL('../../../node_modules/.bin/sub', import.meta.url));
export const APPSYNC_LOCAL_BIN = fileURLToPath(new URL('../../../node_modules/.bin/appsync-local', import.meta.url));

export interface SpawnedLocal {
  readonly graphqlUrl: string;
  readonly apiKey: string;
  /** Active subscriptions, from GET /healthz. */
  subscriptions(): Promise<number>;
  /** POSTs one GraphQL request with plain fetch and returns the parsed body. */
  post(query: string): Promise<{ data?: unknown; errors?: unknown }>;
  close(): Promise<void>;
}

/** Spawns the real `appsync-local` binary on port 0 with `args` (e.g. `--schema file`). */
export async function spawnAppSyncLocal(args: readonly string[]): Promise<SpawnedLocal> {
  const child = spawn(process.execPath, [APPSYNC_LOCAL_BIN, '--port', '0', '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const listening = await new Promise<{ graphqlUrl: string; apiKey: string }>((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((text) => text.includes('"listening"'));
      if (line !== undefined) resolve(JSON.parse(line) as { graphqlUrl: string; apiKey: string });
    });
    child.on('close', (code) => reject(new Error(`appsync-local exited ${code}: ${stderr}`)));
  });
  const { graphqlUrl, apiKey } = listening;
  return {
    graphqlUrl,
    apiKey,
    async subscriptions() {
      const response = await fetch(new URL('/healthz', graphqlUrl));
      return ((await response.json()) as { subscriptions: number }).subscriptions;
    },
    async post(query) {
      const response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as { data?: unknown; errors?: unknown };
    },
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface Local {
  readonly server: AppSyncServer;
  readonly urls: AppSyncServerUrls;
  readonly publisher: HttpPublisher;
  /** Publishes quotes for each ticker, seq from `from` for `n` each, in one aliased mutation. */
  publish(tickers: readonly string[], from: number, n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startLocal(options: AppSyncServerOptions = {}): Promise<Local> {
  const server = createAppSyncServer({ port: 0, ...options });
  const urls = await server.listen();
  const publisher = createPublisher({ url: urls.graphqlUrl, apiKey: urls.apiKey, connections: 2 });
  return {
    server,
    urls,
    publisher,
    async publish(tickers, from, n) {
      const quotes = [];
      for (let seq = from; seq < from + n; seq += 1) {
        for (const ticker of tickers) quotes.push(liveQuote(ticker, seq));
      }
      const result = await publisher.publish(compileMutation().build(quotes));
      if (result.errors !== undefined) throw new Error(`publish failed: ${JSON.stringify(result.errors)}`);
    },
    async close() {
      await publisher.close();
      await server.close();
    },
  };
}

/** A quote stamped now, so sub measures a real latency for it. */
export function liveQuote(ticker: string, seq: number) {
  return quote(ticker, seq, { ts: Date.now(), matchtime: new Date().toISOString() });
}

/** A writable that keeps everything written, with a wait-for-N-lines helper. */
export function captureStream() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return {
    stream,
    get text() {
      return text;
    },
    lines: () => text.split('\n').filter((line) => line !== ''),
    async waitForLines(n: number, timeoutMs = 10_000, filter: (line: string) => boolean = () => true) {
      const deadline = Date.now() + timeoutMs;
      while (text.split('\n').filter((line) => line !== '' && filter(line)).length < n) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} lines; got:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

/**
 * A stdout whose reader can stop reading: while blocked every write is held (highWaterMark 1,
 * so the first one already answers "full"), as a terminal or `| (sleep 60; cat)` would.
 */
export function blockableStream() {
  let blocked = false;
  let text = '';
  const held: (() => void)[] = [];
  const stream = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      if (blocked) held.push(() => callback());
      else callback();
    },
  });
  return {
    stream,
    lines: () => text.split('\n').filter((line) => line !== ''),
    block() {
      blocked = true;
    },
    release() {
      blocked = false;
      for (const callback of held.splice(0)) callback();
    },
  };
}

export async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface SpawnedSub {
  readonly stdout: string;
  readonly stderr: string;
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
  /** Starts reading stdout after `{pausedStdout: true}`. */
  resumeStdout(): void;
}

/**
 * Spawns `node_modules/.bin/sub` (the real bin, through tsx). With `pausedStdout` nobody reads
 * its stdout pipe until `resumeStdout()`, like `sub | (sleep 60; cat)`.
 */
export function spawnSub(args: readonly string[], env: NodeJS.ProcessEnv = {}, options: { pausedStdout?: boolean } = {}): SpawnedSub {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete base['APPSYNC_URL'];
  delete base['APPSYNC_API_KEY'];
  const child = spawn(process.execPath, [SUB_BIN, ...args], {
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  if (options.pausedStdout) child.stdout.pause();
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return {
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    pid: child.pid ?? -1,
    exited,
    kill: (signal) => child.kill(signal),
    resumeStdout: () => child.stdout.resume(),
  };
}

export interface RecordingServer {
  readonly graphqlUrl: string;
  /** Client frames in arrival order (parsed JSON). */
  readonly frames: { type: string; id?: string }[];
  /** Sends a data message to every started subscription. */
  publish(data: Record<string, unknown>): void;
  close(): Promise<void>;
}

/**
 * A raw `ws` AppSync endpoint that acks everything and records every client frame, for asserting
 * what the client sent (e.g. a `stop` per subscription on Ctrl-C). Deliberately not appsync-local.
 */
export async function startRecordingServer(): Promise<RecordingServer> {
  const frames: { type: string; id?: string }[] = [];
  const started = new Map<string, WebSocket>();
  const server = createHttpServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ server, handleProtocols: (protocols) => (protocols.has('graphql-ws') ? 'graphql-ws' : false) });
  wss.on('connection', (socket) => {
    socket.on('message', (raw: Buffer) => {
      const frame = JSON.parse(raw.toString()) as { type: string; id?: string };
      frames.push(frame);
      if (frame.type === 'connection_init') socket.send(JSON.stringify({ type: 'connection_ack', payload: { connectionTimeoutMs: 300_000 } }));
      if (frame.type === 'start' && frame.id) {
        started.set(frame.id, socket);
        socket.send(JSON.stringify({ type: 'start_ack', id: frame.id }));
      }
      if (frame.type === 'stop' && frame.id) {
        started.delete(frame.id);
        socket.send(JSON.stringify({ type: 'complete', id: frame.id }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    frames,
    publish(data) {
      for (const [id, socket] of started) socket.send(JSON.stringify({ type: 'data', id, payload: { data } }));
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
