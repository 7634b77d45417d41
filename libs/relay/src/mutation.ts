import { Kind, parse, print, visit, type FieldNode, type OperationDefinitionNode, type VariableDefinitionNode } from 'graphql';
import { TICKERLOCAL_ARGUMENT_TYPES } from '@tickerflow/appsync-protocol';
import { ConfigError, DEFAULT_MUTATION } from '@tickerflow/core';
import { QUOTE_FIELDS, type QuoteField } from '@tickerflow/quote';
import { decodeRecordValue, type DecodeResult } from './decode';
import { MutationErrorCode } from './mutation-errors';
import type { GraphQLRequest, MutationValues } from './types';

/** Alias prefix of each quote in a batched request: `q0`, `q1`, ... */
export const ALIAS_PREFIX = 'q';

const INVALID = { code: MutationErrorCode.mutationInvalid };

/** Argument types of the reference schema's `tickerlocal`, used when the mutation is a bare field name. */
export const REFERENCE_ARGUMENT_TYPES: Readonly<Record<QuoteField, string>> = TICKERLOCAL_ARGUMENT_TYPES;

/**
 * A compiled mutation: turns N records into ONE GraphQL request with N aliased calls of the
 * mutation field (`q0: tickerlocal(...) {...} q1: ...`). AppSync executes top-level mutation
 * fields one after the other, in document order, and publishes one subscription event per
 * alias, so the order of records in a request is the order subscribers see.
 *
 * The document uses variables (`$id_0`, `$ticker_0`, ...): its text depends only on N, so it
 * is built once per batch size here and parsed and validated once per size by the server
 * (AppSync and appsync-local cache documents by text); only `variables` change per request.
 */
