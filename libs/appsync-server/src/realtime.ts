import {
  GraphQLError,
  Kind,
  getArgumentValues,
  getOperationAST,
  getNullableType,
  getVariableValues,
  isLeafType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type SelectionSetNode,
} from 'graphql';
import {
  AppSyncErrorType,
  MessageType,
  connectionAckMessage,
  connectionErrorMessage,
  completeMessage,
  createFilterIndex,
  createSubscriptionFilter,
  errorMessage,
  keepAliveMessage,
  parseClientMessage,
  parseGraphQLRequest,
  startAckMessage,
  type AppSyncErrorEntry,
  type AuthHeader,
  type FilterIndex,
  type ServerMessage,
  type StartMessage,
  type SubscriptionFilter,
} from '@tickerflow/appsync-protocol';
import { ProtocolError } from '@tickerflow/core';
import { checkApiKey, NO_CREDENTIALS_MESSAGE } from './auth';
import type { DocumentCache } from './documents';
import type { AppSyncSchema } from './schema';
import { renderSelection, type Fragments } from './projection';
import { silentLogger, type ServerLogger } from './logger';

/** The minimal socket the realtime core needs; the ws adapter provides it. */
export interface RealtimeSocket {
  send(text: string): void;
  /**
   * Optional fast path for `data` frames: the frame's text is `prefix + payload + suffix`, given
   * as UTF-8 bytes so an adapter can frame it without re-encoding. Without it, `send` is used.
   */
  sendFrameParts?(prefix: Buffer, payload: Buffer, suffix: Buffer): void;
  /** Close handshake after queued frames. */
  close(code: number, reason: string): void;
  /** Drop the connection now, queued frames included. */
  terminate(): void;
  /** Bytes queued for this socket and not yet written to the network. */
  readonly bufferedAmount: number;
}

/** What the upgrade request carried: a decoded auth header, or why there is none. */
export interface ConnectAuth {
  readonly header?: AuthHeader;
  /** Set when the request carried a `header` that could not be decoded. */
  readonly problem?: string;
}

export interface Timers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RealtimeOptions {
  readonly apiKey: string;
  /** Period of `ka` messages (AppSync: about 60 s). */
  readonly keepAliveIntervalMs: number;
  /** Announced in `connection_ack` (AppSync: 300000). */
  readonly connectionTimeoutMs: number;
  /** A connection that sends no `connection_init` within this long is closed. Default: connectionTimeoutMs. */
  readonly connectionInitTimeoutMs?: number;
  /** Active subscriptions one connection may hold (AppSync default 100). */
  readonly maxSubscriptionsPerConnection: number;
  /** Largest client frame accepted, in bytes; larger ones get a LimitExceededError. */
  readonly maxMessageBytes: number;
  /** Largest subscription event, in bytes (AppSync: 240 KB); larger events are not delivered. */
  readonly maxEventBytes: number;
  /** A connection whose unsent data exceeds this is closed as a slow consumer. */
  readonly maxBufferedBytes: number;
  readonly timers?: Timers;
  readonly logger?: ServerLogger;
}

export interface RealtimeStats {
  connections: number;
  subscriptions: number;
  connectionsAccepted: number;
  connectionsRefused: number;
  eventsPublished: number;
  messagesDelivered: number;
  slowConsumersClosed: number;
  oversizeEventsDropped: number;
  clientErrors: number;
}

export interface RealtimeConnectionHandle {
  /** A text frame arrived. Never throws. */
  receive(text: string): void;
  /** The socket closed (either side). */
  closed(): void;
}

export interface RealtimeCore {
  accept(socket: RealtimeSocket, auth: ConnectAuth): RealtimeConnectionHandle;
  /** Delivers one mutation field's published result to matching subscribers; returns deliveries. */
  publish(mutationField: string, result: unknown): number;
  stats(): RealtimeStats;
  /** Closes every connection (server shutdown). */
  closeAll(code: number, reason: string): void;
}

/** One subscription field selected by one document: subscribers sharing it share serialisation. */
interface Shape {
  readonly key: string;
  readonly responseKey: string;
  readonly field: GraphQLField<unknown, unknown>;
  readonly selectionSet: SelectionSetNode | undefined;
  readonly fragments: Fragments;
  references: number;
  /** The publish call `payload` was serialised for (payloads are built once per shape per event). */
  stamp: number;
  payload: Buffer | null;
  /** The `{"data":…}` text of an event, precompiled for flat selections; undefined = use renderSelection. */
  readonly serialise: ((event: unknown) => string) | undefined;
}

