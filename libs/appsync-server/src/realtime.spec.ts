import { describe, expect, it } from 'vitest';
import { createDocumentCache } from './documents';
import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { compileSerialiser, createRealtimeCore, type RealtimeOptions, type RealtimeSocket } from './realtime';
import { renderSelection } from './projection';
import { loadAppSyncSchema } from './schema';

const KEY = 'da2-test';

function fakeSocket(): RealtimeSocket & { frames: unknown[]; closedWith?: [number, string]; terminated: boolean; buffered: number } {
  const socket = {
    frames: [] as unknown[],
    closedWith: undefined as [number, string] | undefined,
    terminated: false,
    buffered: 0,
    send(text: string) {
      socket.frames.push(JSON.parse(text));
    },
    close(code: number, reason: string) {
      socket.closedWith = [code, reason];
    },
    terminate() {
      socket.terminated = true;
    },
    get bufferedAmount() {
      return socket.buffered;
    },
  };
  return socket;
}

function setup(overrides: Partial<RealtimeOptions> = {}) {
  const api = loadAppSyncSchema();
  const intervals: { callback: () => void; ms: number; cleared: boolean }[] = [];
  const timeouts: { callback: () => void; ms: number; cleared: boolean }[] = [];
  const core = createRealtimeCore(api, createDocumentCache(api.schema), {
    apiKey: KEY,
    keepAliveIntervalMs: 60_000,
    connectionTimeoutMs: 300_000,
    maxSubscriptionsPerConnection: 100,
    maxMessageBytes: 128 * 1024,
    maxEventBytes: 240 * 1024,
    maxBufferedBytes: 1000,
    timers: {
      setInterval: (callback, ms) => {
        const handle = { callback, ms, cleared: false };
        intervals.push(handle);
        return handle;
      },
      clearInterval: (handle) => {
        (handle as { cleared: boolean }).cleared = true;
      },
      setTimeout: (callback, ms) => {
        const handle = { callback, ms, cleared: false };
        timeouts.push(handle);
        return handle;
      },
      clearTimeout: (handle) => {
        (handle as { cleared: boolean }).cleared = true;
      },
    },
    ...overrides,
  });
  return { core, intervals, timeouts };
}

const auth = { header: { host: 'h', 'x-api-key': KEY } };
const start = (id: string, query: string) =>
  JSON.stringify({ type: 'start', id, payload: { data: JSON.stringify({ query }), extensions: { authorization: auth.header } } });

