import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRealtimeClient, type RealtimeClient } from '@tickerflow/appsync-client';
import { resolveConfig, type SubOptions } from '../src/config';
import { runSub } from '../src/run';
import {
  blockableStream,
  captureStream,
  spawnAppSyncLocal,
  spawnSub,
  startLocal,
  startRecordingServer,
  waitUntil,
  type Local,
} from './helpers';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function local(options: Parameters<typeof startLocal>[0] = {}): Promise<Local> {
  const server = await startLocal(options);
  cleanups.push(() => server.close());
  return server;
}

function options(url: string, apiKey: string, overrides: Partial<SubOptions> = {}): SubOptions {
  return {
    url,
    apiKey,
    authTransport: 'query',
    subscriptionField: 'tickerlocal',
    tickerArg: 'ticker',
    ackTimeout: 5_000,
    maxRetries: 10,
    retryInitial: 20,
    retryMax: 200,
    json: true,
    ...overrides,
  };
}

/** runSub in-process with captured stdout/stderr; `stop()` aborts it like Ctrl-C. */
function runInProcess(subOptions: SubOptions) {
  const stdout = captureStream();
  const stderr = captureStream();
  const controller = new AbortController();
  const done = runSub(resolveConfig(subOptions, false), {
    stdout: stdout.stream,
    stderr: stderr.stream,
    signal: controller.signal,
    color: false,
  });
  done.catch(() => {});
  cleanups.push(async () => {
    controller.abort();
    await done.catch(() => {});
  });
  return { stdout, stderr, done, stop: () => controller.abort() };
}

