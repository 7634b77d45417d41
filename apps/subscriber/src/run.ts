import { createRealtimeClient, isAuthFailure, type RealtimeClientEvent } from '@tickerflow/appsync-client';
import { describeErrorEntries, type AppSyncErrorEntry } from '@tickerflow/appsync-protocol';
import { createLogger, type Logger } from '@tickerflow/cli';
import { AppError, AuthError } from '@tickerflow/core';
import { Board } from './board';
import type { SubConfig } from './config';
import { NdjsonSink } from './ndjson-sink';
import { buildStats, formatStats } from './stats-report';
import { withSchemaFields } from './schema-fields';
import { LiveTable } from './table-view';

/** Where sub writes, and what stops it; tests pass their own. */
export interface SubIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Aborted on Ctrl-C / SIGTERM: stop every subscription, close, exit 0. */
  readonly signal: AbortSignal;
  /** NO_COLOR honoured by the caller. */
  readonly color: boolean;
}

interface Outcome {
  readonly error?: unknown;
}

const MAX_NOTICES = 5;

/**
 * Runs sub: one connection, one subscription per spec, events to the live table or NDJSON,
 * until --count, --duration, Ctrl-C, a fatal error, or every subscription being rejected.
 */
export async function runSub(given: SubConfig, io: SubIo): Promise<void> {
  const logger: Logger = createLogger({ name: 'sub', level: given.verbose ? 'debug' : 'info', destination: io.stderr, color: io.color });
  const config = await withSchemaFields(given, io.signal, (text) => logger.debug(text));
  const startedAt = Date.now();
  const board = new Board(startedAt, (ticker, missed, epoch) =>
    notice('warn', `${ticker}: ${missed} quote${missed === 1 ? '' : 's'} missed across the reconnect (epoch ${epoch})`, { ticker, missed, epoch }),
    config.keyField,
  );
  const table = config.output === 'table';
  const notices: string[] = [];
  let state = 'connecting';
  /** Subscription id → its label, for notices about one subscription. */
  const labels = new Map<string, string>();

  let finish!: (outcome: Outcome) => void;
  const finished = new Promise<Outcome>((resolve) => {
    finish = resolve;
  });

  const sink = table
    ? undefined
    : new NdjsonSink(
        io.stdout,
        () => finish({}),
        (blocked) => (blocked ? client.pause() : client.resume()),
      );
  const view = table
    ? new LiveTable(io.stdout, board, () => ({ state, realtimeUrl: client.realtimeUrl, reconnects: client.reconnects, notices }), io.color)
    : undefined;

  const notice = (level: 'info' | 'warn' | 'error', text: string, fields: Record<string, unknown> = {}): void => {
    if (view !== undefined) {
      notices.push(text);
      if (notices.length > MAX_NOTICES) notices.shift();
      view.touch();
    } else {
      logger[level](fields, text);
    }
  };

  const client = createRealtimeClient({
    url: config.url,
    realtimeUrl: config.realtimeUrl,
    apiKey: config.apiKey,
    authTransport: config.authTransport,
    ackTimeoutMs: config.ackTimeoutMs,
    reconnect: config.reconnect,
    ...(config.verbose
      ? { onFrame: (direction: 'in' | 'out', text: string) => io.stderr.write(`sub ${direction === 'in' ? '<-' : '->'} ${text}\n`) }
      : {}),
    onEvent: (event: RealtimeClientEvent) => {
      switch (event.type) {
        case 'connected':
          state = event.epoch === 0 ? 'connected' : `reconnected (epoch ${event.epoch})`;
          if (event.epoch > 0) {
            notice('warn', `reconnected (epoch ${event.epoch}): re-subscribing; events published while disconnected are lost and show as gaps`, {
              epoch: event.epoch,
            });
          } else if (config.verbose) {
            notice('info', `connected to ${client.realtimeUrl} (connectionTimeoutMs ${event.connectionTimeoutMs})`);
          }
          break;
        case 'retrying':
          state = `reconnecting (attempt ${event.attempt}/${config.reconnect.retries})`;
          notice('warn', `${event.error.message}; retry ${event.attempt}/${config.reconnect.retries} in ${event.delayMs} ms`);
          break;
        case 'subscription-retrying':
          notice('warn', `subscription ${labels.get(event.id) ?? event.id} did not start (${describeErrorEntries(event.errors)}); retry ${event.attempt}/${config.reconnect.retries} in ${event.delayMs} ms`);
          break;
        case 'keepalive-timeout':
          notice('warn', `no keep-alive for ${event.silentMs} ms: reconnecting`);
          break;
        case 'server-error':
          notice('error', `server error: ${describeErrorEntries(event.errors)}`);
          break;
        case 'protocol-error':
          notice('warn', `ignored a frame: ${event.error.message}`);
          break;
        case 'disconnected':
          state = 'disconnected';
          break;
        case 'connecting':
          break;
      }
    },
  });

  const limit = config.count ?? Number.POSITIVE_INFINITY;
  const rejected: { label: string; errors: readonly AppSyncErrorEntry[] }[] = [];
  let delivered = 0;
  let reportedDataError = false;

  const onData = (data: Readonly<Record<string, unknown>> | null, epoch: number, errors?: readonly AppSyncErrorEntry[]): void => {
    if (delivered >= limit) return;
    if (errors !== undefined) {
      board.dataErrors += 1;
      if (!reportedDataError) {
        reportedDataError = true;
        notice('warn', `data message with errors: ${describeErrorEntries(errors)}`);
      }
    }
    if (data === null) return;
    let quote: unknown;
    for (const field in data) {
      quote = data[field];
      break;
    }
    if (quote === null || typeof quote !== 'object') return;
    const event = quote as Readonly<Record<string, unknown>>;
    const receivedAt = Date.now();
    board.record(event, receivedAt, epoch);
    if (sink !== undefined) sink.writeEvent(event, receivedAt, epoch);
    else view?.touch();
    delivered += 1;
    if (delivered >= limit) finish({});
  };

  for (const spec of config.subscriptions) {
    const subscription = client.subscribe(spec.request, {
      onData,
      onStarted: (epoch) => {
        if (config.verbose || epoch > 0) notice('info', `subscribed: ${spec.label}${epoch > 0 ? ` (epoch ${epoch})` : ''}`);
      },
      onError: (errors) => {
        rejected.push({ label: spec.label, errors });
        notice('error', `subscription ${spec.label} rejected: ${describeErrorEntries(errors)}`, { subscription: spec.label });
        if (rejected.length === config.subscriptions.length) finish({ error: allRejected(rejected, config) });
      },
    });
    labels.set(subscription.id, spec.label);
  }

  const onAbort = (): void => finish({});
  io.signal.addEventListener('abort', onAbort, { once: true });
  if (io.signal.aborted) finish({});
  const durationTimer = config.durationMs === undefined ? undefined : setTimeout(() => finish({}), config.durationMs);
  client.done.then(
    () => finish({}),
    (error: unknown) => finish({ error }),
  );

  view?.start();
  client.connect().catch(() => {}); // failures arrive through client.done
  const outcome = await finished;

  clearTimeout(durationTimer);
  io.signal.removeEventListener('abort', onAbort);
  await client.close();
  view?.stop();
  await sink?.end();
  if (config.stats) {
    const stats = buildStats(board, Date.now() - startedAt, client.reconnects, rejected.map((r) => r.label));
    io.stderr.write(config.output === 'json' ? `${JSON.stringify({ stats })}\n` : formatStats(stats));
  }
  if (outcome.error !== undefined) throw outcome.error;
}

/** Every subscription was refused: exit 3 when it was the credentials, 1 otherwise. */
function allRejected(rejected: readonly { label: string; errors: readonly AppSyncErrorEntry[] }[], config: SubConfig): Error {
  const first = rejected[0];
  const detail = first === undefined ? '' : `${first.label}: ${describeErrorEntries(first.errors)}`;
  if (rejected.every((entry) => isAuthFailure(entry.errors))) {
    return new AuthError(`${config.url} refused every subscription (${detail})`, {
      hint: 'check --api-key / APPSYNC_API_KEY and the API auth modes',
    });
  }
  return new AppError('ALL_SUBSCRIPTIONS_REJECTED', `the server rejected every subscription (${detail})`, {
    hint: 'check --query / --fields / --subscription-field against the API schema',
  });
}
