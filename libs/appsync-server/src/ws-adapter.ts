import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  HEADER_SUBPROTOCOL_PREFIX,
  REALTIME_SUBPROTOCOL,
  decodeAuthHeader,
  type AuthHeader,
} from '@tickerflow/appsync-protocol';
import { errorMessage as describeError } from '@tickerflow/core';
import type { ConnectAuth, RealtimeCore } from './realtime';
import type { ServerLogger } from './logger';
import { parseRequestTarget } from './request-target';

/** Paths a client may derive for the realtime endpoint (custom-domain convention, and AWS's). */
export const REALTIME_PATHS = ['/graphql/realtime', '/graphql'] as const;

export interface WsAdapter {
  /** Handles an HTTP upgrade request; answers 400/404 itself when it is not for us. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

/**
 * Binds the transport-free realtime core to `ws`: checks the path and subprotocol, reads the
 * auth header from the `header` query parameter or a `header-<base64url>` subprotocol entry,
 * and always selects `graphql-ws` (never the credentials entry).
 */
export function createWsAdapter(core: RealtimeCore, options: { maxPayloadBytes: number; logger: ServerLogger }): WsAdapter {
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: options.maxPayloadBytes,
    handleProtocols: (protocols) => (protocols.has(REALTIME_SUBPROTOCOL) ? REALTIME_SUBPROTOCOL : false),
  });

  return {
    handleUpgrade(request, socket, head) {
      // Node hands the socket over without an 'error' listener: a peer that resets it while it is
      // answered here would otherwise raise an uncaught 'error' and stop the process.
      socket.on('error', ignoreSocketError);
      try {
        upgrade(request, socket, head);
      } catch (error) {
        // Whatever one request carries must never take the server down.
        options.logger.error({ err: describeError(error) }, 'upgrade request failed');
        socket.destroy();
      }
    },
    close() {
      wss.close();
    },
  };

  function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const target = parseRequestTarget(request.url);
    if (target === undefined) {
      rejectUpgrade(socket, 400, 'Bad Request: the request target is not a path');
      return;
    }
    const offered = parseProtocols(request.headers['sec-websocket-protocol']);
    if (!(REALTIME_PATHS as readonly string[]).includes(target.path)) {
      rejectUpgrade(socket, 404, 'Not Found');
      return;
    }
    // At /graphql the subprotocol is what tells a realtime client from a confused HTTP one.
    if (target.path === '/graphql' && !offered.includes(REALTIME_SUBPROTOCOL)) {
      rejectUpgrade(socket, 400, 'Bad Request: the realtime endpoint needs the graphql-ws subprotocol');
      return;
    }
    const auth = connectAuth(target.query, offered);
    wss.handleUpgrade(request, socket, head, (ws) => attach(ws, auth));
  }

  function attach(ws: WebSocket, auth: ConnectAuth): void {
    const frames = createFrameBatcher(ws);
    const handle = core.accept(
      {
        send: (text) => {
          frames.flush();
          ws.send(text);
        },
        sendFrameParts: (prefix, payload, suffix) => frames.add(prefix, payload, suffix),
        close: (code, reason) => {
          frames.flush();
          ws.close(code, reason);
        },
        terminate: () => ws.terminate(),
        get bufferedAmount() {
          return frames.bufferedAmount;
        },
      },
      auth,
    );
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
      handle.receive(text);
    });
    ws.on('close', () => handle.closed());
    ws.on('error', (error) => {
      options.logger.debug({ err: describeError(error) }, 'realtime socket error');
      handle.closed();
    });
  }
}

function parseProtocols(header: string | undefined): string[] {
  return header === undefined ? [] : header.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
}

function ignoreSocketError(): void {
  // the socket is destroyed by the error; nothing else to do
}

function connectAuth(query: URLSearchParams, offered: readonly string[]): ConnectAuth {
  const fromQuery = query.get('header');
  const fromProtocol = offered.find((entry) => entry.startsWith(HEADER_SUBPROTOCOL_PREFIX));
  const encoded = fromQuery ?? fromProtocol?.slice(HEADER_SUBPROTOCOL_PREFIX.length);
  if (encoded === undefined || encoded === null) return {};
  let header: AuthHeader;
  try {
    header = decodeAuthHeader(encoded);
  } catch (error) {
    return { problem: describeError(error) };
  }
  return { header };
}

