import {
  Kind,
  execute,
  getOperationAST,
  type GraphQLError,
  type DocumentNode,
  type GraphQLResolveInfo,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { AppSyncErrorType } from '@tickerflow/appsync-protocol';
import { checkApiKey } from './auth';
import { executionError, type AppSyncGraphQLError, type DocumentCache } from './documents';
import type { FaultOptions } from './faults';
import { createFaultInjector } from './faults';
import { compileMutationPlan, type MutationPlan } from './mutation-plan';
import { publishedResult } from './projection';
import type { AppSyncSchema, MutationContext } from './schema';

/** An HTTP answer, independent of node:http so it can be tested directly. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export interface GraphQLHttpOptions {
  readonly apiKey: string;
  readonly faults?: FaultOptions;
  /** Run mutations through compiled plans where they apply (same answers, less work). Default true. */
  readonly mutationPlans?: boolean;
}

export interface GraphQLHttpHandler {
  /** The 401 answer for an `x-api-key` header (undefined if absent) that is not the key; undefined when it is. */
  authorize(apiKey: string | undefined): HttpAnswer | undefined;
  /** Answers one `POST /graphql`: `apiKey` is the `x-api-key` header (undefined if absent). */
  handle(body: string, apiKey: string | undefined): Promise<HttpAnswer>;
  readonly stats: { requests: number; mutationFields: number; injectedFailures: number };
}

type Publish = (mutationField: string, result: unknown) => void;

const malformed = (message: string): HttpAnswer => ({
  status: 400,
  body: { errors: [{ errorType: AppSyncErrorType.MalformedHttpRequest, message }] },
});

/**
 * GraphQL over HTTP as AppSync answers it: auth first (401), then the body (400), then
 * validation (200 with `data: null`), then execution. Every executed mutation field publishes
 * its result, in document order, through `publish`.
 */
export function createGraphQLHttpHandler(
  api: AppSyncSchema,
  documents: DocumentCache,
  options: GraphQLHttpOptions,
  publish: Publish,
): GraphQLHttpHandler {
  const faults = createFaultInjector(options.faults ?? {});
  const stats = { requests: 0, mutationFields: 0, injectedFailures: 0 };
  // Compiled mutation plans per cached document (the document cache hands out the same node for
  // the same text), per operation name. null: the plan does not cover that operation.
  const plans = new WeakMap<DocumentNode, Map<string, MutationPlan | null>>();
  const planning = options.mutationPlans ?? true;

  function planFor(document: DocumentNode, operation: OperationDefinitionNode, operationName: string): MutationPlan | undefined {
    let byName = plans.get(document);
    if (byName === undefined) {
      byName = new Map();
      plans.set(document, byName);
    }
    let plan = byName.get(operationName);
    if (plan === undefined) {
      plan = compileMutationPlan(api, document, operation) ?? null;
      byName.set(operationName, plan);
    }
    return plan ?? undefined;
  }

  function authorize(apiKey: string | undefined): HttpAnswer | undefined {
    const auth = checkApiKey(apiKey === undefined ? undefined : { 'x-api-key': apiKey }, options.apiKey);
    return auth.ok ? undefined : { status: 401, body: { errors: [{ errorType: AppSyncErrorType.Unauthorized, message: auth.message }] } };
  }

  async function handle(body: string, apiKey: string | undefined): Promise<HttpAnswer> {
    stats.requests += 1;
    const refusal = authorize(apiKey);
    if (refusal !== undefined) return refusal;
    if (body.trim() === '') return malformed('Request body is empty.');

    let request: unknown;
    try {
      request = JSON.parse(body);
    } catch {
      return malformed('Unable to parse GraphQL query.');
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) return malformed('Unable to parse GraphQL query.');
    const { query, variables, operationName } = request as Record<string, unknown>;
    if (typeof query !== 'string' || query.trim() === '') return malformed('Unable to parse GraphQL query.');
    if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
      return malformed('Unable to parse GraphQL query.');
    }
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
      return malformed('Unable to parse GraphQL query.');
    }

    const prepared = documents.prepare(query);
    if (!prepared.ok) return { status: 200, body: { data: null, errors: prepared.errors } };
    const operation = getOperationAST(prepared.document, operationName ?? undefined);
    if (operation?.operation === 'subscription') {
      return {
        status: 200,
        body: { data: null, errors: [{ errorType: AppSyncErrorType.UnsupportedOperation, message: 'subscription not supported through the HTTP endpoint; use the realtime endpoint', path: null, locations: null }] },
      };
    }

    if (operation?.operation === 'mutation') {
      if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
      const failure = faults.draw();
      if (failure !== undefined) {
        stats.injectedFailures += 1;
        return failure;
      }
      // Fast path: a compiled plan does what execute() below would, for plain None-data-source
      // mutations; it declines (undefined) anything else, including every error case.
      const planned = planning ? planFor(prepared.document, operation, (operationName as string | null | undefined) ?? '')?.run((variables ?? undefined) as Record<string, unknown> | undefined) : undefined;
      if (planned !== undefined) {
        for (const event of planned.events) {
          stats.mutationFields += 1;
          publish(event.fieldName, event.result);
        }
        return { status: 200, body: { data: planned.data } };
      }
    }

    const executed: { info: GraphQLResolveInfo; result: Record<string, unknown> }[] = [];
    const context: MutationContext = { onMutationField: (info, result) => executed.push({ info, result }) };
    const result = await execute({
      schema: api.schema,
      document: prepared.document,
      variableValues: (variables ?? undefined) as Record<string, unknown> | undefined,
      operationName: (operationName ?? undefined) as string | undefined,
      contextValue: context,
    });

    const failedKeys = new Set((result.errors ?? []).map((error) => error.path?.[0]));
    for (const { info, result: value } of executed) {
      const responseKey = info.path.key;
      if (failedKeys.has(responseKey)) continue;
      stats.mutationFields += 1;
      publish(info.fieldName, publishedResult(value, mergedSelection(info), fragmentsOf(info)));
    }

    const errors: AppSyncGraphQLError[] | undefined = result.errors?.map((error: GraphQLError) => executionError(error));
    const data = result.data ?? null;
    return { status: 200, body: errors === undefined ? { data } : { data, errors } };
  }

  return { authorize, handle, stats };
}

function mergedSelection(info: GraphQLResolveInfo): SelectionSetNode | undefined {
  if (info.fieldNodes.length === 1) return info.fieldNodes[0]?.selectionSet;
  return { kind: Kind.SELECTION_SET, selections: info.fieldNodes.flatMap((node) => node.selectionSet?.selections ?? []) };
}

function fragmentsOf(info: GraphQLResolveInfo) {
  return info.fragments;
}