describe('realtime core (transport-free)', () => {
  it('acks, then sends ka on the injected timer, and stops the timer on close', () => {
    const { core, intervals } = setup();
    const socket = fakeSocket();
    const connection = core.accept(socket, auth);
    connection.receive('{"type":"connection_init"}');
    expect(socket.frames).toEqual([{ type: 'connection_ack', payload: { connectionTimeoutMs: 300000 } }, { type: 'ka' }]);
    expect(intervals).toHaveLength(1);
    expect(intervals[0]!.ms).toBe(60_000);
    intervals[0]!.callback();
    expect(socket.frames.at(-1)).toEqual({ type: 'ka' });
    connection.closed();
    expect(intervals[0]!.cleared).toBe(true);
    expect(core.stats().connections).toBe(0);
  });

  it('closes a connection that sends no connection_init within the init timeout', () => {
    const { core, timeouts } = setup({ connectionInitTimeoutMs: 5000 });
    const socket = fakeSocket();
    core.accept(socket, auth);
    expect(timeouts.map((t) => t.ms)).toEqual([5000]);
    timeouts[0]!.callback();
    expect(socket.closedWith).toEqual([1008, 'connection_init not received in time']);
    expect(core.stats().connections).toBe(0);
  });

  it('keeps a connection that sent connection_init: the init timer is cleared', () => {
    const { core, timeouts } = setup();
    const socket = fakeSocket();
    const connection = core.accept(socket, auth);
    expect(timeouts[0]!.ms).toBe(300_000);
    connection.receive('{"type":"connection_init"}');
    expect(timeouts[0]!.cleared).toBe(true);
    expect(socket.closedWith).toBeUndefined();
  });

  it('keeps a connection that subscribes without connection_init (init is optional in AppSync)', () => {
    const { core, timeouts } = setup();
    const socket = fakeSocket();
    const connection = core.accept(socket, auth);
    connection.receive(start('a', 'subscription { tickerlocal { ticker } }'));
    expect(timeouts[0]!.cleared).toBe(true);
    expect(socket.closedWith).toBeUndefined();
  });

  it('publishes through the filter index and serialises once per shape', () => {
    const { core } = setup();
    const sockets = [fakeSocket(), fakeSocket(), fakeSocket()];
    const connections = sockets.map((socket) => core.accept(socket, auth));
    connections[0]!.receive(start('a', 'subscription { tickerlocal(ticker: "BTC") { ticker } }'));
    connections[1]!.receive(start('b', 'subscription { tickerlocal(ticker: "ETH") { ticker } }'));
    connections[2]!.receive(start('c', 'subscription { tickerlocal { ticker } }'));
    expect(core.publish('tickerlocal', { ticker: 'BTC' })).toBe(2);
    expect(sockets[0]!.frames.at(-1)).toEqual({ type: 'data', id: 'a', payload: { data: { tickerlocal: { ticker: 'BTC' } } } });
    expect(sockets[1]!.frames.at(-1)).toEqual({ type: 'start_ack', id: 'b' });
    expect(sockets[2]!.frames.at(-1)).toEqual({ type: 'data', id: 'c', payload: { data: { tickerlocal: { ticker: 'BTC' } } } });
    expect(core.publish('unknownMutation', { ticker: 'BTC' })).toBe(0);
  });

  it('terminates a connection whose buffer is over the limit and counts it', () => {
    const { core } = setup();
    const socket = fakeSocket();
    const connection = core.accept(socket, auth);
    connection.receive(start('a', 'subscription { tickerlocal { ticker } }'));
    socket.buffered = 5000;
    expect(core.publish('tickerlocal', { ticker: 'X' })).toBe(1);
    expect(socket.terminated).toBe(true);
    expect(core.stats()).toMatchObject({ slowConsumersClosed: 1, subscriptions: 0, connections: 0 });
  });

  it('refuses a connection with a problem header with connection_error and a close', () => {
    const { core } = setup();
    const socket = fakeSocket();
    core.accept(socket, { problem: 'garbage' });
    expect(socket.frames).toEqual([
      { type: 'connection_error', payload: { errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.', errorCode: 401 }] } },
    ]);
    expect(socket.closedWith).toEqual([1008, 'connection_error']);
  });
});

describe('compileSerialiser', () => {
  const api = loadAppSyncSchema(`
    type Item { id: ID! name: String n: Int tags: [String] child: Item }
    type Query { item: Item }
    type Mutation { put(id: ID!, name: String, n: Int): Item }
    type Subscription { onPut: Item @aws_subscribe(mutations: ["put"]) }
  `);
  const field = api.schema.getSubscriptionType()!.getFields()['onPut']!;
  const compile = (query: string) => {
    const document = parse(query);
    const operation = document.definitions[0] as OperationDefinitionNode;
    const node = operation.selectionSet.selections[0] as FieldNode;
    const fragments = Object.fromEntries(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
    );
    const generic = (event: unknown) => JSON.stringify({ data: { [node.alias?.value ?? node.name.value]: renderSelection(event, node.selectionSet, field.type, fragments) } });
    return { compiled: compileSerialiser(node, field, fragments), generic };
  };
  const events: unknown[] = [
    { id: '1', name: 'a "quoted" \u2028 name', n: 3 },
    { id: '1' },
    { id: '2', name: null, n: 1.5, extra: true },
    null,
    { id: 'x', name: { nested: [1, 2] } },
  ];

  it.each([
    'subscription { onPut { id name n } }',
    'subscription { o: onPut { n id x: name id __typename } }',
    'subscription { onPut { name name } }',
  ])('writes the same text as renderSelection + JSON.stringify: %s', (query) => {
    const { compiled, generic } = compile(query);
    expect(compiled).toBeDefined();
    for (const event of events) expect(compiled!(event)).toBe(generic(event));
  });

  it.each([
    'subscription { onPut { ...F } } fragment F on Item { id }',
    'subscription { onPut { tags } }',
    'subscription { onPut { child { id } } }',
    'subscription { onPut { id @include(if: true) } }',
  ])('leaves other selections to renderSelection: %s', (query) => {
    expect(compile(query).compiled).toBeUndefined();
  });
});
