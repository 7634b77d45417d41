import type { Limiter } from './limiter';
import { aliasIndex, ALIAS_PREFIX, type MutationTemplate } from './mutation';
import type { GraphQLErrorEntry, GraphQLResult, MutationValues, Publisher, RelayMetrics } from './types';

/**
 * Sends the chunks of several partitions in ONE request when they are ready at the same
 * time. When caught up, each partition has a few quotes per fetch; sending them per partition
 * would cost one HTTP request (and one GraphQL execution) per partition per fetch. A chunk
 * submitted while every request slot is busy, or in the same event-loop turn as others, joins
 * them, up to `maxBatch` quotes. Each partition still has at most one chunk in flight, so
 * order per partition holds; AppSync runs the aliases in document order. Each submitter gets
 * its own slice of the answer (aliases renumbered from q0, errors re-pathed), or the error
 * the whole request failed with, and retries on its own.
 */
export interface Dispatcher {
  publish(quotes: readonly MutationValues[], signal: AbortSignal): Promise<GraphQLResult>;
}

interface Pending {
  readonly quotes: readonly MutationValues[];
  readonly signal: AbortSignal;
  resolve(result: GraphQLResult): void;
  reject(error: unknown): void;
  onAbort(): void;
}

export function createDispatcher(options: {
  readonly publisher: Publisher;
  readonly template: MutationTemplate;
  readonly limiter: Limiter;
  readonly maxBatch: number;
  readonly metrics: RelayMetrics;
  readonly now: () => number;
}): Dispatcher {
  let pending: Pending[] = [];
  let scheduled = false;
  let draining = false;

  const send = async (group: Pending[], release: () => void): Promise<void> => {
    const quotes = group.length === 1 ? (group[0] as Pending).quotes : group.flatMap((entry) => entry.quotes);
    const signal = oneSignal(group.map((entry) => entry.signal));
    for (const entry of group) entry.signal.removeEventListener('abort', entry.onAbort);
    const started = options.now();
    try {
      const result = await options.publisher.publish(options.template.build(quotes), { signal });
      options.metrics.publishLatency((options.now() - started) / 1000);
      options.metrics.batchSize(quotes.length);
      if (group.length === 1) {
        (group[0] as Pending).resolve(result);
        return;
      }
      let offset = 0;
      for (const entry of group) {
        entry.resolve(slice(result, offset, entry.quotes.length));
        offset += entry.quotes.length;
      }
    } catch (error) {
      for (const entry of group) entry.reject(error);
    } finally {
      release();
    }
  };

  const drain = async (): Promise<void> => {
    if (draining) return;
    draining = true;
    try {
      while (pending.length > 0) {
        const release = await options.limiter.acquire();
        if (pending.length === 0) {
          release();
          break;
        }
        const group: Pending[] = [];
        let size = 0;
        while (pending.length > 0) {
          const next = pending[0] as Pending;
          if (group.length > 0 && size + next.quotes.length > options.maxBatch) break;
          group.push(next);
          size += next.quotes.length;
          pending.shift();
        }
        void send(group, release);
      }
    } finally {
      draining = false;
    }
  };

  return {
    publish(quotes, signal) {
      return new Promise<GraphQLResult>((resolve, reject) => {
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        const entry: Pending = {
          quotes,
          signal,
          resolve,
          reject,
          onAbort: () => {
            pending = pending.filter((other) => other !== entry);
            reject(signal.reason);
          },
        };
        signal.addEventListener('abort', entry.onAbort, { once: true });
        pending.push(entry);
        if (!scheduled) {
          scheduled = true;
          // After this turn's I/O callbacks: chunks of partitions fetched together go out together.
          setImmediate(() => {
            scheduled = false;
            void drain();
          });
        }
      });
    },
  };
}

/**
 * A signal that aborts when any of `signals` does. The bridge's partitions share one abort
 * signal, so this is nearly always that signal itself: AbortSignal.any would cost a new
 * signal and listeners per request.
 */
function oneSignal(signals: readonly AbortSignal[]): AbortSignal {
  const first = signals[0] as AbortSignal;
  return signals.every((signal) => signal === first) ? first : AbortSignal.any([...new Set(signals)]);
}

/** The part of a combined answer that belongs to quotes [offset, offset + count), aliases renumbered from q0. */
export function slice(result: GraphQLResult, offset: number, count: number): GraphQLResult {
  let data: Record<string, unknown> | null = null;
  if (result.data !== null) {
    data = {};
    for (let index = 0; index < count; index += 1) {
      const key = `${ALIAS_PREFIX}${offset + index}`;
      if (key in result.data) data[`${ALIAS_PREFIX}${index}`] = result.data[key];
    }
  }
  if (result.errors === undefined) return { data };
  const errors: GraphQLErrorEntry[] = [];
  for (const entry of result.errors) {
    const index = aliasIndex(entry.path);
    if (index === undefined) errors.push(entry);
    else if (index >= offset && index < offset + count) {
      errors.push({ ...entry, path: [`${ALIAS_PREFIX}${index - offset}`, ...(entry.path ?? []).slice(1)] });
    }
  }
  return errors.length === 0 ? { data } : { data, errors };
}