/** What subscriptions need of their connection. */
interface SubscriberConnection {
  readonly subscriptions: Map<string, Subscription>;
  sendData(prefix: Buffer, payload: Buffer): void;
}

const FRAME_SUFFIX = Buffer.from('}');

interface Subscription {
  readonly id: string;
  readonly connection: SubscriberConnection;
  readonly fieldName: string;
  readonly filter: SubscriptionFilter;
  readonly shape: Shape;
  /** `{"type":"data","id":"<id>","payload":` — the per-subscriber part of every data frame, as UTF-8. */
  readonly framePrefix: Buffer;
}

const DEFAULT_TIMERS: Timers = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Close reason of a connection that never sent `connection_init`. */
export const INIT_TIMEOUT_REASON = 'connection_init not received in time';

/** Close code after a `connection_error` (RFC 6455 1008: policy violation). */
export const CONNECTION_ERROR_CLOSE_CODE = 1008;

/**
 * The transport-free realtime server: connection lifecycle, subscriptions, filtering and
 * fan-out. Sockets come in through {@link RealtimeCore.accept}; mutations come in through
 * {@link RealtimeCore.publish}.
 */
export function createRealtimeCore(api: AppSyncSchema, documents: DocumentCache, options: RealtimeOptions): RealtimeCore {
  const logger = options.logger ?? silentLogger;
  const timers = options.timers ?? DEFAULT_TIMERS;
  const indexes = new Map<string, FilterIndex<Subscription>>();
  const shapes = new Map<string, Shape>();
  const connections = new Set<Connection>();
  const stats: RealtimeStats = {
    connections: 0,
    subscriptions: 0,
    connectionsAccepted: 0,
    connectionsRefused: 0,
    eventsPublished: 0,
    messagesDelivered: 0,
    slowConsumersClosed: 0,
    oversizeEventsDropped: 0,
    clientErrors: 0,
  };
  let nextConnectionId = 1;
  let publishStamp = 0;

  class Connection implements RealtimeConnectionHandle {
    readonly id = nextConnectionId++;
    readonly subscriptions = new Map<string, Subscription>();
    private keepAlive: unknown;
    /** Pending until `connection_init` arrives: idle sockets must not stay open forever. */
    private initTimer: unknown;
    private open = true;

    constructor(private readonly socket: RealtimeSocket) {
      this.initTimer = timers.setTimeout(() => {
        this.initTimer = undefined;
        logger.info({ connection: this.id }, 'closing a connection that sent no connection_init');
        this.disconnect(CONNECTION_ERROR_CLOSE_CODE, INIT_TIMEOUT_REASON);
      }, options.connectionInitTimeoutMs ?? options.connectionTimeoutMs);
    }

    sendMessage(message: ServerMessage): void {
      this.sendText(JSON.stringify(message));
    }

    sendText(text: string): void {
      if (!this.open || this.overBuffer()) return;
      this.socket.send(text);
    }

    sendData(prefix: Buffer, payload: Buffer): void {
      if (!this.open || this.overBuffer()) return;
      if (this.socket.sendFrameParts !== undefined) this.socket.sendFrameParts(prefix, payload, FRAME_SUFFIX);
      else this.socket.send(`${prefix.toString('utf8')}${payload.toString('utf8')}}`);
    }

    /** True (and the connection closed) when the consumer has fallen too far behind. */
    private overBuffer(): boolean {
      if (this.socket.bufferedAmount > options.maxBufferedBytes) {
        stats.slowConsumersClosed += 1;
        logger.warn(
          { connection: this.id, bufferedBytes: this.socket.bufferedAmount, limit: options.maxBufferedBytes },
          'closing slow consumer: its unsent data exceeds the buffer limit',
        );
        this.shutdown();
        this.socket.terminate();
        return true;
      }
      return false;
    }

    refuse(message: string): void {
      stats.connectionsRefused += 1;
      this.sendMessage(connectionErrorMessage([{ errorType: AppSyncErrorType.Unauthorized, message, errorCode: 401 }]));
      this.shutdown();
      this.socket.close(CONNECTION_ERROR_CLOSE_CODE, 'connection_error');
    }

    receive(text: string): void {
      if (!this.open) return;
      try {
        this.handle(text);
      } catch (error) {
        // Whatever one client sends must never take the server down.
        logger.error({ connection: this.id, err: error }, 'unexpected failure handling a client message');
        this.sendError(undefined, AppSyncErrorType.Internal, 'Internal failure handling the message.');
      }
    }

    closed(): void {
      this.shutdown();
    }

    disconnect(code: number, reason: string): void {
      this.shutdown();
      this.socket.close(code, reason);
    }

    private handle(text: string): void {
      if (text.length > options.maxMessageBytes / 4 && Buffer.byteLength(text, 'utf8') > options.maxMessageBytes) {
        this.sendError(undefined, AppSyncErrorType.LimitExceeded, `Message size exceeds the limit of ${options.maxMessageBytes} bytes.`);
        return;
      }
      let message;
      try {
        message = parseClientMessage(text);
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        this.sendError(idOf(text), AppSyncErrorType.BadRequest, error.message);
        return;
      }
      switch (message.type) {
        case MessageType.ConnectionInit:
          this.acknowledge();
          return;
        case MessageType.Start:
          // connection_init is optional in AppSync's protocol: a client that subscribes straight away is live.
          this.clearInitTimer();
          this.start(message);
          return;
        case MessageType.Stop:
          this.stop(message.id);
          return;
      }
    }

    private acknowledge(): void {
      this.clearInitTimer();
      this.sendMessage(connectionAckMessage(options.connectionTimeoutMs));
      this.sendMessage(keepAliveMessage());
      if (this.keepAlive === undefined) {
        this.keepAlive = timers.setInterval(() => this.sendMessage(keepAliveMessage()), options.keepAliveIntervalMs);
      }
    }

    private start(message: StartMessage): void {
      const { id } = message;
      if (this.subscriptions.has(id)) {
        this.sendError(id, AppSyncErrorType.DuplicatedOperation, `Duplicated operation with id ${id}`);
        return;
      }
      if (this.subscriptions.size >= options.maxSubscriptionsPerConnection) {
        this.sendError(id, AppSyncErrorType.MaxSubscriptionsReached, `Max number of ${options.maxSubscriptionsPerConnection} subscriptions reached`);
        return;
      }
      const auth = checkApiKey(message.payload.extensions?.authorization, options.apiKey);
      if (!auth.ok) {
        this.sendError(id, AppSyncErrorType.Unauthorized, auth.message, 401);
        return;
      }
      let request;
      try {
        request = parseGraphQLRequest(message.payload.data);
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        this.sendError(id, AppSyncErrorType.BadRequest, error.message);
        return;
      }
      const prepared = documents.prepare(request.query);
      if (!prepared.ok) {
        this.sendErrors(id, prepared.errors.map((e) => ({ errorType: AppSyncErrorType.Validation, ...e })));
        return;
      }
      const operation = getOperationAST(prepared.document, request.operationName);
      if (operation === null || operation === undefined) {
        this.sendError(id, AppSyncErrorType.Validation, request.operationName === undefined ? 'Must provide operation name if query contains multiple operations.' : `Unknown operation named '${request.operationName}'.`);
        return;
      }
      if (operation.operation !== 'subscription') {
        this.sendError(id, AppSyncErrorType.UnsupportedOperation, `${operation.operation} not supported through the realtime channel`);
        return;
      }
      const coerced = getVariableValues(api.schema, operation.variableDefinitions ?? [], request.variables ?? {});
      if (coerced.errors !== undefined) {
        this.sendErrors(id, coerced.errors.map((e) => ({ errorType: AppSyncErrorType.Validation, message: e.message })));
        return;
      }
      const fragments = fragmentsOf(prepared.document.definitions);
      const fieldNode = rootField(operation.selectionSet, fragments);
      const field = fieldNode === undefined ? undefined : api.schema.getSubscriptionType()?.getFields()[fieldNode.name.value];
      if (fieldNode === undefined || field === undefined) {
        this.sendError(id, AppSyncErrorType.Validation, 'Subscription must select one field of the Subscription type.');
        return;
      }
      let args: Record<string, unknown>;
      try {
        args = getArgumentValues(field, fieldNode, coerced.coerced);
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        this.sendError(id, AppSyncErrorType.Validation, error.message);
        return;
      }
      const shape = acquireShape(`${request.query}\u0000${request.operationName ?? ''}`, fieldNode, field, fragments);
      const subscription: Subscription = {
        id,
        connection: this,
        fieldName: field.name,
        filter: createSubscriptionFilter(args),
        shape,
        framePrefix: Buffer.from(`{"type":"data","id":${JSON.stringify(id)},"payload":`, 'utf8'),
      };
      this.subscriptions.set(id, subscription);
      indexFor(field.name).add(subscription.filter, subscription);
      stats.subscriptions += 1;
      logger.debug({ connection: this.id, id, field: field.name, filter: subscription.filter }, 'subscription started');
      this.sendMessage(startAckMessage(id));
    }

    private stop(id: string): void {
      const subscription = this.subscriptions.get(id);
      if (subscription !== undefined) removeSubscription(subscription);
      // A stop for an id that is not active is answered too, so clients waiting for it finish.
      this.sendMessage(completeMessage(id));
    }

    private sendError(id: string | undefined, errorType: string, message: string, errorCode?: number): void {
      this.sendErrors(id, [{ errorType, message, ...(errorCode === undefined ? {} : { errorCode }) }]);
    }

    private sendErrors(id: string | undefined, errors: readonly AppSyncErrorEntry[]): void {
      stats.clientErrors += 1;
      this.sendMessage(errorMessage(id, errors));
    }

    private clearInitTimer(): void {
      if (this.initTimer === undefined) return;
      timers.clearTimeout(this.initTimer);
      this.initTimer = undefined;
    }

    private shutdown(): void {
      if (!this.open) return;
      this.open = false;
      this.clearInitTimer();
      if (this.keepAlive !== undefined) timers.clearInterval(this.keepAlive);
      for (const subscription of [...this.subscriptions.values()]) removeSubscription(subscription);
      connections.delete(this);
      stats.connections = connections.size;
    }
  }

  function indexFor(fieldName: string): FilterIndex<Subscription> {
    let index = indexes.get(fieldName);
    if (index === undefined) {
      index = createFilterIndex<Subscription>();
      indexes.set(fieldName, index);
    }
    return index;
  }

  function acquireShape(key: string, node: FieldNode, field: GraphQLField<unknown, unknown>, fragments: Fragments): Shape {
    let shape = shapes.get(key);
    if (shape === undefined) {
      shape = { key, responseKey: node.alias?.value ?? node.name.value, field, selectionSet: node.selectionSet, fragments, references: 0, stamp: 0, payload: null, serialise: compileSerialiser(node, field, fragments) };
      shapes.set(key, shape);
    }
    shape.references += 1;
    return shape;
  }

  function removeSubscription(subscription: Subscription): void {
    subscription.connection.subscriptions.delete(subscription.id);
    if (indexes.get(subscription.fieldName)?.remove(subscription.filter, subscription) === true) stats.subscriptions -= 1;
    subscription.shape.references -= 1;
    if (subscription.shape.references === 0) shapes.delete(subscription.shape.key);
  }

  return {
    accept(socket, auth) {
      const connection = new Connection(socket);
      connections.add(connection);
      stats.connections = connections.size;
      stats.connectionsAccepted += 1;
      const check = auth.problem === undefined ? checkApiKey(auth.header, options.apiKey) : { ok: false as const, message: NO_CREDENTIALS_MESSAGE };
      if (!check.ok) {
        logger.info({ connection: connection.id, reason: auth.problem ?? check.message }, 'realtime connection refused');
        connection.refuse(check.message);
      }
      return connection;
    },

    publish(mutationField, result) {
      const fields = api.triggers.get(mutationField);
      if (fields === undefined) return 0;
      stats.eventsPublished += 1;
      const event = typeof result === 'object' && result !== null && !Array.isArray(result) ? (result as Record<string, unknown>) : null;
      let delivered = 0;
      for (const fieldName of fields) {
        const index = indexes.get(fieldName);
        if (index === undefined || index.size === 0) continue;
        const matches = index.match(event);
        if (matches.length === 0) continue;
        // Serialise the payload once per distinct (document, subscription field), not per subscriber.
        const stamp = ++publishStamp;
        for (const subscription of matches) {
          const shape = subscription.shape;
          if (shape.stamp !== stamp) {
            shape.stamp = stamp;
            shape.payload = serialisePayload(shape, result);
          }
          const payload = shape.payload;
          if (payload === null) continue;
          // Hot path: splice the payload, serialised once per shape, between the subscriber's
          // pre-built prefix and "}" instead of JSON.stringify(dataMessage(id, data)) per
          // subscriber. Byte-identical to the constructor's output:
          // {"type":"data","id":"…","payload":{"data":{…}}}.
          subscription.connection.sendData(subscription.framePrefix, payload);
          delivered += 1;
        }
      }
      stats.messagesDelivered += delivered;
      return delivered;
    },

    stats: () => ({ ...stats }),

    closeAll(code, reason) {
      for (const connection of [...connections]) connection.disconnect(code, reason);
    },
  };

  function serialisePayload(shape: Shape, result: unknown): Buffer | null {
    const text =
      shape.serialise === undefined
        ? JSON.stringify({ data: { [shape.responseKey]: renderSelection(result, shape.selectionSet, shape.field.type, shape.fragments) } })
        : shape.serialise(result);
    const payload = Buffer.from(text, 'utf8');
    if (payload.length > options.maxEventBytes) {
      stats.oversizeEventsDropped += 1;
      logger.warn({ field: shape.field.name, bytes: payload.length, limit: options.maxEventBytes }, 'event over the payload limit not delivered');
      return null;
    }
    return payload;
  }
}