export interface MutationTemplate {
  /** The mutation field called, e.g. `tickerlocal`. */
  readonly field: string;
  /** The fields selected on the result (subscribers only get these). */
  readonly selection: readonly string[];
  /** Quote fields the selection set lacks (empty for a complete template, and off the quote path). */
  readonly missingSelection: readonly string[];
  /** True when records are validated as tickerflow quotes (dead letter `invalid-quote`). */
  readonly quoteRules: boolean;
  /** A record value as this mutation's variable values, or why it cannot be one. */
  decode(value: Buffer | null): DecodeResult;
  build(values: readonly MutationValues[]): GraphQLRequest;
  /**
   * A request that makes the server VALIDATE the mutation document without running it: the
   * document holds the mutation operation plus `query BridgeProbe { __typename }`, and
   * `operationName` picks the query. GraphQL validates the whole document before executing the
   * chosen operation, so an unknown field, argument or type in the mutation comes back as an
   * error, the key is checked, and nothing is published to subscribers.
   */
  probe(): GraphQLRequest;
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** Is `spec` a bare field name (rather than a GraphQL document)? */
export function isFieldName(spec: string): boolean {
  return NAME.test(spec.trim());
}

const isQuoteField = (name: string): name is QuoteField => (QUOTE_FIELDS as readonly string[]).includes(name);

/**
 * Compiles a mutation for tickerflow quotes, without the API's schema: either a bare field
 * name (the field takes the quote fields as arguments of the same names and the reference
 * schema's types, e.g. `tickerlocal`), or a GraphQL document with ONE mutation operation calling
 * ONE field, whose arguments use `$<quoteField>` variables declared with the target schema's
 * types, e.g. `mutation($ticker: String!, $price: Float!) { putQuote(symbol: $ticker, last: $price) { symbol last } }`.
 * Records are validated as quotes. For a field of any schema, see compileFieldMutation.
 */
export function compileMutation(spec: string = DEFAULT_MUTATION): MutationTemplate {
  const text = spec.trim();
  if (NAME.test(text)) {
    const defs = QUOTE_FIELDS.map((name) => `$${name}: ${REFERENCE_ARGUMENT_TYPES[name]}`).join(', ');
    const args = QUOTE_FIELDS.map((name) => `${name}: $${name}`).join(', ');
    return compileQuoteDocument(`mutation(${defs}) { ${text}(${args}) { ${QUOTE_FIELDS.join(' ')} } }`);
  }
  return compileQuoteDocument(text);
}

function compileQuoteDocument(text: string): MutationTemplate {
  const { field, definitions, used } = parseMutationDocument(text);
  if (!field.selectionSet) {
    throw new ConfigError(`the mutation must select the result fields of ${field.name.value} (subscribers receive only those)`, INVALID);
  }
  const unknown = [...used].filter((name) => !isQuoteField(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      `the mutation uses variables that are not quote fields: ${unknown.map((n) => `$${n}`).join(', ')} (quote fields: ${QUOTE_FIELDS.join(', ')})`,
      INVALID,
    );
  }
  const undeclared = [...used].filter((name) => !definitions.some((def) => def.variable.name.value === name));
  if (undeclared.length > 0) {
    throw new ConfigError(`the mutation must declare the types of ${undeclared.map((n) => `$${n}`).join(', ')}, e.g. mutation($ticker: String!) {...}`, INVALID);
  }
  return templateFromDocument(text, {
    variables: definitions.map((def) => def.variable.name.value).filter(isQuoteField),
    quoteRules: true,
    decode: decodeRecordValue,
  });
}

/** The checks every mutation document passes: one mutation operation calling one field. */
function parseMutationDocument(text: string): { field: FieldNode; definitions: readonly VariableDefinitionNode[]; used: Set<string> } {
  let document;
  try {
    document = parse(text);
  } catch (error) {
    throw new ConfigError(`the mutation is not a GraphQL document or a field name: ${(error as Error).message}`, INVALID);
  }
  const operation = document.definitions[0] as OperationDefinitionNode | undefined;
  if (document.definitions.length !== 1 || operation?.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'mutation') {
    throw new ConfigError('the mutation must hold exactly one mutation operation (and no fragments)', INVALID);
  }
  const fields = operation.selectionSet.selections;
  const field = fields[0];
  if (fields.length !== 1 || field === undefined || field.kind !== Kind.FIELD) {
    throw new ConfigError('the mutation must call exactly one mutation field', INVALID);
  }
  const used = new Set<string>();
  visit(field, {
    Variable(node) {
      used.add(node.name.value);
    },
  });
  return { field, definitions: operation.variableDefinitions ?? [], used };
}

/**
 * The template of a checked mutation document: `variables` are read from each record's values
 * by name, `decode` turns a record value into those values.
 */
export function templateFromDocument(
  text: string,
  options: { readonly variables: readonly string[]; readonly quoteRules: boolean; decode(value: Buffer | null): DecodeResult },
): MutationTemplate {
  const { field, definitions, used } = parseMutationDocument(text);
  const selection = (field.selectionSet?.selections ?? []).flatMap((node) => (node.kind === Kind.FIELD ? [node.name.value] : []));
  const { variables } = options;

  const callText = (index: number): string => {
    const renamed = visit(field, {
      Variable(node) {
        return { ...node, name: { ...node.name, value: `${node.name.value}_${index}` } };
      },
    }) as FieldNode;
    const args = (renamed.arguments ?? []).map((arg) => `${arg.name.value}: ${print(arg.value)}`).join(', ');
    const selectionText = renamed.selectionSet ? ` ${print(renamed.selectionSet).replace(/\s*\n\s*/g, ' ')}` : '';
    return `${ALIAS_PREFIX}${index}: ${renamed.name.value}${args === '' ? '' : `(${args})`}${selectionText}`;
  };
  const definitionText = (index: number): string =>
    definitions
      .filter((def) => used.has(def.variable.name.value))
      .map((def) => `$${def.variable.name.value}_${index}: ${print(def.type)}${def.defaultValue ? ` = ${print(def.defaultValue)}` : ''}`)
      .join(', ');

  const calls: string[] = [];
  const defs: string[] = [];
  const documents = new Map<number, string>();
  const documentFor = (size: number): string => {
    let cached = documents.get(size);
    if (cached === undefined) {
      while (calls.length < size) {
        calls.push(callText(calls.length));
        defs.push(definitionText(defs.length));
      }
      const head = defs.slice(0, size).filter((d) => d !== '').join(', ');
      cached = `mutation Publish${head === '' ? '' : `(${head})`} { ${calls.slice(0, size).join(' ')} }`;
      documents.set(size, cached);
    }
    return cached;
  };

  return {
    field: field.name.value,
    selection,
    missingSelection: options.quoteRules ? QUOTE_FIELDS.filter((name) => !selection.includes(name)) : [],
    quoteRules: options.quoteRules,
    decode: options.decode,
    build(records) {
      const values: Record<string, unknown> = {};
      for (let index = 0; index < records.length; index += 1) {
        const record = records[index] as Readonly<Record<string, unknown>>;
        for (const name of variables) values[`${name}_${index}`] = record[name];
      }
      return { query: documentFor(records.length), variables: values };
    },
    probe() {
      return { query: `${documentFor(1)}\nquery BridgeProbe { __typename }`, operationName: 'BridgeProbe' };
    },
  };
}

/** The index of the quote an error path points at (`["q3", ...]` is 3), if any. */
export function aliasIndex(path: readonly (string | number)[] | null | undefined): number | undefined {
  const head = path?.[0];
  if (typeof head !== 'string' || !head.startsWith(ALIAS_PREFIX)) return undefined;
  const index = Number(head.slice(ALIAS_PREFIX.length));
  return Number.isInteger(index) && index >= 0 ? index : undefined;
}
