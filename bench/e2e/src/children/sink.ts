/**
 * The K subscriber connections of one scenario, in their own process (so they never share an
 * event loop with the server or the relay).
 *
 * - mode 'ws': K raw `ws` connections speaking the AppSync realtime protocol to appsync-local
 *   or the bare fan-out server, one subscription each (filter from the mix).
 * - mode 'kafka' (the floor): ONE kafkajs consumer (own group, from the beginning) stands in
 *   for the K subscribers: each record counts as delivered to every subscriber whose filter
 *   matches, with the same latency (there is no fan-out hop on this path).
 *
 * Latency = receipt (wall clock, µs) − quote `ts`, recorded only for quotes made after the
 * warm-up (`measure` sets the first `ts` that counts). Deliveries are counted over the whole run.
 */
import WebSocket from 'ws';
import { pino } from 'pino';
import {
  REALTIME_SUBPROTOCOL,
  apiKeyAuthHeader,
  connectionInitMessage,
  realtimeConnectUrl,
  startMessage,
} from '@tickerflow/appsync-protocol';
import { childChannel, createHistogram, micros, percentiles, scanQuote, type ChildMessage } from '@tickerflow/bench-support';
import { createKafka, parseBrokers } from '@tickerflow/kafka';
import { createDeliveryTracker, type DeliveryTracker } from '../delivery-tracker';
import type { SubscriberFilter } from '../mix';

interface WsSetup {
  readonly mode: 'ws';
  readonly graphqlUrl: string;
  readonly realtimeUrl: string;
  readonly apiKey: string;
  readonly filters: readonly SubscriberFilter[];
}

interface KafkaSetup {
  readonly mode: 'kafka';
  readonly brokers: string;
  readonly topic: string;
  readonly filters: readonly SubscriberFilter[];
}

const now = (): number => performance.timeOrigin + performance.now();
const histogram = createHistogram(600_000_000, { autoResize: true }); // µs
const trackers: DeliveryTracker[] = [];
const sockets: WebSocket[] = [];
let measureFromTs = Number.POSITIVE_INFINITY;
let closed = 0;
let stopping = false;
let consumer: { disconnect(): Promise<void> } | undefined;

function record(tracker: DeliveryTracker, ticker: string, seq: number, ts: number, receivedAt: number): void {
  if (tracker.observe(ticker, seq) && ts >= measureFromTs) histogram.recordValue(micros(receivedAt - ts));
}

function openSubscriber(setup: WsSetup, filter: SubscriberFilter): Promise<void> {
  const header = apiKeyAuthHeader(setup.graphqlUrl, setup.apiKey);
  const ws = new WebSocket(realtimeConnectUrl(setup.realtimeUrl, header), [REALTIME_SUBPROTOCOL], { perMessageDeflate: false });
  sockets.push(ws);
  const tracker = createDeliveryTracker();
  trackers.push(tracker);
  const argument = filter === null ? '' : `(ticker: ${JSON.stringify(filter)})`;
  const query = `subscription { tickerlocal${argument} { id ticker seq price bid ask size matchtime ts } }`;
  return new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('close', () => {
      if (!stopping) closed += 1;
    });
    ws.on('open', () => ws.send(JSON.stringify(connectionInitMessage())));
    ws.on('message', (raw) => {
      const receivedAt = now();
      const text = raw.toString();
      if (text.startsWith('{"type":"data"')) {
        // The hot loop of this process: ticker, seq and ts without JSON.parse.
        const q = scanQuote(text);
        record(tracker, q.ticker, q.seq, q.ts, receivedAt);
        return;
      }
      const message = JSON.parse(text) as { type: string };
      if (message.type === 'connection_ack') {
        ws.send(JSON.stringify(startMessage('1', { query, variables: {} }, header)));
      } else if (message.type === 'start_ack') {
        resolve();
      } else if (message.type === 'error' || message.type === 'connection_error') {
        reject(new Error(`subscription refused: ${text.slice(0, 300)}`));
      }
    });
  });
}

async function startConsumer(setup: KafkaSetup): Promise<void> {
  const kafka = createKafka({ brokers: parseBrokers('brokers', setup.brokers), clientId: 'bench-e2e-floor', ssl: false, connectTimeoutMs: 10_000 }, pino({ level: 'silent' }));
  const c = kafka.consumer({ groupId: `${setup.topic}-floor`, maxWaitTimeInMs: 100 });
  consumer = c;
  for (const _ of setup.filters) trackers.push(createDeliveryTracker());
  const filters = setup.filters;
  await c.connect();
  await c.subscribe({ topics: [setup.topic], fromBeginning: true });
  const joined = new Promise<void>((resolve) => c.on(c.events.GROUP_JOIN, () => resolve()));
  await c.run({
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        const receivedAt = now();
        const quote = JSON.parse(message.value?.toString() ?? '{}') as { ticker: string; seq: number; ts: number };
        for (let i = 0; i < filters.length; i += 1) {
          const filter = filters[i];
          if (filter === null || filter === quote.ticker) record(trackers[i] as DeliveryTracker, quote.ticker, quote.seq, quote.ts, receivedAt);
        }
      }
    },
  });
  await joined;
}

function totals(): { unique: number; received: number; duplicated: number; outOfOrder: number } {
  let unique = 0;
  let received = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  for (const t of trackers) {
    const c = t.counts();
    unique += c.unique;
    received += c.received;
    duplicated += c.duplicated;
    outOfOrder += c.outOfOrder;
  }
  return { unique, received, duplicated, outOfOrder };
}

const reply = childChannel(async (message: ChildMessage) => {
  switch (message.cmd) {
    case 'setup': {
      const setup = message['setup'] as WsSetup | KafkaSetup;
      if (setup.mode === 'ws') await Promise.all(setup.filters.map((filter) => openSubscriber(setup, filter)));
      else await startConsumer(setup);
      reply({ cmd: 'ready' });
      break;
    }
    case 'measure':
      measureFromTs = message['fromTs'] as number;
      break;
    case 'progress':
      reply({ cmd: 'progress', ...totals() });
      break;
    case 'report': {
      stopping = true;
      reply({
        cmd: 'report',
        ...totals(),
        perSubscriber: trackers.map((t) => t.counts().unique),
        closed,
        latencyMs: percentiles(histogram, 1000),
      });
      for (const ws of sockets) ws.terminate();
      await consumer?.disconnect().catch(() => {});
      break;
    }
    default:
      throw new Error(`unknown command ${message.cmd}`);
  }
});
