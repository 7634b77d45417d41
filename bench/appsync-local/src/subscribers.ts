/**
 * Benchmark subscribers, run in their own process so they do not share an event loop with the
 * publisher or the server. Opens N raw `ws` connections (one subscription each), records
 * publish→receive latency from each event's `ts` (publisher wall clock, µs precision), counts
 * events per subscriber and checks per-ticker sequence order. Talks to the parent over IPC.
 */
import WebSocket from 'ws';
import { REALTIME_SUBPROTOCOL, apiKeyAuthHeader, connectionInitMessage, realtimeConnectUrl, startMessage } from '@tickerflow/appsync-protocol';
import { childChannel, createHistogram, micros, percentiles, scanQuote, type ChildMessage, type ScannedQuote } from '@tickerflow/bench-support';

interface Setup {
  realtimeUrl: string;
  graphqlUrl: string;
  apiKey: string;
  subscribers: { index: number; ticker: string | null }[];
}

interface SubscriberState {
  index: number;
  ticker: string | null;
  received: number;
  lastSeq: Map<string, number>;
  outOfOrder: number;
}

const DATA_PREFIX = '{"type":"data",';

/** Every 100th frame: JSON.parse, and check the scan read the same. */
function checkedParse(text: string): ScannedQuote {
  const message = JSON.parse(text) as { id: string; payload: { data: { tickerlocal: ScannedQuote } } };
  const quote = message.payload.data.tickerlocal;
  const quick = scanQuote(text);
  if (quick.ticker !== quote.ticker || quick.seq !== quote.seq || quick.ts !== quote.ts) throw new Error(`parse mismatch: ${text}`);
  return quote;
}

const now = (): number => performance.timeOrigin + performance.now();
const histogram = createHistogram(120_000_000); // µs
const states: SubscriberState[] = [];
const sockets: WebSocket[] = [];
let measuring = false;

async function open(setup: Setup, spec: Setup['subscribers'][number]): Promise<void> {
  const header = apiKeyAuthHeader(setup.graphqlUrl, setup.apiKey);
  const ws = new WebSocket(realtimeConnectUrl(setup.realtimeUrl, header), [REALTIME_SUBPROTOCOL], { perMessageDeflate: false });
  sockets.push(ws);
  const state: SubscriberState = { index: spec.index, ticker: spec.ticker, received: 0, lastSeq: new Map(), outOfOrder: 0 };
  states.push(state);
  const argument = spec.ticker === null ? '' : `(ticker: ${JSON.stringify(spec.ticker)})`;
  const query = `subscription { tickerlocal${argument} { id ticker seq price bid ask size matchtime ts } }`;
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify(connectionInitMessage())));
    ws.on('message', (raw) => {
      const text = raw.toString();
      if (text.startsWith(DATA_PREFIX)) {
        // Hot loop of the benchmark: read ticker, seq and ts with indexOf instead of JSON.parse
        // (which dominated this process's profile); every 100th frame is fully parsed as a check.
        const quote = state.received % 100 === 0 ? checkedParse(text) : scanQuote(text);
        if (measuring) histogram.recordValue(micros(now() - quote.ts));
        state.received += 1;
        const last = state.lastSeq.get(quote.ticker) ?? 0;
        if (quote.seq <= last) state.outOfOrder += 1;
        state.lastSeq.set(quote.ticker, quote.seq);
        return;
      }
      const message = JSON.parse(text) as { type: string };
      if (message.type === 'connection_ack') {
        ws.send(JSON.stringify(startMessage(`sub-${spec.index}`, { query, variables: {} }, header)));
      } else if (message.type === 'start_ack') {
        resolve();
      } else if (message.type === 'error' || message.type === 'connection_error') {
        reject(new Error(JSON.stringify(message)));
      }
    });
  });
}

const reply = childChannel(async (message: ChildMessage) => {
  if (message.cmd === 'setup') {
    const setup = message['setup'] as Setup;
    await Promise.all(setup.subscribers.map((spec) => open(setup, spec)));
    reply({ cmd: 'ready' });
  } else if (message.cmd === 'measure') {
    histogram.reset();
    for (const state of states) state.received = 0;
    measuring = true;
    reply({ cmd: 'measuring' });
  } else if (message.cmd === 'report') {
    measuring = false;
    reply({
      cmd: 'report',
      subscribers: states.map(({ index, ticker, received, outOfOrder }) => ({ index, ticker, received, outOfOrder })),
      latencyUs: percentiles(histogram),
    });
  } else if (message.cmd === 'exit') {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  }
});
