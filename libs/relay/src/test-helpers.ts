import type { Quote } from '@tickerflow/quote';
import { createLimiter } from './limiter';
import { compileMutation } from './mutation';
import { createRelay, DEFAULT_RELAY_SETTINGS, type BatchControl, type RelayDeps, type RelaySettings } from './relay';
import {
  noMetrics,
  silentLogger,
  type DeadLetterRecord,
  type GraphQLRequest,
  type GraphQLResult,
  type RelayMetrics,
  type SourceRecord,
} from './types';

export { quote } from '@tickerflow/test-support';

/** Records at consecutive offsets from `first`, values as given (objects are JSON-encoded). */
export function records(values: readonly (Quote | string | null)[], first = 0, topic = 'quotes', partition = 0): SourceRecord[] {
  return values.map((value, index) => ({
    topic,
    partition,
    offset: String(first + index),
    key: null,
    value: value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  }));
}

/** AppSync's answer accepting every aliased call of a batched request: `{data: {q0: {…}, q1: {…}, …}}`. */
export function acceptAll(request: GraphQLRequest): GraphQLResult {
  const data: Record<string, unknown> = {};
  for (const match of request.query.matchAll(/\b(q\d+):/g)) data[match[1] as string] = { __typename: 'Tickerdata' };
  return { data };
}

/** `TICKER-seq` of each quote in a batched request. */
export function sentQuotes(request: GraphQLRequest): string[] {
  const variables = (request.variables ?? {}) as Record<string, unknown>;
  const out: string[] = [];
  for (let index = 0; `ticker_${index}` in variables; index += 1) out.push(`${variables[`ticker_${index}`]}-${variables[`seq_${index}`]}`);
  return out;
}

export type Answer = GraphQLResult | Error | ((request: GraphQLRequest) => GraphQLResult | Error);

/** A fake AppSync: answers from a script (then accepts everything), records what was sent. */
export function fakePublisher(script: Answer[] = []) {
  const sent: string[][] = [];
  return {
    sent,
    async publish(request: GraphQLRequest): Promise<GraphQLResult> {
      sent.push(sentQuotes(request));
      let answer = script.shift() ?? acceptAll;
      if (typeof answer === 'function') answer = answer(request);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

export function setupRelay(
  script: Answer[] = [],
  settings: Partial<RelaySettings> = {},
  metrics: Partial<RelayMetrics> = {},
  deps: Partial<Pick<RelayDeps, 'logger' | 'now'>> = {},
) {
  const publisher = fakePublisher(script);
  const letters: DeadLetterRecord[] = [];
  const handled: string[] = [];
  const sleeps: number[] = [];
  const relay = createRelay(
    { ...DEFAULT_RELAY_SETTINGS, ...settings },
    {
      publisher,
      template: compileMutation(),
      deadLetters: { send: async (batch) => void letters.push(...batch) },
      metrics: { ...noMetrics, ...metrics },
      logger: silentLogger,
      limiter: createLimiter(4),
      random: () => 0.5,
      sleep: async (ms) => void sleeps.push(ms),
      ...deps,
    },
  );
  const stop = new AbortController();
  const control: BatchControl = { stop: stop.signal, abort: new AbortController().signal, onHandled: (o: string) => void handled.push(o) };
  return { relay, publisher, letters, handled, sleeps, control, stop };
}
