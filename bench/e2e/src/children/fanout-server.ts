/**
 * The fan-out ceiling (path d): a bare `ws` server that makes quotes itself at `rate` (the same
 * seeded price model, no Kafka, no GraphQL) and sends each one as ONE pre-serialised
 * AppSync-shaped `data` frame (built once, as a Buffer) to every subscriber whose filter
 * matches. It answers just enough of the realtime handshake (connection_ack, start_ack) for the
 * same subscriber code to connect. What this machine can push through WebSockets at all.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import { createPriceModel, stringifyQuote } from '@tickerflow/quote';
import { childChannel, type ChildMessage } from '@tickerflow/bench-support';

interface Setup {
  readonly rate: number;
  readonly seed: string;
  readonly tickers: readonly string[];
}

interface Subscriber {
  readonly socket: WebSocket;
  readonly ticker: string | null;
}

const subscribers: Subscriber[] = [];
let setup: Setup | undefined;
let running = false;
let finish: (() => void) | undefined;

/** Bytes queued on one socket above which frames for it are dropped. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

const TICKER_ARGUMENT = /tickerlocal\s*\(\s*ticker\s*:\s*"([^"]*)"/;

function accept(socket: WebSocket): void {
  socket.on('message', (raw) => {
    const message = JSON.parse(raw.toString()) as { type: string; id?: string; payload?: { data?: string } };
    if (message.type === 'connection_init') {
      socket.send('{"type":"connection_ack","payload":{"connectionTimeoutMs":300000}}');
    } else if (message.type === 'start') {
      const request = JSON.parse(message.payload?.data ?? '{}') as { query?: string };
      const match = TICKER_ARGUMENT.exec(request.query ?? '');
      subscribers.push({ socket, ticker: match ? (match[1] as string) : null });
      socket.send(JSON.stringify({ type: 'start_ack', id: message.id }));
    }
  });
  socket.on('close', () => {
    const index = subscribers.findIndex((s) => s.socket === socket);
    if (index >= 0) subscribers.splice(index, 1);
  });
}

async function generate(s: Setup): Promise<{ produced: Record<string, number>; elapsedMs: number }> {
  const model = createPriceModel({ seed: s.seed, tickers: s.tickers });
  const produced: Record<string, number> = {};
  const started = performance.now();
  let made = 0;
  running = true;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const tick = (): void => {
    if (!running) return;
    const owed = Math.floor(((performance.now() - started) * s.rate) / 1000) - made;
    for (let i = 0; i < owed; i += 1) {
      const quote = model.next();
      produced[quote.ticker] = (produced[quote.ticker] ?? 0) + 1;
      const frame = Buffer.from(`{"type":"data","id":"1","payload":{"data":{"tickerlocal":${stringifyQuote(quote)}}}}`);
      for (const sub of subscribers) {
        if (sub.ticker !== null && sub.ticker !== quote.ticker) continue;
        // A subscriber this far behind is not keeping up: drop rather than buffer without bound
        // (appsync-local closes such a consumer instead); the subscriber counts it as lost.
        if (sub.socket.bufferedAmount > MAX_BUFFERED_BYTES) continue;
        sub.socket.send(frame, { binary: false });
      }
    }
    made += Math.max(0, owed);
    setTimeout(tick, 10);
  };
  tick();
  await done;
  return { produced, elapsedMs: performance.now() - started };
}

const reply = childChannel(async (message: ChildMessage) => {
  if (message.cmd === 'setup') {
    setup = message['setup'] as Setup;
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, handleProtocols: (protocols) => (protocols.has('graphql-ws') ? 'graphql-ws' : false) });
    wss.on('connection', accept);
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    const address = wss.address();
    if (address === null || typeof address === 'string') throw new Error('unexpected server address');
    reply({ cmd: 'listening', url: `ws://127.0.0.1:${address.port}/graphql/realtime` });
  } else if (message.cmd === 'start') {
    if (!setup) throw new Error('start before setup');
    const result = await generate(setup);
    reply({ cmd: 'done', ...result });
  } else if (message.cmd === 'stop') {
    running = false;
    finish?.();
  }
});
