import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  REALTIME_SUBPROTOCOL,
  completeMessage,
  connectionAckMessage,
  connectionErrorMessage,
  dataMessage,
  decodeAuthHeader,
  errorMessage,
  keepAliveMessage,
  parseClientMessage,
  startAckMessage,
  type AppSyncErrorEntry,
  type ClientMessage,
  type ServerMessage,
} from '@tickerflow/appsync-protocol';

/**
 * A deliberately small, raw-`ws` AppSync realtime fake for the client's own tests: it records
 * every frame and lets a test misbehave on purpose (no keep-alive, refuse a start, drop the
 * socket) in ways the real appsync-local should never do. It shares only the message
 * constructors with the client, not its state machine.
 */
export interface FakeAppSyncOptions {
  readonly apiKey?: string;
  readonly connectionTimeoutMs?: number;
  /** ka period; 0 sends none (watchdog tests). Default 50. */
  readonly kaIntervalMs?: number;
  /** Decides each start: undefined acks it, an error list refuses it, 'ignore' never answers it. */
  readonly onStart?: (query: string, id: string) => readonly AppSyncErrorEntry[] | 'ignore' | undefined;
  /** Answer the upgrade with this HTTP status instead of accepting it. */
  readonly rejectUpgradeStatus?: number;
  /** Ignore connection_init (ack timeout tests). */
  readonly silent?: boolean;
}

export interface FakeConnection {
  readonly socket: WebSocket;
  readonly index: number;
  readonly subprotocols: readonly string[];
  readonly url: string;
  readonly active: Set<string>;
}

export interface FakeAppSync {
  readonly graphqlUrl: string;
  readonly port: number;
  /** Every client frame, with the index of the connection it came on. */
  readonly received: { readonly connection: number; readonly message: ClientMessage }[];
  readonly connections: FakeConnection[];
  /** Sends a data message to every active subscription (of every connection). */
  publish(data: Record<string, unknown>): number;
  send(connection: FakeConnection, message: ServerMessage): void;
  /** Resolves once `predicate` holds for the received frames (polls; bounded). */
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Closes every open client socket abruptly. */
  dropAll(): void;
  /** Stops sending ka on every connection (the server stays otherwise alive). */
  stopKeepAlive(): void;
  close(): Promise<void>;
}

export async function startFakeAppSync(options: FakeAppSyncOptions = {}): Promise<FakeAppSync> {
  const apiKey = options.apiKey ?? 'da2-fakefakefakefake0000';
  const kaIntervalMs = options.kaIntervalMs ?? 50;
  const received: FakeAppSync['received'] = [];
  const connections: FakeConnection[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let keepAlive = kaIntervalMs > 0;

  const server: Server = createServer((_request, response) => {
    response.writeHead(404).end();
  });
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has(REALTIME_SUBPROTOCOL) ? REALTIME_SUBPROTOCOL : false),
  });
  server.on('upgrade', (request, socket, head) => {
    if (options.rejectUpgradeStatus !== undefined) {
      socket.end(`HTTP/1.1 ${options.rejectUpgradeStatus} Nope\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const subprotocols = String(request.headers['sec-websocket-protocol'] ?? '')
        .split(',')
        .map((item) => item.trim());
      const url = request.url ?? '';
      const connection: FakeConnection = { socket: ws, index: connections.length, subprotocols, url, active: new Set() };
      connections.push(connection);
      const headerParam = new URL(url, 'http://x').searchParams.get('header');
      const headerProtocol = subprotocols.find((item) => item.startsWith('header-'));
      const encoded = headerParam ?? headerProtocol?.slice('header-'.length);
      const auth = encoded === undefined ? undefined : decodeAuthHeader(encoded);
      ws.on('message', (raw: Buffer) => {
        const message = parseClientMessage(raw.toString());
        received.push({ connection: connection.index, message });
        if (options.silent) return;
        switch (message.type) {
          case 'connection_init':
            if (auth?.['x-api-key'] !== apiKey) {
              send(connection, connectionErrorMessage([{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.', errorCode: 401 }]));
              ws.close(1000);
              return;
            }
            send(connection, connectionAckMessage(options.connectionTimeoutMs ?? 300_000));
            if (kaIntervalMs > 0) {
              const timer = setInterval(() => {
                if (keepAlive) send(connection, keepAliveMessage());
              }, kaIntervalMs);
              timers.add(timer);
              ws.on('close', () => {
                clearInterval(timer);
                timers.delete(timer);
              });
            }
            return;
          case 'start': {
            const query = (JSON.parse(message.payload.data) as { query: string }).query;
            const errors = options.onStart?.(query, message.id);
            if (errors === 'ignore') return;
            if (errors !== undefined) {
              send(connection, errorMessage(message.id, errors));
              return;
            }
            connection.active.add(message.id);
            send(connection, startAckMessage(message.id));
            return;
          }
          case 'stop':
            connection.active.delete(message.id);
            send(connection, completeMessage(message.id));
            return;
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  function send(connection: FakeConnection, message: ServerMessage): void {
    if (connection.socket.readyState === connection.socket.OPEN) connection.socket.send(JSON.stringify(message));
  }

  return {
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    port,
    received,
    connections,
    publish(data) {
      let sent = 0;
      for (const connection of connections) {
        for (const id of connection.active) {
          send(connection, dataMessage(id, data));
          sent += 1;
        }
      }
      return sent;
    },
    send,
    async waitFor(predicate, what, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    dropAll() {
      for (const connection of connections) connection.socket.terminate();
    },
    stopKeepAlive() {
      keepAlive = false;
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      for (const connection of connections) connection.socket.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
