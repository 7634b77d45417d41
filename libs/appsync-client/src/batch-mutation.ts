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
}

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
): GraphQLRequest & { readonly variables: Record<string, never> } {
  if (items.length === 0) throw new UsageError('buildBatchMutation needs at least one item');
  const field = options.mutationField ?? 'tickerlocal';
  const prefix = options.aliasPrefix ?? 'q';
  assertName('mutation field', field);
  assertName('alias prefix', prefix);
  const selectionFields = options.selection ?? Object.keys(items[0] as object);
  if (selectionFields.length === 0) throw new UsageError('buildBatchMutation needs at least one selected field');
  for (const name of selectionFields) assertName('selected field', name);
  const selection = ` { ${selectionFields.join(' ')} }`;

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
