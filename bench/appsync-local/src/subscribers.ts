/**
 * Benchmark subscribers, run in their own process so they do not share an event loop with the
 * publisher or the server. Opens N raw `ws` connections (one subscription each), records
 * publish→receive latency from each event's `ts` (publisher wall clock, µs precision), counts
 * events per subscriber and checks per-ticker sequence order. Talks to the parent over IPC.
 */
import WebSocket from 'ws';
import hdr from 'hdr-histogram-js';

interface Setup {
  realtimeUrl: string;
  graphqlHost: string;
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

interface Quote {
  ticker: string;
  seq: number;
  ts: number;
}

/** The number right after `key` (searched from `from`, or backwards from the end when `last`). */
function numberAfter(text: string, key: string, from = 0, last = false): number {
  const at = last ? text.lastIndexOf(key) : text.indexOf(key, from);
  if (at < 0) throw new Error(`no ${key} in ${text.slice(0, 200)}`);
  const start = at + key.length;
  let end = start;
  // Digits, '.', '-', '+', 'e', 'E' by char code: this runs twice per received event.
  for (; end < text.length; end += 1) {
    const c = text.charCodeAt(end);
    if (!((c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43 || c === 101 || c === 69)) break;
  }
  return Number(text.slice(start, end));
}

function quickParse(text: string): Quote {
  const at = text.indexOf('"ticker":"') + 10;
  const close = text.indexOf('"', at);
  // `ts` is the last field the benchmark's subscription selects: find it from the end.
  return { ticker: text.slice(at, close), seq: numberAfter(text, '"seq":', close), ts: numberAfter(text, '"ts":', 0, true) };
}

function fullParse(text: string): Quote {
  const message = JSON.parse(text) as { id: string; payload: { data: { tickerlocal: Quote } } };
  const quote = message.payload.data.tickerlocal;
  const quick = quickParse(text);
  if (quick.ticker !== quote.ticker || quick.seq !== quote.seq || quick.ts !== quote.ts) throw new Error(`parse mismatch: ${text}`);
  return quote;
}

const now = (): number => performance.timeOrigin + performance.now();
const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
const states: SubscriberState[] = [];
const sockets: WebSocket[] = [];
let measuring = false;

const send = (message: unknown): void => {
  process.send?.(message);
};

async function open(setup: Setup, spec: Setup['subscribers'][number]): Promise<void> {
  const header = Buffer.from(JSON.stringify({ host: setup.graphqlHost, 'x-api-key': setup.apiKey })).toString('base64');
  const ws = new WebSocket(`${setup.realtimeUrl}?header=${header}&payload=e30=`, ['graphql-ws'], { perMessageDeflate: false });
  sockets.push(ws);
  const state: SubscriberState = { index: spec.index, ticker: spec.ticker, received: 0, lastSeq: new Map(), outOfOrder: 0 };
  states.push(state);
  const argument = spec.ticker === null ? '' : `(ticker: ${JSON.stringify(spec.ticker)})`;
  const query = `subscription { tickerlocal${argument} { id ticker seq price bid ask size matchtime ts } }`;
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', () => ws.send('{"type":"connection_init"}'));
    ws.on('message', (raw) => {
      const text = raw.toString();
      if (text.startsWith(DATA_PREFIX)) {
        // Hot loop of the benchmark: read ticker, seq and ts with indexOf instead of JSON.parse
        // (which dominated this process's profile); every 100th frame is fully parsed as a check.
        const quote = state.received % 100 === 0 ? fullParse(text) : quickParse(text);
        if (measuring) histogram.recordValue(Math.max(1, Math.round((now() - quote.ts) * 1000)));
        state.received += 1;
        const last = state.lastSeq.get(quote.ticker) ?? 0;
        if (quote.seq <= last) state.outOfOrder += 1;
        state.lastSeq.set(quote.ticker, quote.seq);
        return;
      }
      const message = JSON.parse(text) as { type: string };
      if (message.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: `sub-${spec.index}`, type: 'start', payload: { data: JSON.stringify({ query, variables: {} }), extensions: { authorization: { host: setup.graphqlHost, 'x-api-key': setup.apiKey } } } }));
      } else if (message.type === 'start_ack') {
        resolve();
      } else if (message.type === 'error' || message.type === 'connection_error') {
        reject(new Error(JSON.stringify(message)));
      }
    });
  });
}

process.on('message', async (message: { cmd: string; setup?: Setup }) => {
  try {
    if (message.cmd === 'setup' && message.setup !== undefined) {
      const setup = message.setup;
      await Promise.all(setup.subscribers.map((spec) => open(setup, spec)));
      send({ cmd: 'ready' });
    } else if (message.cmd === 'measure') {
      histogram.reset();
      for (const state of states) state.received = 0;
      measuring = true;
      send({ cmd: 'measuring' });
    } else if (message.cmd === 'report') {
      measuring = false;
      send({
        cmd: 'report',
        subscribers: states.map(({ index, ticker, received, outOfOrder }) => ({ index, ticker, received, outOfOrder })),
        latencyUs: {
          count: histogram.totalCount,
          p50: histogram.getValueAtPercentile(50),
          p99: histogram.getValueAtPercentile(99),
          p999: histogram.getValueAtPercentile(99.9),
          max: histogram.maxValue,
        },
      });
    } else if (message.cmd === 'exit') {
      for (const ws of sockets) ws.terminate();
      process.exit(0);
    }
  } catch (error) {
    send({ cmd: 'failed', error: String(error) });
  }
});
send({ cmd: 'started' });