const parsed = (lines: readonly string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('sub against appsync-local (in-process server, real sockets)', () => {
  it('filtered and unfiltered subscriptions on one connection each get exactly their events', async () => {
    const server = await local();
    const client: RealtimeClient = createRealtimeClient({ url: server.urls.graphqlUrl, apiKey: server.urls.apiKey });
    cleanups.push(() => client.close());
    const byTicker: Record<string, string[]> = { BTC: [], ETH: [], all: [] };
    const started: string[] = [];
    const selection = 'ticker seq';
    for (const ticker of ['BTC', 'ETH']) {
      client.subscribe(
        { query: `subscription Q($ticker: String) { tickerlocal(ticker: $ticker) { ${selection} } }`, variables: { ticker } },
        { onData: (data) => byTicker[ticker]!.push(`${(data!['tickerlocal'] as { ticker: string }).ticker}`), onStarted: () => started.push(ticker) },
      );
    }
    client.subscribe({ query: `subscription { tickerlocal { ${selection} } }` }, {
      onData: (data) => byTicker['all']!.push(`${(data!['tickerlocal'] as { ticker: string }).ticker}`),
      onStarted: () => started.push('all'),
    });
    await client.connect();
    await waitUntil(() => started.length === 3, 'three start_acks');
    await server.publish(['BTC', 'ETH', 'SOL'], 1, 5);
    await waitUntil(() => byTicker['all']!.length === 15, 'all 15 events on the unfiltered subscription');
    await waitUntil(() => byTicker['BTC']!.length === 5 && byTicker['ETH']!.length === 5, 'filtered events');
    await new Promise((resolve) => setTimeout(resolve, 100)); // nothing more may arrive
    expect(byTicker['BTC']).toEqual(Array(5).fill('BTC'));
    expect(byTicker['ETH']).toEqual(Array(5).fill('ETH'));
    expect(new Set(byTicker['all'])).toEqual(new Set(['BTC', 'ETH', 'SOL']));
    expect(server.server.stats().connectionsAccepted).toBe(1);
  });

  it('prints only the selected fields plus receivedAt, only for the asked tickers', async () => {
    const server = await local();
    const run = runInProcess(options(server.urls.graphqlUrl, server.urls.apiKey, { ticker: ['BTC', 'ETH'], fields: ['ticker', 'price'], count: 6 }));
    await waitUntil(() => server.server.stats().subscriptions === 2, 'two subscriptions');
    await server.publish(['BTC', 'SOL', 'ETH'], 1, 3);
    await run.done;
    const events = parsed(run.stdout.lines());
    expect(events).toHaveLength(6);
    for (const event of events) {
      expect(Object.keys(event)).toEqual(['ticker', 'price', 'receivedAt']);
      expect(['BTC', 'ETH']).toContain(event['ticker']);
      expect(typeof event['receivedAt']).toBe('number');
    }
  });

  it('authenticates with the header- subprotocol too', async () => {
    const server = await local();
    const run = runInProcess(options(server.urls.graphqlUrl, server.urls.apiKey, { ticker: ['SOL'], authTransport: 'subprotocol', count: 2 }));
    await waitUntil(() => server.server.stats().subscriptions === 1, 'subscribed');
    await server.publish(['BTC', 'SOL'], 1, 2);
    await run.done;
    expect(parsed(run.stdout.lines()).map((event) => [event['ticker'], event['seq']])).toEqual([
      ['SOL', 1],
      ['SOL', 2],
    ]);
  });

  it('keeps the good subscription when the server rejects another one', async () => {
    const server = await local();
    const run = runInProcess(
      options(server.urls.graphqlUrl, server.urls.apiKey, { ticker: ['BTC'], query: 'subscription { tickerlocal { nope } }', count: 3 }),
    );
    await run.stderr.waitForLines(1, 10_000, (line) => line.includes('rejected'));
    await waitUntil(() => server.server.stats().subscriptions === 1, 'one live subscription');
    await server.publish(['BTC', 'ETH'], 1, 3);
    await run.done;
    expect(parsed(run.stdout.lines()).map((event) => event['ticker'])).toEqual(['BTC', 'BTC', 'BTC']);
    const notice = JSON.parse(run.stderr.lines().find((line) => line.includes('rejected'))!) as { msg: string; level: number };
    expect(notice.msg).toMatch(/^subscription --query rejected: .*nope/);
  });

  it('exits non-zero (1) when every subscription is rejected', async () => {
    const server = await local();
    const run = runInProcess(options(server.urls.graphqlUrl, server.urls.apiKey, { query: 'subscription { tickerlocal { nope } }' }));
    await expect(run.done).rejects.toMatchObject({ code: 'ALL_SUBSCRIPTIONS_REJECTED' });
  });

  it('reconnects after appsync-local is killed and restarted on the same port, re-subscribes and reports the gap', async () => {
    const first = await startLocal();
    const port = first.urls.port;
    const run = runInProcess(options(first.urls.graphqlUrl, first.urls.apiKey, { ticker: ['BTC'], stats: true }));
    await waitUntil(() => first.server.stats().subscriptions === 1, 'subscribed');
    await first.publish(['BTC'], 1, 5);
    await run.stdout.waitForLines(5);
    await first.close();
    const second = await local({ port });
    await waitUntil(() => second.server.stats().subscriptions === 1, 're-subscribed', 15_000);
    await second.publish(['BTC'], 9, 3); // 6, 7, 8 were "published while away"
    await run.stdout.waitForLines(8);
    run.stop();
    await run.done;
    const events = parsed(run.stdout.lines());
    expect(events.map((event) => event['seq'])).toEqual([1, 2, 3, 4, 5, 9, 10, 11]);
    expect(events.slice(0, 5).every((event) => event['reconnected'] === undefined)).toBe(true);
    expect(events.slice(5).every((event) => event['reconnected'] === true && event['epoch'] === 1)).toBe(true);
    const stats = (JSON.parse(run.stderr.lines().find((line) => line.startsWith('{"stats"'))!) as { stats: Record<string, unknown> }).stats;
    expect(stats).toMatchObject({ events: 8, reconnects: 1, gaps: 1, missed: 3, duplicates: 0, eventsAfterReconnect: 3 });
    expect(run.stderr.text).toContain('BTC: 3 quotes missed across the reconnect (epoch 1)');
  });
});

describe('the sub binary', () => {
  it('prints N JSON lines for its ticker only while several tickers are published, and exits 0', async () => {
    const server = await local();
    const sub = spawnSub(['--url', server.urls.graphqlUrl, '--ticker', 'BTC', '--count', '10', '--json']);
    cleanups.push(async () => {
      sub.kill('SIGKILL');
      await sub.exited;
    });
    await waitUntil(() => server.server.stats().subscriptions === 1, 'sub subscribed', 20_000);
    let seq = 1;
    while (sub.stdout.split('\n').filter(Boolean).length < 10 && seq < 200) {
      await server.publish(['BTC', 'ETH', 'SOL'], seq, 2);
      seq += 2;
    }
    const { code } = await sub.exited;
    const lines = sub.stdout.split('\n').filter(Boolean);
    expect(code).toBe(0);
    expect(lines).toHaveLength(10);
    expect(lines.map((line) => (JSON.parse(line) as { ticker: string }).ticker)).toEqual(Array(10).fill('BTC'));
  });

  it('exits 3 with one line naming the URL and the masked key when the key is wrong', async () => {
    const server = await local();
    const sub = spawnSub(['--url', server.urls.graphqlUrl, '--api-key', 'da2-thisisnotthekey00001234', '--ticker', 'BTC']);
    const { code } = await sub.exited;
    expect(code).toBe(3);
    const lines = sub.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(server.urls.graphqlUrl);
    expect(lines[0]).toContain('da2-…1234');
    expect(lines[0]).not.toContain('thisisnotthekey');
  });

  it('retries a closed port with backoff and exits 4', async () => {
    const server = await startLocal();
    const url = server.urls.graphqlUrl;
    await server.close(); // now nothing listens there
    const started = Date.now();
    const sub = spawnSub(['--url', url, '--max-retries', '2', '--retry-initial', '100', '--retry-max', '200']);
    const { code } = await sub.exited;
    expect(code).toBe(4);
    const lines = sub.stderr.split('\n').filter(Boolean);
    expect(lines.filter((line) => line.includes('retry 1/2') || line.includes('retry 2/2'))).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/^sub: cannot connect to ws:\/\/127\.0\.0\.1:\d+\/graphql\/realtime after 3 attempts: .*ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('on SIGINT sends stop for every subscription, waits for complete, exits 0', async () => {
    const fake = await startRecordingServer();
    cleanups.push(() => fake.close());
    const sub = spawnSub(['--url', fake.graphqlUrl, '--api-key', 'da2-fakefakefakefake0000', '--ticker', 'BTC,ETH', '--json']);
    cleanups.push(async () => {
      sub.kill('SIGKILL');
      await sub.exited;
    });
    await waitUntil(() => fake.frames.filter((frame) => frame.type === 'start').length === 2, 'two starts', 20_000);
    fake.publish({ tickerlocal: { ticker: 'BTC', seq: 1 } });
    await waitUntil(() => sub.stdout.split('\n').filter(Boolean).length === 2, 'two events');
    sub.kill('SIGINT');
    const { code } = await sub.exited;
    expect(code).toBe(0);
    const ids = (type: string) => fake.frames.filter((frame) => frame.type === type).map((frame) => frame.id).sort();
    expect(ids('stop')).toEqual(ids('start'));
    expect(ids('stop')).toHaveLength(2);
    expect(sub.stderr).toBe('');
  });
});

describe('sub under a slow terminal (stdout blocked longer than connectionTimeoutMs)', () => {
  const sleepMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('neither times out nor reconnects, and delivers every event once the reader is back', async () => {
    const server = await local({ connectionTimeoutMs: 500, keepAliveIntervalMs: 50 });
    const stdout = blockableStream();
    const stderr = captureStream();
    const controller = new AbortController();
    const done = runSub(resolveConfig(options(server.urls.graphqlUrl, server.urls.apiKey, { ticker: ['BTC'], stats: true, count: 6 }), false), {
      stdout: stdout.stream,
      stderr: stderr.stream,
      signal: controller.signal,
      color: false,
    });
    cleanups.push(async () => {
      controller.abort();
      await done.catch(() => {});
    });
    await waitUntil(() => server.server.stats().subscriptions === 1, 'subscribed');
    stdout.block();
    await server.publish(['BTC'], 1, 3);
    await sleepMs(1_500); // 3 × connectionTimeoutMs with nothing read
    await server.publish(['BTC'], 4, 3);
    await sleepMs(600);
    stdout.release();
    await done;
    expect(stdout.lines().map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(stderr.text).not.toMatch(/keep-alive|reconnected|did not start/);
    const stats = (JSON.parse(stderr.lines().find((line) => line.startsWith('{"stats"'))!) as { stats: Record<string, unknown> }).stats;
    expect(stats).toMatchObject({ events: 6, reconnects: 0, gaps: 0, duplicates: 0 });
    expect(server.server.stats().connectionsAccepted).toBe(1);
  });

  it('the sub binary behind a pipe nobody reads for a while (`sub | (sleep; cat)`) keeps its one connection', async () => {
    // A timeout loose enough that a loaded machine's own stalls (publishing in the same process) stay under it.
    const server = await local({ connectionTimeoutMs: 1_000, keepAliveIntervalMs: 100 });
    const total = 3_000; // ~600 KB of NDJSON: far more than a pipe holds, so sub's stdout really blocks
    const sub = spawnSub(['--url', server.urls.graphqlUrl, '--ticker', 'BTC', '--count', String(total), '--json', '--stats'], {}, { pausedStdout: true });
    cleanups.push(async () => {
      sub.kill('SIGKILL');
      await sub.exited;
    });
    await waitUntil(() => server.server.stats().subscriptions === 1, 'sub subscribed', 20_000);
    for (let seq = 1; seq <= total; seq += 100) await server.publish(['BTC'], seq, 100);
    await sleepMs(3_000); // nobody reads for 3 × connectionTimeoutMs
    sub.resumeStdout();
    await waitUntil(() => sub.stdout.split('\n').filter(Boolean).length >= total, `${total} lines`, 30_000);
    const { code } = await sub.exited;
    expect(sub.stderr).not.toMatch(/keep-alive|reconnected|did not start/);
    expect(code).toBe(0);
    const seqs = sub.stdout.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { seq: number }).seq);
    expect(seqs).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    expect(server.server.stats().connectionsAccepted).toBe(1);
  });
});

describe("sub against the reference design's schema (appsync-local --schema)", () => {
  const REFERENCE_SCHEMA = `
type Tickerdata { id: ID! ticker: String! price: Float! matchtime: String }
type Query { ping: String }
type Mutation { tickerlocal(id: ID!, ticker: String!, price: Float!, matchtime: String): Tickerdata! }
type Subscription {
  tickerlocal(id: ID, ticker: String, price: Float): Tickerdata @aws_subscribe(mutations: ["tickerlocal"])
}
`;
  // The reference producer's record shape: no key, `id` an integer, no seq, no ts.
  const records = [
    { ticker: 'BTC', price: 106.66713681140098, matchtime: '2026-12-01T10:50:59.222824', id: 0 },
    { ticker: 'ETH', price: 3.5, matchtime: '2026-12-01T10:50:59.300000', id: 1 },
    { ticker: 'BTC', price: 106.7, matchtime: '2026-12-01T10:50:59.400000', id: 2 },
    { ticker: 'SOL', price: 1.25, matchtime: '2026-12-01T10:50:59.500000', id: 3 },
    { ticker: 'BTC', price: 106.5, matchtime: '2026-12-01T10:50:59.600000', id: 4 },
  ];
  const mutation = (record: (typeof records)[number]) =>
    `mutation { tickerlocal(id: "${record.id}", ticker: "${record.ticker}", price: ${record.price}, matchtime: "${record.matchtime}") { id ticker price matchtime } }`;

  async function referenceLocal() {
    const dir = await mkdtemp(join(tmpdir(), 'sub-reference-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'schema.graphql');
    await writeFile(file, REFERENCE_SCHEMA);
    const server = await spawnAppSyncLocal(['--schema', file]);
    cleanups.push(() => server.close());
    return server;
  }

  it('--subscription-field/--fields/--ticker receive exactly the BTC records, with n/a for gaps and latency', async () => {
    const server = await referenceLocal();
    const sub = spawnSub([
      '--url', server.graphqlUrl,
      '--subscription-field', 'tickerlocal',
      '--fields', 'id,ticker,price,matchtime',
      '--ticker', 'BTC',
      '--json', '--count', '3', '--stats',
    ]);
    cleanups.push(async () => {
      sub.kill('SIGKILL');
      await sub.exited;
    });
    await waitForSubscriptions(server, 1);
    for (const record of records) expect(await server.post(mutation(record))).not.toHaveProperty('errors');
    const { code } = await sub.exited;
    expect(sub.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{"stats"'))).toEqual([]);
    expect(code).toBe(0);
    const events = parsed(sub.stdout.split('\n').filter(Boolean));
    expect(events.map(({ receivedAt, ...event }) => (typeof receivedAt === 'number' ? event : undefined))).toEqual(
      records.filter((record) => record.ticker === 'BTC').map((record) => ({ ...record, id: String(record.id) })),
    );
    const stats = (JSON.parse(sub.stderr.split('\n').find((line) => line.startsWith('{"stats"'))!) as { stats: Record<string, unknown> }).stats;
    expect(stats).toMatchObject({ events: 3, gaps: null, missed: null, duplicates: null, latencyMs: null });
  });

  it('without --fields selects what the schema declares (introspection), so plain --ticker works', async () => {
    const server = await referenceLocal();
    const run = runInProcess(options(server.graphqlUrl, server.apiKey, { ticker: ['ETH'], count: 1 }));
    await waitForSubscriptions(server, 1);
    for (const record of records) await server.post(mutation(record));
    await run.done;
    expect(parsed(run.stdout.lines()).map(({ receivedAt, ...event }) => (typeof receivedAt === 'number' ? event : undefined))).toEqual([
      { id: '1', ticker: 'ETH', price: 3.5, matchtime: '2026-12-01T10:50:59.300000' },
    ]);
  });

  it('--filter works on any argument: an ID argument given as a number, a Float', async () => {
    const server = await referenceLocal();
    const byId = runInProcess(
      options(server.graphqlUrl, server.apiKey, { fields: ['id', 'ticker'], filter: [{ name: 'id', literal: '3' }], count: 1 }),
    );
    const byPrice = runInProcess(
      options(server.graphqlUrl, server.apiKey, { fields: ['id', 'price'], filter: [{ name: 'price', literal: '106.7' }], count: 1 }),
    );
    await waitForSubscriptions(server, 2);
    for (const record of records) await server.post(mutation(record));
    await Promise.all([byId.done, byPrice.done]);
    expect(parsed(byId.stdout.lines()).map((event) => [event['id'], event['ticker']])).toEqual([['3', 'SOL']]);
    expect(parsed(byPrice.stdout.lines()).map((event) => [event['id'], event['price']])).toEqual([['2', 106.7]]);
  });
});

async function waitForSubscriptions(server: { subscriptions(): Promise<number> }, n: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await server.subscriptions()) < n) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} subscriptions`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
