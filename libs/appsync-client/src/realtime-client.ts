import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import {
  MessageType,
  REALTIME_SUBPROTOCOL,
  apiKeyAuthHeader,
  connectionInitMessage,
  deriveRealtimeUrl,
  describeErrorEntries,
  headerSubprotocol,
  parseServerMessage,
  realtimeConnectUrl,
  startMessage,
  stopMessage,
  type AppSyncErrorEntry,
  type ClientMessage,
  type GraphQLRequest,
  type ServerMessage,
} from '@tickerflow/appsync-protocol';
import { AuthError, TransportError, backoffDelay, errorMessageWithCode, sleep, type RetryPolicy } from '@tickerflow/core';
import { describeAuthFailure, isAuthFailure, maskedKey, redactFrame } from './auth-failure';
import { AppSyncClientErrorCode } from '@tickerflow/appsync-protocol';
import { createPausableDeadline, type PausableDeadline } from './pausable-deadline';
import {
  DEFAULT_RECONNECT,
  type RealtimeClient,
  type RealtimeClientOptions,
  type SubscriptionHandlers,
  type SubscriptionState,
} from './realtime-types';
import { shouldRetryStart, type StartFailure } from './start-retry';

interface SubscriptionRecord {
  readonly id: string;
  /** The id on the wire: `id`, or `id~n` after the n-th failed start, so late answers to an abandoned start match nothing. */
  wireId: string;
  readonly request: GraphQLRequest;
  readonly handlers: SubscriptionHandlers;
  state: SubscriptionState;
  startDeadline: PausableDeadline | undefined;
  retryTimer: NodeJS.Timeout | undefined;
  /** The server acknowledged this document at least once. */
  everStarted: boolean;
  /** Failed starts in a row. */
  attempts: number;
  onStopped: (() => void) | undefined;
}

/** One socket's life; a new one per (re)connect. */
interface Link {
  readonly socket: WebSocket;
  acked: boolean;
  /** Keep-alive watchdog, armed on the ack; paused while the client does not read. */
  watchdog: PausableDeadline | undefined;
  /** Resolves with why the socket closed. */
  readonly closed: Promise<string>;
}

/**
 * AWS AppSync realtime client: connection_init → connection_ack (bounded) → start per
 * subscription with `extensions.authorization` → start_ack (bounded) → data; a keep-alive
 * watchdog using the ack's `connectionTimeoutMs` that does not count time spent paused;
 * reconnect with exponential backoff and full jitter, then re-subscribe everything; a start
 * that times out (or is refused after having worked) is retried with the same backoff.
 */
