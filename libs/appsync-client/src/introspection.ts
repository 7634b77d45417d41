import { request } from 'undici';
import { apiKeyAuthHeader, type AuthHeader } from '@tickerflow/appsync-protocol';
import { TransportError, errorMessage } from '@tickerflow/core';

/** What a subscription field accepts and returns, as far as a client needs it. */
export interface SubscriptionShape {
  /** Argument names (each a server-side equality filter in AppSync). */
  readonly args: readonly string[];
  /** Scalar and enum fields of the return type, in schema order: a selection that always validates. */
  readonly scalarFields: readonly string[];
}

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name } } }';

/** One introspection request: the Subscription type's fields and every type's fields. */
export const SUBSCRIPTION_SHAPE_QUERY =
  `query SubscriptionShape { __schema { subscriptionType { fields { name args { name } type { ${TYPE_REF} } } } ` +
  `types { name kind fields { name type { ${TYPE_REF} } } } } }`;

interface TypeRef {
  readonly kind?: string;
  readonly name?: string | null;
  readonly ofType?: TypeRef | null;
}

interface FieldInfo {
  readonly name?: string;
  readonly args?: readonly { readonly name?: string }[];
  readonly type?: TypeRef;
}

/** The named type under NON_NULL / LIST wrappers. */
function namedType(type: TypeRef | null | undefined): TypeRef | undefined {
  let current = type ?? undefined;
  while (current !== undefined && (current.kind === 'NON_NULL' || current.kind === 'LIST')) current = current.ofType ?? undefined;
  return current;
}

/**
 * Reads a subscription field's shape from an introspection answer to
 * {@link SUBSCRIPTION_SHAPE_QUERY}; undefined when the answer does not have it.
 */
export function subscriptionShapeFrom(data: unknown, field: string): SubscriptionShape | undefined {
  const schema = (data as { __schema?: { subscriptionType?: { fields?: FieldInfo[] } | null; types?: { name?: string; fields?: FieldInfo[] | null }[] } } | null)
    ?.__schema;
  const subscriptionField = schema?.subscriptionType?.fields?.find((candidate) => candidate.name === field);
  if (subscriptionField === undefined) return undefined;
  const returnType = namedType(subscriptionField.type);
  const type = schema?.types?.find((candidate) => candidate.name === returnType?.name);
  if (type?.fields === undefined || type.fields === null) return undefined;
  const scalarFields = type.fields.flatMap((candidate) => {
    const kind = namedType(candidate.type)?.kind;
    return (kind === 'SCALAR' || kind === 'ENUM') && typeof candidate.name === 'string' ? [candidate.name] : [];
  });
  if (scalarFields.length === 0) return undefined;
  const args = (subscriptionField.args ?? []).flatMap((arg) => (typeof arg.name === 'string' ? [arg.name] : []));
  return { args, scalarFields };
}

export interface FetchSubscriptionShapeOptions {
  /** The GraphQL API URL. */
  readonly url: string;
  /** API key, unless `authHeader` is given. */
  readonly apiKey?: string;
  readonly authHeader?: AuthHeader;
  readonly field: string;
  /** Bound on the whole request, in ms. Default 5000. */
  readonly timeoutMs?: number;
  /** Aborts the request (Ctrl-C). */
  readonly signal?: AbortSignal;
}

/**
 * Asks the API (introspection over HTTP) for a subscription field's shape. Resolves undefined
 * when the schema has no such field; rejects with TransportError when the API cannot answer
 * (down, introspection turned off, refused), so the caller can fall back to its own default.
 */
export async function fetchSubscriptionShape(options: FetchSubscriptionShapeOptions): Promise<SubscriptionShape | undefined> {
  const auth = options.authHeader ?? apiKeyAuthHeader(options.url, options.apiKey ?? '');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(auth)) if (name.toLowerCase() !== 'host') headers[name] = value;
  let body: { data?: unknown; errors?: readonly { message?: string }[] };
  try {
    const response = await request(options.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: SUBSCRIPTION_SHAPE_QUERY }),
      signal: AbortSignal.any([AbortSignal.timeout(options.timeoutMs ?? 5_000), ...(options.signal ? [options.signal] : [])]),
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
    body = JSON.parse(text) as typeof body;
  } catch (error) {
    throw new TransportError(`cannot introspect ${options.url}: ${errorMessage(error)}`, { cause: error });
  }
  if (body.errors !== undefined && body.errors.length > 0) {
    throw new TransportError(`cannot introspect ${options.url}: ${body.errors.map((entry) => entry.message ?? '?').join('; ')}`);
  }
  return subscriptionShapeFrom(body.data, options.field);
}
