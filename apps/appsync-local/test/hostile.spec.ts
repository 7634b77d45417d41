import { connect } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, exchange, startCli, statusOf, upgradeRequest, type RunningCli } from './child';

let cli: RunningCli;

beforeAll(async () => {
  cli = await startCli(['--connection-timeout', '1000']);
}, 30_000);

afterAll(async () => {
  await cli.stop();
});

async function expectAlive(): Promise<void> {
  expect(cli.child.exitCode, cli.stderr()).toBeNull();
  const health = await fetch(`http://127.0.0.1:${cli.port}/healthz`);
  expect(health.status).toBe(200);
}

describe('appsync-local answers requests no client should send, and keeps serving', () => {
  // Issue 13: each of these killed the process with ERR_INVALID_URL from new URL().
  it.each(['//', '///x', '//:99999'])('upgrade to %s without credentials: 404, process alive', async (target) => {
    const answer = await exchange(cli.port, upgradeRequest(target));
    expect(statusOf(answer)).toBe(404);
    expect(bodyOf(answer)).toEqual({ errors: [{ message: 'Not Found' }] });
    await expectAlive();
  });

  it.each([
    ['an asterisk target', upgradeRequest('*'), 400],
    ['a target that is not a path', upgradeRequest('graphql/realtime'), 400],
    ['a path of 8000 slashes', upgradeRequest('/'.repeat(8000)), 404],
    ['no Sec-WebSocket-Key', 'GET /graphql/realtime HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n', 400],
    ['an unknown WebSocket version', upgradeRequest('/graphql/realtime').replace('Version: 13', 'Version: 99'), 400],
    ['an h2c upgrade', 'GET /graphql/realtime HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n', 400],
    ['a bad Sec-WebSocket-Protocol', upgradeRequest('/graphql/realtime', 'Sec-WebSocket-Protocol: graphql-ws,,"\r\n'), 400],
    ['/graphql without the graphql-ws subprotocol', upgradeRequest('/graphql'), 400],
  ])('upgrade with %s: %i', async (_name, request, status) => {
    expect(statusOf(await exchange(cli.port, request))).toBe(status);
    await expectAlive();
  });

  it('upgrade in absolute form without credentials: connection_error, then closed', async () => {
    const answer = await exchange(cli.port, upgradeRequest(`http://127.0.0.1:${cli.port}/graphql/realtime`), { end: false, timeoutMs: 1000 });
    expect(statusOf(answer)).toBe(101);
    expect(answer).toContain('"type":"connection_error"');
    expect(answer).toContain('Valid authorization header not provided.');
    await expectAlive();
  });

  it.each([
    ['a bad request line', 'GARBAGE\r\n\r\n', 400],
    ['raw binary', Buffer.from([0, 1, 2, 255, 254, 13, 10, 13, 10]), 400],
    ['headers over 16 KiB', `GET /healthz HTTP/1.1\r\nHost: h\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
    ['a bad Content-Length', 'POST /graphql HTTP/1.1\r\nHost: h\r\nContent-Length: nope\r\n\r\n', 400],
  ])('%s: %i in the AppSync error shape', async (_name, request, status) => {
    const answer = await exchange(cli.port, request);
    expect(statusOf(answer)).toBe(status);
    expect(bodyOf(answer)).toMatchObject({ errors: [{ errorType: 'MalformedHttpRequestException' }] });
    await expectAlive();
  });

  it.each([
    ['GET //', 'GET // HTTP/1.1\r\nHost: h\r\n\r\n', 404],
    ['GET //:99999', 'GET //:99999 HTTP/1.1\r\nHost: h\r\n\r\n', 404],
    ['GET *', 'GET * HTTP/1.1\r\nHost: h\r\n\r\n', 400],
    ['GET in absolute form', 'GET http://127.0.0.1/healthz HTTP/1.1\r\nHost: h\r\n\r\n', 200],
  ])('plain %s: %i', async (_name, request, status) => {
    expect(statusOf(await exchange(cli.port, request))).toBe(status);
    await expectAlive();
  });

  it('refuses a huge body without a key before reading it: 401 while the body is still coming', async () => {
    const headers = 'POST /graphql HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n';
    const answer = await exchange(cli.port, `${headers}{"query":"`, { end: false });
    expect(statusOf(answer)).toBe(401);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(bodyOf(answer)).toEqual({ errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }] });
    await expectAlive();
  });

  it('answers an endless chunked body with 413 once it passes 5 MiB, and closes the connection', async () => {
    const socket = connect(cli.port, '127.0.0.1');
    let answer = '';
    let closed = false;
    let sent = 0;
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => (closed = true));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`POST /graphql HTTP/1.1\r\nHost: h\r\nx-api-key: ${cli.apiKey}\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const chunk = `${(64 * 1024).toString(16)}\r\n${'a'.repeat(64 * 1024)}\r\n`;
    // Keep sending until the server has answered and closed: a body with no end.
    while (!closed && sent < 64 * 1024 * 1024) {
      if (!socket.write(chunk)) await new Promise((resolve) => setTimeout(resolve, 5));
      sent += 64 * 1024;
      if (answer !== '') await new Promise((resolve) => setTimeout(resolve, 20));
    }
    socket.destroy();
    expect(statusOf(answer)).toBe(413);
    expect(closed).toBe(true);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    await expectAlive();
  });

  it('closes a WebSocket that sends no connection_init within the connection timeout', async () => {
    const header = Buffer.from(JSON.stringify({ host: `127.0.0.1:${cli.port}`, 'x-api-key': cli.apiKey })).toString('base64');
    const ws = new WebSocket(`${cli.realtimeUrl}?header=${header}&payload=e30=`, ['graphql-ws']);
    const closed = await new Promise<{ code: number; reason: string }>((resolve, reject) => {
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
      ws.on('error', reject);
    });
    expect(closed).toEqual({ code: 1008, reason: 'connection_init not received in time' });
    await expectAlive();
  });

  it('refuses a keyed document of 100,000 aliased fields while /healthz keeps answering within a second', async () => {
    const query = `{ ${Array.from({ length: 100_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    // Built before probing, so the probe times the server, not this process serialising 1.8 MB.
    const body = Buffer.from(JSON.stringify({ query }));
    const slowest = { ms: 0 };
    let posting = true;
    const probe = (async () => {
      while (posting) {
        const started = performance.now();
        const health = await fetch(`http://127.0.0.1:${cli.port}/healthz`);
        await health.arrayBuffer();
        slowest.ms = Math.max(slowest.ms, performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const response = await fetch(cli.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': cli.apiKey }, body });
    const answer = (await response.json()) as { data: unknown; errors: { errorType: string; message: string }[] };
    posting = false;
    await probe;
    expect(response.status).toBe(200);
    expect(answer.data).toBeNull();
    expect(answer.errors[0]).toMatchObject({ errorType: 'LimitExceededError' });
    expect(answer.errors[0]?.message).toContain("More than 50000 'grammar' tokens");
    expect(slowest.ms).toBeLessThan(1000);
    await expectAlive();
  });
});