export function createRealtimeClient(options: RealtimeClientOptions): RealtimeClient {
  const realtimeUrl = options.realtimeUrl ?? deriveRealtimeUrl(options.url);
  const authHeader = options.authHeader ?? apiKeyAuthHeader(options.url, requireApiKey(options.apiKey));
  const transport = options.authTransport ?? 'query';
  const ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
  const startAckTimeoutMs = options.startAckTimeoutMs ?? 10_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 2_000;
  const policy: RetryPolicy = { ...DEFAULT_RECONNECT, ...options.reconnect };
  const random = options.random ?? Math.random;
  const onFrame = options.onFrame;
  const emit = options.onEvent ?? (() => {});
  const secrets = Object.entries(authHeader)
    .filter(([name]) => name.toLowerCase() !== 'host')
    .map(([, value]) => value);

  const records = new Map<string, SubscriptionRecord>();
  const closing = new AbortController();
  let link: Link | undefined;
  /** The socket of a connection attempt not yet acknowledged, so close() can abort it. */
  let dialling: WebSocket | undefined;
  let paused = false;
  let epoch = -1;
  let started: Promise<void> | undefined;
  let resolveFirst!: () => void;
  let rejectFirst!: (error: unknown) => void;
  const firstAck = new Promise<void>((resolve, reject) => {
    resolveFirst = resolve;
    rejectFirst = reject;
  });
  let resolveDone!: () => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  // Callers may only await connect(); keep an unobserved `done` from crashing the process.
  done.catch(() => {});
  firstAck.catch(() => {});

  function send(socket: WebSocket, message: ClientMessage): void {
    const text = JSON.stringify(message);
    if (onFrame) onFrame('out', redactFrame(text, secrets));
    socket.send(text);
  }

  function startSubscription(socket: WebSocket, record: SubscriptionRecord): void {
    record.state = 'pending';
    clearStartTimers(record);
    record.startDeadline = createPausableDeadline(
      startAckTimeoutMs,
      () => {
        if (record.state === 'pending') startFailed(record, { kind: 'timeout' }, socket);
      },
      paused,
    );
    send(socket, startMessage(record.wireId, record.request, authHeader));
  }

  function clearStartTimers(record: SubscriptionRecord): void {
    record.startDeadline?.cancel();
    record.startDeadline = undefined;
    clearTimeout(record.retryTimer);
    record.retryTimer = undefined;
  }

  /** A start timed out or was refused: try it again after a backoff, or give up on it. */
  function startFailed(record: SubscriptionRecord, failure: StartFailure, socket: WebSocket): void {
    clearStartTimers(record);
    record.attempts += 1;
    const errors =
      failure.kind === 'timeout' ? [{ errorType: 'StartAckTimeout', message: `no start_ack within ${startAckTimeoutMs} ms` }] : failure.errors;
    // The server may still hold a start it never acknowledged; a refused one it has already dropped.
    if (failure.kind === 'timeout' && socket.readyState === WebSocket.OPEN) send(socket, stopMessage(record.wireId));
    if (!shouldRetryStart(failure, record.everStarted, record.attempts, policy.retries)) {
      fail(record, errors);
      return;
    }
    records.delete(record.wireId);
    record.wireId = `${record.id}~${record.attempts}`;
    records.set(record.wireId, record);
    const delayMs = backoffDelay(policy, record.attempts - 1, random);
    emit({ type: 'subscription-retrying', id: record.id, attempt: record.attempts, delayMs, errors });
    record.retryTimer = setTimeout(() => {
      record.retryTimer = undefined;
      const current = link;
      // Without a live connection the next connection_ack starts every pending subscription.
      if (record.state === 'pending' && current?.acked && current.socket.readyState === WebSocket.OPEN) {
        startSubscription(current.socket, record);
      }
    }, delayMs);
  }

  function fail(record: SubscriptionRecord, errors: readonly AppSyncErrorEntry[]): void {
    clearStartTimers(record);
    record.state = 'failed';
    records.delete(record.wireId);
    record.handlers.onError?.(errors);
  }

  function finishStop(record: SubscriptionRecord): void {
    clearStartTimers(record);
    record.state = 'stopped';
    records.delete(record.wireId);
    const onStopped = record.onStopped;
    record.onStopped = undefined;
    onStopped?.();
  }

  function handleMessage(current: Link, message: ServerMessage, settle: (error?: Error) => void): void {
    switch (message.type) {
      case MessageType.Data: {
        const record = records.get(message.id);
        if (record !== undefined && (record.state === 'active' || record.state === 'pending')) {
          record.handlers.onData(message.payload.data, epoch, message.payload.errors);
        }
        return;
      }
      case MessageType.KeepAlive:
        return;
      case MessageType.ConnectionAck:
        if (current.acked) return;
        current.acked = true;
        epoch += 1;
        armWatchdog(current, message.payload.connectionTimeoutMs);
        emit({ type: 'connected', epoch, connectionTimeoutMs: message.payload.connectionTimeoutMs });
        settle();
        for (const record of records.values()) {
          if (record.state === 'pending' || record.state === 'active') startSubscription(current.socket, record);
        }
        return;
      case MessageType.StartAck: {
        const record = records.get(message.id);
        if (record === undefined || record.state !== 'pending') return;
        clearStartTimers(record);
        record.state = 'active';
        record.everStarted = true;
        record.attempts = 0;
        record.handlers.onStarted?.(epoch);
        return;
      }
      case MessageType.Complete: {
        const record = records.get(message.id);
        if (record !== undefined) finishStop(record);
        return;
      }
      case MessageType.Error: {
        const record = message.id === undefined ? undefined : records.get(message.id);
        if (record === undefined) emit({ type: 'server-error', errors: message.payload.errors });
        else if (record.state === 'stopping') finishStop(record);
        else if (record.state === 'pending') startFailed(record, { kind: 'refused', errors: message.payload.errors }, current.socket);
        else fail(record, message.payload.errors);
        return;
      }
      case MessageType.ConnectionError: {
        const errors = message.payload.errors;
        const error = isAuthFailure(errors)
          ? new AuthError(describeAuthFailure(errors, options.url, authHeader), {
              code: AppSyncClientErrorCode.apiKeyRefused,
              hint: 'check the API key and the URL',
            })
          : new TransportError(`connection_error from ${realtimeUrl}: ${describeErrorEntries(errors)}`);
        settle(error);
        current.socket.close(1000);
        return;
      }
    }
  }

  function armWatchdog(current: Link, timeoutMs: number): void {
    current.watchdog = createPausableDeadline(
      timeoutMs,
      (silentMs) => {
        emit({ type: 'keepalive-timeout', silentMs });
        current.socket.terminate();
      },
      paused,
    );
  }

  /**
   * Opens one socket and resolves once it is acknowledged, with the Link whose `closed`
   * settles when it drops. Rejects (closing the socket) when the handshake, the ack or the
   * credentials fail.
   */
  function open(): Promise<Link> {
    const protocols = transport === 'subprotocol' ? [REALTIME_SUBPROTOCOL, headerSubprotocol(authHeader)] : [REALTIME_SUBPROTOCOL];
    const dialUrl = transport === 'query' ? realtimeConnectUrl(realtimeUrl, authHeader) : realtimeUrl;
    const socket = new WebSocket(dialUrl, protocols, { perMessageDeflate: false, handshakeTimeout: ackTimeoutMs });
    dialling = socket;
    return new Promise<Link>((resolve, reject) => {
      let failure: Error | undefined;
      let settled = false;
      let resolveClosed!: (reason: string) => void;
      const current: Link = {
        socket,
        acked: false,
        watchdog: undefined,
        closed: new Promise<string>((r) => {
          resolveClosed = r;
        }),
      };
      const ackTimer = setTimeout(() => {
        settle(new TransportError(`no connection_ack from ${realtimeUrl} within ${ackTimeoutMs} ms`, { code: 'ACK_TIMEOUT' }));
        socket.terminate();
      }, ackTimeoutMs);
      function settle(error?: Error): void {
        if (error !== undefined) failure ??= error;
        if (settled) return;
        settled = true;
        if (dialling === socket) dialling = undefined;
        clearTimeout(ackTimer);
        if (error === undefined) resolve(current);
        else reject(error);
      }

      socket.on('unexpected-response', (_request, response) => {
        const status = response.statusCode ?? 0;
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (body.length < 2_000) body += chunk;
        });
        response.on('end', () => {
          const error =
            status === 401 || status === 403
              ? new AuthError(`${realtimeUrl} refused the connection (HTTP ${status}) for key ${maskedKey(authHeader)}`, {
                  code: AppSyncClientErrorCode.apiKeyRefused,
                  hint: 'check the API key and the URL',
                })
              : new TransportError(`${realtimeUrl} answered the WebSocket upgrade with HTTP ${status}${bodySnippet(body)}`);
          settle(error);
          socket.terminate();
          resolveClosed(error.message);
        });
      });
      socket.on('open', () => {
        send(socket, connectionInitMessage());
      });
      socket.on('message', (raw: Buffer, isBinary: boolean) => {
        current.watchdog?.feed();
        const text = isBinary ? raw.toString('utf8') : raw.toString();
        if (onFrame) onFrame('in', text);
        let message: ServerMessage;
        try {
          message = parseServerMessage(text);
        } catch (error) {
          emit({ type: 'protocol-error', error: error as Error });
          return;
        }
        handleMessage(current, message, settle);
      });
      socket.on('error', (error: Error) => {
        failure ??= new TransportError(`cannot connect to ${realtimeUrl}: ${errorMessageWithCode(error)}`, { cause: error });
      });
      socket.on('close', (code: number, reason: Buffer) => {
        current.watchdog?.cancel();
        const why = failure?.message ?? `socket closed (code ${code}${reason.length > 0 ? `, ${reason.toString()}` : ''})`;
        settle(failure ?? new TransportError(`${realtimeUrl} closed the connection before connection_ack (code ${code})`));
        resolveClosed(why);
      });
    });
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!closing.signal.aborted) {
      let lastError: Error;
      try {
        emit({ type: 'connecting', attempt: failures, url: realtimeUrl });
        const current = await open();
        if (paused) current.socket.pause();
        if (closing.signal.aborted) {
          current.socket.close(1000);
          await current.closed;
          return;
        }
        link = current;
        failures = 0;
        resolveFirst();
        const reason = await current.closed;
        link = undefined;
        if (closing.signal.aborted) return;
        emit({ type: 'disconnected', reason });
        for (const record of records.values()) {
          clearStartTimers(record);
          if (record.state === 'active') record.state = 'pending';
        }
        lastError = new TransportError(reason);
      } catch (error) {
        link = undefined;
        if (closing.signal.aborted) return;
        if (!(error instanceof Error) || (error instanceof AuthError) || !(error as { retriable?: boolean }).retriable) {
          throw error;
        }
        lastError = error;
        if (failures >= policy.retries) {
          throw new TransportError(
            `cannot connect to ${realtimeUrl} after ${failures + 1} attempt${failures === 0 ? '' : 's'}: ${error.message.replace(`cannot connect to ${realtimeUrl}: `, '')}`,
            { code: AppSyncClientErrorCode.connectFailed, cause: error, hint: 'is the endpoint up? check its URL' },
          );
        }
      }
      const delayMs = backoffDelay(policy, failures, random);
      failures += 1;
      emit({ type: 'retrying', attempt: failures, delayMs, error: lastError });
      try {
        await sleep(delayMs, closing.signal);
      } catch {
        return;
      }
    }
  }

  function start(): Promise<void> {
    started ??= run().then(
      () => {
        resolveDone();
        rejectFirst(new TransportError('client closed before connecting', { code: 'CLOSED' }));
      },
      (error: unknown) => {
        for (const record of records.values()) clearStartTimers(record);
        rejectFirst(error);
        rejectDone(error);
      },
    );
    return firstAck;
  }

  async function stopRecord(record: SubscriptionRecord): Promise<void> {
    if (record.state === 'stopped' || record.state === 'failed') return;
    const current = link;
    // Waiting for a retry: nothing is started on the server, so there is nothing to stop.
    if (current === undefined || !current.acked || current.socket.readyState !== WebSocket.OPEN || record.retryTimer !== undefined) {
      finishStop(record);
      return;
    }
    const completed = new Promise<void>((resolve) => {
      record.onStopped = resolve;
    });
    record.state = 'stopping';
    clearStartTimers(record);
    send(current.socket, stopMessage(record.wireId));
    const timer = setTimeout(() => finishStop(record), stopTimeoutMs);
    await completed;
    clearTimeout(timer);
  }

  return {
    connect: start,
    subscribe(request, handlers, id = randomUUID()) {
      if ([...records.values()].some((record) => record.id === id || record.wireId === id)) {
        throw new TransportError(`subscription id '${id}' is already in use`, { retriable: false });
      }
      const record: SubscriptionRecord = {
        id,
        wireId: id,
        request,
        handlers,
        state: 'pending',
        startDeadline: undefined,
        retryTimer: undefined,
        everStarted: false,
        attempts: 0,
        onStopped: undefined,
      };
      records.set(id, record);
      if (link?.acked && link.socket.readyState === WebSocket.OPEN) startSubscription(link.socket, record);
      return {
        id,
        get state() {
          return record.state;
        },
        stop: () => stopRecord(record),
      };
    },
    async close() {
      if (closing.signal.aborted) {
        await done.catch(() => {});
        return;
      }
      await Promise.all([...records.values()].map((record) => stopRecord(record)));
      closing.abort();
      dialling?.terminate();
      const current = link;
      if (current !== undefined) {
        const forced = setTimeout(() => current.socket.terminate(), 1_000);
        current.socket.close(1000);
        await current.closed;
        clearTimeout(forced);
      }
      if (started === undefined) resolveDone();
      await done.catch(() => {});
    },
    pause() {
      if (paused) return;
      paused = true;
      link?.socket.pause();
      link?.watchdog?.pause();
      for (const record of records.values()) record.startDeadline?.pause();
    },
    resume() {
      if (!paused) return;
      paused = false;
      link?.socket.resume();
      link?.watchdog?.resume();
      for (const record of records.values()) record.startDeadline?.resume();
    },
    done,
    get epoch() {
      return epoch;
    },
    get reconnects() {
      return Math.max(0, epoch);
    },
    realtimeUrl,
  };
}

function requireApiKey(apiKey: string | undefined): string {
  if (apiKey === undefined || apiKey === '') {
    throw new AuthError('no API key given', { code: AppSyncClientErrorCode.apiKeyMissing });
  }
  return apiKey;
}


function bodySnippet(body: string): string {
  const text = body.trim().replace(/\s+/g, ' ');
  return text === '' ? '' : `: ${text.slice(0, 200)}`;
}