/**
 * For the common subscription (an object-typed field selecting only scalar/enum fields, no
 * fragments or directives): a function writing `{"data":{"<key>":{...}}}` by concatenating
 * pre-serialised keys with JSON.stringify of each value — the same text as JSON.stringify of
 * renderSelection's output, without walking the selection set per event. Undefined otherwise.
 */
export function compileSerialiser(node: FieldNode, field: GraphQLField<unknown, unknown>, fragments: Fragments): ((event: unknown) => string) | undefined {
  const type = getNullableType(field.type);
  if (!isObjectType(type) || node.selectionSet === undefined || Object.keys(fragments).length > 0) return undefined;
  const fields = type.getFields();
  const keys: string[] = [];
  const names = new Map<string, string | undefined>();
  for (const selection of node.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || (selection.directives?.length ?? 0) > 0 || selection.selectionSet !== undefined) return undefined;
    const name = selection.name.value;
    const key = selection.alias?.value ?? name;
    if (name !== '__typename') {
      const definition = fields[name];
      if (definition === undefined || !isLeafType(getNullableType(definition.type))) return undefined;
    }
    if (!names.has(key)) keys.push(key);
    names.set(key, name === '__typename' ? undefined : name);
  }
  const head = `{"data":{${JSON.stringify(node.alias?.value ?? node.name.value)}:`;
  const typename = JSON.stringify(type.name);
  const parts = keys.map((key, i) => ({ label: `${i === 0 ? '{' : ','}${JSON.stringify(key)}:`, name: names.get(key) }));
  const fallback = (event: unknown): string =>
    JSON.stringify({ data: { [node.alias?.value ?? node.name.value]: renderSelection(event, node.selectionSet, field.type, fragments) } });
  return (event) => {
    if (event === null || event === undefined) return `${head}null}}`;
    if (typeof event !== 'object' || Array.isArray(event)) return fallback(event);
    const source = event as Record<string, unknown>;
    let text = head;
    for (const part of parts) {
      text += part.label;
      if (part.name === undefined) {
        text += typename;
        continue;
      }
      const value = source[part.name];
      text += value === null || value === undefined ? 'null' : (JSON.stringify(value) ?? 'null');
    }
    return `${text}${parts.length === 0 ? '{' : ''}}}}`;
  };
}

function fragmentsOf(definitions: readonly { kind: string }[]): Fragments {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      const fragment = definition as FragmentDefinitionNode;
      fragments[fragment.name.value] = fragment;
    }
  }
  return fragments;
}

/** The one root field of a subscription (validation guarantees there is exactly one). */
function rootField(selectionSet: SelectionSetNode, fragments: Fragments): FieldNode | undefined {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') return selection;
    } else {
      const inner = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments[selection.name.value]?.selectionSet;
      const found = inner === undefined ? undefined : rootField(inner, fragments);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The `id` of a frame that failed to parse, when it has one, so the error can name it. */
function idOf(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string') return value.id;
  } catch {
    // not JSON: no id to name
  }
  return undefined;
}

