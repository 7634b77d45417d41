import { Kind, parse, print, visit, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { ConfigError } from '@tickerflow/core';
import { QUOTE_FIELDS, type Quote } from '@tickerflow/quote';
import type { GraphQLRequest } from './types';

/** The reference schema's mutation: `tickerlocal(<quote fields>): Tickerdata`. */
export const DEFAULT_MUTATION = 'tickerlocal';

/** Alias prefix of each quote in a batched request: `q0`, `q1`, ... */
export const ALIAS_PREFIX = 'q';

/**
 * A compiled mutation: turns N quotes into ONE GraphQL request with N aliased calls
 * of the mutation field (`q0: tickerlocal(...) {...} q1: ...`). AppSync executes
 * top-level mutation fields one after the other, in document order, and publishes one
 * subscription event per alias, so the order of quotes in a request is the order
 * subscribers see.
 */
export interface MutationTemplate {
  /** The mutation field called, e.g. `tickerlocal`. */
  readonly field: string;
  /** The fields selected on the result (subscribers only get these). */
  readonly selection: readonly string[];
  /** Quote fields the selection set lacks (empty for a complete template). */
  readonly missingSelection: readonly string[];
  build(quotes: readonly Quote[]): GraphQLRequest;
  /**
   * A request that makes the server VALIDATE the mutation document without running it:
   * the document holds the mutation operation plus `query BridgeProbe { __typename }`, and
   * `operationName` picks the query. GraphQL validates the whole document before executing
   * the chosen operation, so an unknown field, argument or type in the mutation comes back
   * as an error, and nothing is published to subscribers.
   */
  probe(sample: Quote): GraphQLRequest;
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const SLOT = '__bridge_slot_';

/**
 * Compiles `--mutation`: either a bare field name (the field takes the quote fields as
 * arguments of the same names, e.g. `tickerlocal`), or a GraphQL document with ONE
 * mutation operation calling ONE field, whose arguments use `$<quoteField>` variables
 * (e.g. `mutation { putQuote(symbol: $ticker, last: $price) { symbol last } }`).
 * Variables are inlined as literals when a batch is built, so the document needs no
 * variable declarations and works with any scalar typing of the target schema.
 */
export function compileMutation(spec: string = DEFAULT_MUTATION): MutationTemplate {
  const text = spec.trim();
  if (NAME.test(text)) {
    const args = QUOTE_FIELDS.map((name) => `${name}: $${name}`).join(', ');
    return compileDocument(`mutation { ${text}(${args}) { ${QUOTE_FIELDS.join(' ')} } }`);
  }
  return compileDocument(text);
}

function compileDocument(text: string): MutationTemplate {
  let document;
  try {
    document = parse(text);
  } catch (error) {
    throw new ConfigError(`--mutation is not a GraphQL document or a field name: ${(error as Error).message}`);
  }
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operations[0];
  if (operations.length !== 1 || operation === undefined || operation.operation !== 'mutation') {
    throw new ConfigError('--mutation must hold exactly one mutation operation');
  }
  if (document.definitions.length !== 1) {
    throw new ConfigError('--mutation must not use fragments: write the selection inline');
  }
  const fields = operation.selectionSet.selections;
  const field = fields[0];
  if (fields.length !== 1 || field === undefined || field.kind !== Kind.FIELD) {
    throw new ConfigError('--mutation must call exactly one mutation field');
  }
  if (!field.selectionSet) {
    throw new ConfigError(`--mutation must select the result fields of ${field.name.value} (subscribers receive only those)`);
  }
  const selection = field.selectionSet.selections.flatMap((node) => (node.kind === Kind.FIELD ? [node.name.value] : []));
  const missingSelection = QUOTE_FIELDS.filter((name) => !selection.includes(name));

  // Replace each `$var` with a placeholder enum value, print, then split on the placeholders.
  const unknown: string[] = [];
  const withSlots = visit(field, {
    Variable(node) {
      const name = node.name.value;
      if (!(QUOTE_FIELDS as readonly string[]).includes(name)) unknown.push(name);
      return { kind: Kind.ENUM, value: `${SLOT}${name}` };
    },
  }) as FieldNode;
  if (unknown.length > 0) {
    throw new ConfigError(
      `--mutation uses variables that are not quote fields: ${unknown.map((n) => `$${n}`).join(', ')} (quote fields: ${QUOTE_FIELDS.join(', ')})`,
    );
  }
  // One line, `name(arg: value, ...) { selection }`: print() would wrap long argument lists.
  const args = (withSlots.arguments ?? []).map((arg) => `${arg.name.value}: ${print(arg.value)}`).join(', ');
  const selectionText = print(withSlots.selectionSet!).replace(/\s*\n\s*/g, ' ');
  const printed = `${withSlots.name.value}${args === '' ? '' : `(${args})`} ${selectionText}`;
  const parts = printed.split(new RegExp(`${SLOT}(\\w+)`));
  // parts alternates: text, slot name, text, slot name, ..., text
  const texts: string[] = [];
  const slots: (keyof Quote)[] = [];
  for (let index = 0; index < parts.length; index += 1) {
    if (index % 2 === 0) texts.push(parts[index] as string);
    else slots.push(parts[index] as keyof Quote);
  }

  const callFor = (quote: Quote): string => {
    let out = texts[0] as string;
    for (let index = 0; index < slots.length; index += 1) {
      out += literal(quote[slots[index] as keyof Quote]) + (texts[index + 1] as string);
    }
    return out;
  };

  const build = (quotes: readonly Quote[]): GraphQLRequest => {
    let query = 'mutation Publish {';
    for (let index = 0; index < quotes.length; index += 1) {
      query += ` ${ALIAS_PREFIX}${index}: ${callFor(quotes[index] as Quote)}`;
    }
    return { query: `${query} }` };
  };

  return {
    field: field.name.value,
    selection,
    missingSelection,
    build,
    probe(sample) {
      return {
        query: `${build([sample]).query}\nquery BridgeProbe { __typename }`,
        operationName: 'BridgeProbe',
      };
    },
  };
}

/** A quote field as a GraphQL literal: JSON string escapes are valid GraphQL escapes. */
function literal(value: string | number): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** The index of the quote an error path points at (`["q3", ...]` is 3), if any. */
export function aliasIndex(path: readonly (string | number)[] | null | undefined): number | undefined {
  const head = path?.[0];
  if (typeof head !== 'string' || !head.startsWith(ALIAS_PREFIX)) return undefined;
  const index = Number(head.slice(ALIAS_PREFIX.length));
  return Number.isInteger(index) && index >= 0 ? index : undefined;
}
