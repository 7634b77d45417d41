/**
 * The reference design's relay (path b), modelled honestly: a Kafka poller (kafkajs consumer,
 * own group, from the beginning) hands records to a "function" in batches the way the Lambda
 * Kafka event source does by default — a batch closes after a 500 ms batching window or at
 * 100 records, whichever comes first — and the function POSTs the quotes ONE per request,
 * sequentially, each over a NEW HTTP connection (a fresh undici Client per POST, closed after),
 * to the same appsync-local. One invocation at a time.
 */
import { Client } from 'undici';
import { pino } from 'pino';
import { createKafka, parseBrokers } from '@tickerflow/kafka';
import { compileMutation } from '@tickerflow/relay';
import { childChannel, type ChildMessage } from '@tickerflow/bench-support';

interface Setup {
  readonly brokers: string;
  readonly topic: string;
  readonly graphqlUrl: string;
  readonly apiKey: string;
  readonly windowMs: number;
  readonly maxRecords: number;
}

type Item = Record<string, string | number>;

const template = compileMutation();

const queue: { item: Item; at: number }[] = [];
let wake: (() => void) | undefined;
let running = true;
let posted = 0;
let failed = 0;

async function post(url: URL, apiKey: string, item: Item): Promise<void> {
  const client = new Client(url.origin);
  try {
    const body = JSON.stringify(template.build([item]));
    const response = await client.request({
      path: url.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey, connection: 'close' },
      body,
    });
    const text = await response.body.text();
    if (response.statusCode !== 200 || text.includes('"errors"')) failed += 1;
    else posted += 1;
  } catch {
    failed += 1;
  } finally {
    await client.close().catch(() => {});
  }
}

const waitForRecords = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => {
      wake = undefined;
      resolve();
    }, ms);
    wake = () => {
      clearTimeout(timer);
      wake = undefined;
      resolve();
    };
  });

/** The event source + function loop: batch by window or size, then one POST per record. */
async function invokeLoop(setup: Setup): Promise<void> {
  const url = new URL(setup.graphqlUrl);
  while (running) {
    if (queue.length === 0) {
      await waitForRecords(1000);
      continue;
    }
    const first = queue[0] as { at: number };
    const closesAt = first.at + setup.windowMs;
    while (running && queue.length < setup.maxRecords && performance.now() < closesAt) {
      await waitForRecords(Math.max(1, closesAt - performance.now()));
    }
    const batch = queue.splice(0, setup.maxRecords);
    for (const { item } of batch) await post(url, setup.apiKey, item);
  }
}

const reply = childChannel(async (message: ChildMessage) => {
  if (message.cmd === 'setup') {
    const setup = message['setup'] as Setup;
    const kafka = createKafka({ brokers: parseBrokers('brokers', setup.brokers), clientId: 'bench-e2e-reference', ssl: false, connectTimeoutMs: 10_000 }, pino({ level: 'silent' }));
    const consumer = kafka.consumer({ groupId: `${setup.topic}-reference`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [setup.topic], fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const at = performance.now();
        for (const m of batch.messages) queue.push({ item: JSON.parse(m.value?.toString() ?? '{}') as Item, at });
        if (queue.length >= setup.maxRecords) wake?.();
        else if (batch.messages.length > 0 && queue.length === batch.messages.length) wake?.();
      },
    });
    await joined;
    void invokeLoop(setup);
    reply({ cmd: 'ready' });
  } else if (message.cmd === 'stats') {
    reply({ cmd: 'stats', posted, failed, queued: queue.length });
  } else if (message.cmd === 'stop') {
    running = false;
    wake?.();
  }
});
