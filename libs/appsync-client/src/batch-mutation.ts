import { UsageError } from '@tickerflow/core';
import type { GraphQLRequest } from './publisher';

/** A value that can be written as a GraphQL literal argument. */
export type ArgumentValue = string | number | boolean | null;

export interface BatchMutationOptions {
  /** The mutation field each alias calls. Default 'tickerlocal'. */
  readonly mutationField?: string;
  /**
   * Fields the mutation selects. Subscribers receive only fields the mutation selected
   * (AppSync's selection-set rule), so select everything subscribers may want.
   * Default: the argument names of the first item.
   */
  readonly selection?: readonly string[];
  /** Alias prefix; aliases are `<prefix>0`, `<prefix>1`, …  Default 'q'. */
  readonly aliasPrefix?: string;
  /**
   * Pass the arguments as variables (`$q0_id: String!` …) with these GraphQL types, one per
   * argument name, instead of literals. The document text then depends only on the batch size,
   * so servers that cache parsed documents (appsync-local does) parse it once, and it is built
   * once here too (memoized). Arguments are exactly these names; e.g. {@link TICKERLOCAL_ARGUMENT_TYPES}.
   */
  readonly variableTypes?: Readonly<Record<string, string>>;
}

/** Argument types of the default appsync-local schema's `tickerlocal` mutation. */
export { TICKERLOCAL_ARGUMENT_TYPES } from '@tickerflow/appsync-protocol';

const TYPE = /^\[?[_A-Za-z][_0-9A-Za-z]*!?\]?!?$/;
const documentCache = new Map<string, string>();
const DOCUMENT_CACHE_SIZE = 64;

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * Builds ONE GraphQL mutation with an aliased call per item (`q0: tickerlocal(…) {…} q1: …`),
 * which AppSync executes in order, publishing one subscription event per alias.
 *
 * Arguments are written as literals rather than variables: the document then needs no
 * variable type declarations (which depend on the target schema's ID/String/Int/Float
 * choices), and building it is plain string concatenation. Strings are escaped with
 * JSON.stringify, whose escapes are valid GraphQL string escapes. Every own property of
 * an item becomes an argument, in property order.
 */
export function buildBatchMutation(
  items: readonly Readonly<Record<string, ArgumentValue | undefined>>[],
  options: BatchMutationOptions = {},
): GraphQLRequest & { readonly variables: Record<string, unknown> } {
  if (items.length === 0) throw new UsageError('buildBatchMutation needs at least one item');
  const field = options.mutationField ?? 'tickerlocal';
  const prefix = options.aliasPrefix ?? 'q';
  assertName('mutation field', field);
  assertName('alias prefix', prefix);
  const selectionFields = options.selection ?? Object.keys(items[0] as object);
  if (selectionFields.length === 0) throw new UsageError('buildBatchMutation needs at least one selected field');
  for (const name of selectionFields) assertName('selected field', name);
  const selection = ` { ${selectionFields.join(' ')} }`;
  if (options.variableTypes !== undefined) return withVariables(items, field, prefix, selection, options.variableTypes);

  let query = 'mutation Publish {';
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index] as Readonly<Record<string, ArgumentValue | undefined>>;
    query += ` ${prefix}${index}: ${field}(`;
    let first = true;
    for (const key in item) {
      const value = item[key];
      if (value === undefined) continue;
      if (!NAME.test(key)) throw new UsageError(`buildBatchMutation: '${key}' is not a valid GraphQL argument name`);
      query += first ? `${key}: ${literal(key, value)}` : `, ${key}: ${literal(key, value)}`;
      first = false;
    }
    query += `)${selection}`;
  }
  query += ' }';
  return { query, variables: {} };
}

function literal(key: string, value: ArgumentValue): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) {
        throw new UsageError(`buildBatchMutation: argument '${key}' is ${value}, which GraphQL cannot carry`);
      }
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return 'null';
  }
}

function assertName(what: string, name: string): void {
  if (!NAME.test(name)) throw new UsageError(`buildBatchMutation: ${what} '${name}' is not a valid GraphQL name`);
}

function withVariables(
  items: readonly Readonly<Record<string, ArgumentValue | undefined>>[],
  field: string,
  prefix: string,
  selection: string,
  types: Readonly<Record<string, string>>,
): GraphQLRequest & { readonly variables: Record<string, unknown> } {
  const names = Object.keys(types);
  if (names.length === 0) throw new UsageError('buildBatchMutation: variableTypes must name at least one argument');
  const key = `${field}|${prefix}|${items.length}|${selection}|${names.map((name) => `${name}:${types[name]}`).join(',')}`;
  let query = documentCache.get(key);
  if (query === undefined) {
    for (const name of names) {
      assertName('argument', name);
      if (!TYPE.test(types[name] ?? '')) throw new UsageError(`buildBatchMutation: '${types[name]}' is not a GraphQL input type`);
    }
    let declarations = '';
    let body = '';
    for (let index = 0; index < items.length; index += 1) {
      body += ` ${prefix}${index}: ${field}(`;
      for (let n = 0; n < names.length; n += 1) {
        const name = names[n] as string;
        declarations += `${declarations === '' ? '' : ', '}$${prefix}${index}_${name}: ${types[name]}`;
        body += `${n === 0 ? '' : ', '}${name}: $${prefix}${index}_${name}`;
      }
      body += `)${selection}`;
    }
    query = `mutation Publish(${declarations}) {${body} }`;
    if (documentCache.size >= DOCUMENT_CACHE_SIZE) documentCache.delete(documentCache.keys().next().value as string);
    documentCache.set(key, query);
  }
  const variables: Record<string, unknown> = {};
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index] as Readonly<Record<string, ArgumentValue | undefined>>;
    for (const name of names) {
      const value = item[name];
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new UsageError(`buildBatchMutation: argument '${name}' is ${value}, which GraphQL cannot carry`);
      }
      variables[`${prefix}${index}_${name}`] = value ?? null;
    }
  }
  return { query, variables };
}
