import { AuthError, GraphQLResponseError, isRetriable, type AppError } from '@tickerflow/core';
import type { GraphQLRequest, MutationTemplate, Publisher } from '@tickerflow/relay';

export type ProbeOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly fatal: boolean; readonly error: AppError | Error };

/** `query { __typename }`: answered only when the key is accepted. */
export const KEY_PROBE: GraphQLRequest = { query: 'query BridgeKeyCheck { __typename }', operationName: 'BridgeKeyCheck' };

/** Does AppSync accept the key? */
export async function probeKey(publisher: Publisher): Promise<ProbeOutcome> {
  try {
    const result = await publisher.publish(KEY_PROBE);
    if (result.errors?.length) {
      return { ok: false, fatal: false, error: new GraphQLResponseError(result.errors.map((e) => e.message).join('; ')) };
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, fatal: error instanceof AuthError || !isRetriable(error), error: error as Error };
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
      const message = result.errors.map((e) => (e.errorType ? `${e.errorType}: ${e.message}` : e.message)).join('; ');
      return {
        ok: false,
        fatal: true,
        error: new GraphQLResponseError(`AppSync does not accept the mutation: ${message}`, {
          hint: 'check --mutation against the API schema',
        }),
      };
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, fatal: error instanceof AuthError || !isRetriable(error), error: error as Error };
  }
}
