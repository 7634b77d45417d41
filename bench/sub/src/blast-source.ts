import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  REALTIME_SUBPROTOCOL,
  connectionAckMessage,
  dataMessage,
  parseClientMessage,
  startAckMessage,
} from '@tickerflow/appsync-protocol';
import { sleep } from '@tickerflow/core';

/**
 * A bare AppSync realtime source for measuring sub's own ceiling: it acks every connection and
 * start, then sends data frames at a paced rate with no GraphQL work in between, so the
 * subscriber (not the emulator) is what limits the rate.
 */
export interface BlastSource {
  readonly graphqlUrl: string;
  /** Resolves once a subscription is active. */
  waitForSubscriber(timeoutMs: number): Promise<void>;
  /** Sends up to `total` events at `rate`/s over the tickers, within `budgetMs`; resolves with how many, the ms it took and the peak unsent bytes. */
  blast(rate: number, total: number, budgetMs: number, tickers: number): Promise<{ sent: number; ms: number; peakBufferedBytes: number }>;
  close(): Promise<void>;
}

export async function startBlastSource(): Promise<BlastSource> {
  const server = createServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({
    server,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(REALTIME_SUBPROTOCOL) ? REALTIME_SUBPROTOCOL : false),
  });
  let subscriber: { socket: WebSocket; id: string } | undefined;
  const seqs = new Map<string, number>();
  wss.on('connection', (socket) => {
    socket.on('message', (raw: Buffer) => {
      const message = parseClientMessage(raw.toString());
      if (message.type === 'connection_init') socket.send(JSON.stringify(connectionAckMessage(300_000)));
      else if (message.type === 'start') {
        socket.send(JSON.stringify(startAckMessage(message.id)));
        subscriber = { socket, id: message.id };
      } else if (message.type === 'stop') {
        socket.send(JSON.stringify({ type: 'complete', id: message.id }));
      }
    });
    socket.on('close', () => {
      if (subscriber?.socket === socket) subscriber = undefined;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    async waitForSubscriber(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (subscriber === undefined) {
        if (Date.now() > deadline) throw new Error('no subscriber');
        await sleep(20);
      }
    },
    async blast(rate, total, budgetMs, tickers) {
      const target = subscriber;
      if (target === undefined) throw new Error('no subscriber');
      const names = Array.from({ length: tickers }, (_, index) => `T${index}`);
      const start = performance.now();
      let sent = 0;
      let peak = 0;
      while (sent < total && target.socket.readyState === target.socket.OPEN && performance.now() - start < budgetMs) {
        const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
        const now = Date.now();
        const matchtime = new Date(now).toISOString();
        for (; sent < due; sent += 1) {
          const ticker = names[sent % names.length] as string;
          const seq = (seqs.get(ticker) ?? 0) + 1;
          seqs.set(ticker, seq);
          const quote = { id: `${ticker}-${seq}`, ticker, seq, price: 100.5, bid: 100.49, ask: 100.51, size: 1, matchtime, ts: now };
          target.socket.send(JSON.stringify(dataMessage(target.id, { tickerlocal: quote })));
        }
        peak = Math.max(peak, target.socket.bufferedAmount);
        await sleep(2);
      }
      return { sent, ms: performance.now() - start, peakBufferedBytes: peak };
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
