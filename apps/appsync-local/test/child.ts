/**
 * Test helpers that treat appsync-local as a stranger would: the real CLI process, spoken to
 * over raw TCP so requests no HTTP client would send can be sent.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = `${ROOT}node_modules/.bin/appsync-local`;

export interface RunningCli {
  readonly child: ChildProcessWithoutNullStreams;
  readonly port: number;
  readonly apiKey: string;
  readonly graphqlUrl: string;
  readonly realtimeUrl: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Resident set size of the process, in bytes (Linux /proc). */
  rssBytes(): number;
  stop(): Promise<void>;
}

/** Starts `appsync-local --port 0 --json ...args` and waits for its listening line. */
export async function startCli(args: readonly string[] = []): Promise<RunningCli> {
  const child = spawn(BIN, ['--port', '0', '--json', ...args], { cwd: ROOT, env: { ...process.env, APPSYNC_LOCAL_PORT: '' } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line; stderr: ${stderr}`)), 20_000);
    createInterface({ input: child.stdout }).once('line', (text) => {
      clearTimeout(timer);
      resolve(text);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  const listening = JSON.parse(line) as { port: number; apiKey: string; graphqlUrl: string; realtimeUrl: string };
  return {
    child,
    ...listening,
    stderr: () => stderr,
    rssBytes() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface ExchangeOptions {
  /** Half-close after writing, as a client that has said everything would. Default true. */
  readonly end?: boolean;
  /** Give up (and destroy the socket) after this long. Default 3000. */
  readonly timeoutMs?: number;
}

/**
 * Writes `data` to a fresh TCP connection and resolves with everything received until the
 * server closed it (or the timeout passed). Never rejects: resets count as a closed connection.
 */
export function exchange(port: number, data: string | Buffer, options: ExchangeOptions = {}): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1');
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, options.timeoutMs ?? 3000);
    socket.on('connect', () => {
      if (options.end === false) socket.write(data);
      else socket.end(data);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', done);
    socket.on('close', done);
  });
}

/** The status code of a raw HTTP answer, or undefined when nothing parseable came back. */
export function statusOf(answer: string): number | undefined {
  const match = /^HTTP\/1\.1 (\d{3}) /.exec(answer);
  return match === null ? undefined : Number(match[1]);
}

/** The JSON body of a raw HTTP answer with a Content-Length. */
export function bodyOf(answer: string): unknown {
  const at = answer.indexOf('\r\n\r\n');
  return JSON.parse(answer.slice(at + 4));
}

/** WebSocket upgrade request headers (RFC 6455 §4.1), without credentials. */
export function upgradeRequest(target: string, extra = ''): string {
  return (
    `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
    `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`
  );
}
