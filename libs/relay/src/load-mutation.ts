import { AuthError, ConfigError, errorMessage, isRetriable, retry, type RetryPolicy } from '@tickerflow/core';
import { describeErrorEntries } from '@tickerflow/appsync-protocol';
import type { ArgumentMap } from './argument-map';
import { compileFieldMutation } from './field-mutation';
import { compileMutation, isFieldName, type MutationTemplate } from './mutation';
import { MutationErrorCode } from './mutation-errors';
import { DEFAULT_RETRY_POLICY, retryDelay } from './retry';
import { INTROSPECTION_REQUEST, mutationField, schemaFromIntrospection, schemaFromSdl } from './schema-field';
import type { Publisher } from './types';

export interface MutationOptions {
  /** The mutation: a field name, or a full mutation document (tickerflow quote variables). */
  readonly spec: string;
  /** Argument -> record field. Only with a field name. */
  readonly map?: ArgumentMap;
  /** The API's SDL, for APIs that do not answer introspection; `source` names it in errors (e.g. `schema file api.graphql`). */
  readonly schema?: { readonly sdl: string; readonly source: string };
}

export interface LoadedMutation {
  readonly template: MutationTemplate;
  /** Where the field's arguments came from. */
  readonly from: 'document' | 'schema file' | 'introspection' | 'assumed quote arguments';
  /** Set when the API refused introspection and the quote arguments are assumed. */
  readonly warning?: string;
}

/** Keeps asking while AppSync is unreachable (retriable failures); without it the first failure throws. */
export interface WaitForApi {
  readonly signal: AbortSignal;
  onWaiting(error: unknown, attempt: number): void;
  readonly retry?: RetryPolicy;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Waiting for the API was cut short by the signal. */
export class MutationLoadAborted extends Error {}

/**
 * Compiles the mutation against the API's schema. A document is used as written. A field name
 * is looked up in the given schema, else in the API's answer to introspection; when the
 * API refuses introspection, tickerflow's quote arguments are assumed (with a warning: the
 * startup probe then tells whether the API takes them). A refused key throws AuthError.
 */
export async function loadMutation(options: MutationOptions, publisher: Publisher, wait?: WaitForApi): Promise<LoadedMutation> {
  const mapped = options.map !== undefined && Object.keys(options.map).length > 0;
  if (!isFieldName(options.spec)) {
    if (mapped) {
      throw new ConfigError('an argument map applies to a mutation field name; a mutation document maps in its own arguments', {
        code: MutationErrorCode.argumentMapWithDocument,
      });
    }
    return { template: compileMutation(options.spec), from: 'document' };
  }
  const name = options.spec.trim();
  const map = mapped ? { map: options.map } : {};
  if (options.schema !== undefined) {
    const schema = schemaFromSdl(options.schema.sdl, options.schema.source);
    return { template: compileFieldMutation(mutationField(schema, name, options.schema.source), map), from: 'schema file' };
  }
  const answer = await introspect(publisher, wait);
  const schema = answer.ok ? schemaFromIntrospection(answer.data) : undefined;
  if (schema !== undefined) return { template: compileFieldMutation(mutationField(schema, name, 'the API schema'), map), from: 'introspection' };
  const why = answer.ok ? 'the answer holds no schema' : answer.message;
  if (mapped) {
    throw new ConfigError(`the argument map needs ${name}'s arguments, but the API does not answer introspection (${why}) and no schema was given`, {
      code: MutationErrorCode.schemaNeeded,
    });
  }
  return {
    template: compileMutation(name),
    from: 'assumed quote arguments',
    warning: `the API does not answer introspection (${why}): assuming ${name} takes tickerflow's quote fields; give the API's schema (SDL) for any other schema`,
  };
}

async function introspect(publisher: Publisher, wait: WaitForApi | undefined): Promise<{ ok: true; data: unknown } | { ok: false; message: string }> {
  const policy = wait?.retry ?? DEFAULT_RETRY_POLICY;
  try {
    const result = await retry(() => publisher.publish(INTROSPECTION_REQUEST, wait ? { signal: wait.signal } : {}), {
      policy,
      // Only an unreachable API is waited for, and only when the caller asked to wait.
      retriable: (error) => wait !== undefined && isRetriable(error),
      delay: (error, attempt) => retryDelay(error, attempt, policy),
      onRetry: (error, attempt) => wait?.onWaiting(error, attempt),
      ...(wait === undefined ? {} : { signal: wait.signal, ...(wait.sleep === undefined ? {} : { sleep: wait.sleep }) }),
    });
    if (result.errors?.length) return { ok: false, message: describeErrorEntries(result.errors) };
    return { ok: true, data: result.data };
  } catch (error) {
    if (wait?.signal.aborted) throw new MutationLoadAborted('stopped while waiting for the API');
    if (error instanceof AuthError) throw error;
    // A refused request (e.g. introspection turned off) is an answer; an unreachable API is not.
    if (!isRetriable(error)) return { ok: false, message: errorMessage(error) };
    throw error;
  }
}