function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ errors: [{ message }] });
  // Destroy once written: a peer that never closes its side must not keep the socket.
  socket.end(
    `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Bad Request'}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

interface FrameBatcher {
  add(prefix: Buffer, payload: Buffer, suffix: Buffer): void;
  flush(): void;
  /**
   * ws's unsent bytes plus the batch's. While a batch is pending, ws's part is the figure read
   * when the batch began (nothing else writes to ws before the flush; it can only have drained),
   * so the per-event slow-consumer check does not walk ws's getters for every event.
   */
  readonly bufferedAmount: number;
}

/**
 * Hot path for `data` frames. One mutation request publishes many events to the same sockets in
 * one synchronous loop; going through ws's Sender costs a frame allocation, a UTF-8 encode and
 * a socket write per frame. Instead, frames are framed here (server frames are unmasked; with
 * permessage-deflate off a text frame is just a 2/4/10-byte header and the bytes) and written
 * as ONE buffer per socket once the event loop's current poll phase is done (setImmediate), so
 * every HTTP request that arrived together shares one write per socket: under load the batches
 * grow and the syscalls per event shrink. This writes to ws's underlying `_socket`, which is
 * safe only while ws's Sender has nothing queued (it queues only while compressing, which is off);
 * otherwise, and for every other message, ws.send is used after a flush, so order is kept.
 */
function createFrameBatcher(ws: WebSocket): FrameBatcher {
  const internals = ws as unknown as { _socket?: { write(data: Buffer): boolean }; _sender?: { _queue?: unknown[] } };
  // Per frame: prefix, payload, suffix (the header is derived from their lengths at flush).
  let parts: Buffer[] = [];
  let pendingBytes = 0;
  let wsBufferedAtBatchStart = 0;
  let scheduled: NodeJS.Immediate | undefined;

  const flush = (): void => {
    if (scheduled !== undefined) {
      clearImmediate(scheduled);
      scheduled = undefined;
    }
    if (parts.length === 0) return;
    const batch = parts;
    const bytes = pendingBytes;
    parts = [];
    pendingBytes = 0;
    if (ws.readyState !== ws.OPEN) return;
    const socket = internals._socket;
    if (socket === undefined || (internals._sender?._queue?.length ?? 0) > 0) {
      // Fall back to ws's own framing, one frame at a time.
      for (let i = 0; i < batch.length; i += 3) ws.send(Buffer.concat(batch.slice(i, i + 3)).toString('utf8'));
      return;
    }
    const out = Buffer.allocUnsafe(bytes);
    let at = 0;
    for (let i = 0; i < batch.length; i += 3) {
      const prefix = batch[i] as Buffer;
      const payload = batch[i + 1] as Buffer;
      const suffix = batch[i + 2] as Buffer;
      at = writeFrameHeader(out, at, prefix.length + payload.length + suffix.length);
      // TypedArray#set: no argument checks, cheaper than Buffer#copy for these small pieces.
      out.set(prefix, at);
      at += prefix.length;
      out.set(payload, at);
      at += payload.length;
      out.set(suffix, at);
      at += suffix.length;
    }
    socket.write(out);
  };
  const scheduledFlush = (): void => {
    scheduled = undefined;
    flush();
  };

  return {
    get bufferedAmount() {
      return parts.length === 0 ? ws.bufferedAmount : wsBufferedAtBatchStart + pendingBytes;
    },
    flush,
    add(prefix, payload, suffix) {
      if (parts.length === 0) wsBufferedAtBatchStart = ws.bufferedAmount;
      const length = prefix.length + payload.length + suffix.length;
      parts.push(prefix, payload, suffix);
      pendingBytes += frameHeaderLength(length) + length;
      scheduled ??= setImmediate(scheduledFlush);
    },
  };
}

function frameHeaderLength(length: number): number {
  return length < 126 ? 2 : length < 65536 ? 4 : 10;
}

/** Writes the RFC 6455 header of an unmasked, final text frame of `length` bytes at `at`; returns the next offset. */
function writeFrameHeader(out: Buffer, at: number, length: number): number {
  out[at] = 0x81;
  if (length < 126) {
    out[at + 1] = length;
    return at + 2;
  }
  if (length < 65536) {
    out[at + 1] = 126;
    out[at + 2] = length >> 8;
    out[at + 3] = length & 0xff;
    return at + 4;
  }
  out[at + 1] = 127;
  out.writeBigUInt64BE(BigInt(length), at + 2);
  return at + 10;
}
