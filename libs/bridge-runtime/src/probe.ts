import { describeErrorEntries } from '@tickerflow/appsync-protocol';
import { AuthError, GraphQLResponseError, isRetriable, type AppError } from '@tickerflow/core';
import type { Quote } from '@tickerflow/quote';
import { judgeAnswer, type GraphQLRequest, type GraphQLResult, type MutationTemplate, type Publisher } from '@tickerflow/relay';
import { ProbeErrorCode } from './config';

export type ProbeOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly fatal: boolean; readonly error: AppError | Error };

/** `query { __typename }`: answered only when the key is accepted. */
export const KEY_PROBE: GraphQLRequest = { query: 'query BridgeKeyCheck { __typename }', operationName: 'BridgeKeyCheck' };

/** A failed request: fatal when retrying cannot help (a refused key, another 4xx, a 200 that is not GraphQL). */
function failed(error: unknown): ProbeOutcome {
  return { ok: false, fatal: error instanceof AuthError || !isRetriable(error), error: error as Error };
}

/**
 * The probes' `query { __typename }` must come back as `data.__typename`: an endpoint that
 * answers without it (`{"data":null}`, `{}`) is not a GraphQL API that works. Not fatal: the
 * bridge retries such answers loudly rather than refusing to start.
 */
function withoutTypename(result: GraphQLResult): ProbeOutcome | undefined {
  if (typeof result.data?.['__typename'] === 'string') return undefined;
  return {
    ok: false,
    fatal: false,
    error: new GraphQLResponseError(`the answer carries no data for { __typename } (${JSON.stringify(result).slice(0, 120)}): is the URL a GraphQL API?`),
  };
}

/** Does AppSync accept the key? */
export async function probeKey(publisher: Publisher): Promise<ProbeOutcome> {
  try {
    const result = await publisher.publish(KEY_PROBE);
    if (result.errors?.length) {
      return { ok: false, fatal: false, error: new GraphQLResponseError(describeErrorEntries(result.errors)) };
    }
    return withoutTypename(result) ?? { ok: true };
  } catch (error) {
    return failed(error);
  }
}

/**
 * Does AppSync accept the key AND the mutation document? Sends the template's probe (the
 * mutation plus a `__typename` query chosen by operationName): validated, never executed.
 */
export async function probeAppSync(publisher: Publisher, template: MutationTemplate): Promise<ProbeOutcome> {
  try {
    const result = await publisher.publish(template.probe());
    if (result.errors?.length) {
      const message = describeErrorEntries(result.errors);
      return {
        ok: false,
        fatal: true,
        error: new GraphQLResponseError(`AppSync does not accept the mutation: ${message}`, {
          code: ProbeErrorCode.mutationNotAccepted,
        }),
      };
    }
    return withoutTypename(result) ?? { ok: true };
  } catch (error) {
    return failed(error);
  }
}

/** The quote `bridge check` publishes: its own ticker, so subscribers of real tickers never see it. */
export function probeQuote(now: number = Date.now()): Quote {
  return {
    id: `BRIDGE-CHECK-${now}`,
    ticker: 'BRIDGE-CHECK',
    seq: 1,
    price: 1,
    bid: 0.99,
    ask: 1.01,
    size: 1,
    matchtime: new Date(now).toISOString(),
    ts: now,
  };
}

/**
 * Publishes one quote with the mutation and passes only when AppSync's answer carries the
 * mutation's data for it: the relay's own acceptance rule ({@link judgeAnswer}), so `bridge
 * check` cannot pass an endpoint that `bridge run` would never see accept anything.
 */
export async function probePublish(publisher: Publisher, template: MutationTemplate, quote: Quote = probeQuote()): Promise<ProbeOutcome> {
  // Through the template, as a record would go: a schema-driven mutation takes only its own arguments.
  const decoded = template.decode(Buffer.from(JSON.stringify(quote)));
  if (!decoded.ok) {
    return { ok: false, fatal: true, error: new GraphQLResponseError(`the probe quote does not fit the mutation's arguments: ${decoded.message}`) };
  }
  let result: GraphQLResult;
  try {
    result = await publisher.publish(template.build([decoded.values]));
  } catch (error) {
    return failed(error);
  }
  const verdict = judgeAnswer(result, 1);
  const judged = verdict.quotes[0];
  if (judged?.kind === 'accepted' && verdict.fatal === undefined) return { ok: true };
  const reason = verdict.fatal ?? verdict.unexpected?.message ?? (judged?.kind === 'accepted' ? '' : judged?.message);
  return {
    ok: false,
    fatal: true,
    error: new GraphQLResponseError(`AppSync did not return the mutation's data for the probe quote: ${reason}`),
  };
}
