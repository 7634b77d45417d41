import {
  BREAK,
  GraphQLError,
  Kind,
  OverlappingFieldsCanBeMergedRule,
  ValuesOfCorrectTypeRule,
  parse,
  validate,
  visit,
  type ASTNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { APPSYNC_LIMITS, AppSyncErrorType, type AppSyncErrorEntry } from '@tickerflow/appsync-protocol';
import { documentLimitProblem, exceedsTokenLimit } from './document-limits';

/** An error as AppSync (graphql-java) writes it in an `errors` array: `path` and `locations` always present. */
export interface AppSyncGraphQLError extends AppSyncErrorEntry {
  readonly path: readonly (string | number)[] | null;
  readonly locations: readonly { line: number; column: number; sourceName: null }[] | null;
}

/** A document parsed and validated once, whatever the outcome. */
export type PreparedDocument =
  | { readonly ok: true; readonly document: DocumentNode }
  | { readonly ok: false; readonly syntax: boolean; readonly errors: readonly AppSyncGraphQLError[] };

export interface DocumentCache {
  /** Parses and validates `query` against the schema, at most once per distinct text while cached. */
  prepare(query: string): PreparedDocument;
  readonly size: number;
}

/** Bounds of the exact-text and shape caches: entries, and total characters of the cached texts. */
const MAX_CACHED_CHARS = 4_000_000;
/** Literal-heavy documents larger than this are not cached by exact text (they rarely repeat). */
const MAX_ONE_OFF_CHARS = 4096;

/**
 * An LRU cache of parsed and validated documents: publishers send the same mutation text
 * thousands of times a second, so parse + validate must not run per request.
 *
 * Publishers that write values as literals (tickerflow's bridge does) send a different text
 * every time. For those, validity is cached by *shape*: the text with string and number
 * literals blanked. Every validation rule except two depends only on the shape, so a document
 * whose shape passed all rules before is checked with just ValuesOfCorrectType (literal values
 * and AWS scalars) and OverlappingFieldsCanBeMerged (compares argument values) — about half
 * the cost of full validation. Texts with comments or block strings skip this path.
 */
export function createDocumentCache(schema: GraphQLSchema, maxEntries = 1000, limits: DocumentLimits = APPSYNC_LIMITS): DocumentCache {
  const entries = createTextCache<PreparedDocument>(maxEntries);
  const validShapes = createTextCache<true>(maxEntries);

  return {
    get size() {
      return entries.size;
    },
    prepare(query) {
      const cached = entries.get(query);
      if (cached !== undefined) return cached;
      // Before anything that scans or copies the text: a huge document costs only this loop.
      if (exceedsTokenLimit(query, limits.maxDocumentTokens)) return limitExceeded(tokenLimitMessage(limits), true);
      const shape = shapeOf(query);
      if (shape !== undefined && validShapes.get(shape) === true) {
        const fast = prepareKnownShape(schema, query, limits);
        if (fast !== undefined) return fast;
      }
      const prepared = prepareDocument(schema, query, limits);
      if (prepared.ok && shape !== undefined) validShapes.set(shape, true);
      if (shape === undefined || query.length <= MAX_ONE_OFF_CHARS) entries.set(query, prepared);
      return prepared;
    },
  };
}

/** What bounds the work of preparing one document (see APPSYNC_LIMITS for the figures' sources). */
export interface DocumentLimits {
  readonly maxDocumentTokens: number;
  readonly maxResolversPerRequest: number;
  readonly maxQueryDepth: number;
  readonly maxFragments: number;
  readonly maxFieldsPerResponseKey: number;
}

/** An LRU map keyed by text, bounded by entries and by the total characters of its keys. */
function createTextCache<T extends object | boolean>(maxEntries: number): LRUCache<string, T> {
  // A text longer than maxSize (MAX_CACHED_CHARS) is not stored at all.
  return new LRUCache<string, T>({ max: maxEntries, maxSize: MAX_CACHED_CHARS, sizeCalculation: (_value, text) => Math.max(1, text.length) });
}

const STRING_LITERAL = /"(?:[^"\\\n]|\\.)*"/g;
const NUMBER_LITERAL = /(?<![_A-Za-z0-9.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** The text with string and number literals blanked; undefined when it has none or cannot be normalised safely. */
export function shapeOf(query: string): string | undefined {
  if (query.includes('#') || query.includes('"""')) return undefined;
  const shape = query.replace(STRING_LITERAL, '""').replace(NUMBER_LITERAL, (match) => (/[.eE]/.test(match) ? '0.0' : '0'));
  return shape === query ? undefined : shape;
}

/** Parse + the value-dependent rules only; undefined (do the full path) if anything fails. */
function prepareKnownShape(schema: GraphQLSchema, query: string, limits: DocumentLimits): PreparedDocument | undefined {
  try {
    const document = parse(query, { maxTokens: limits.maxDocumentTokens });
    const errors = validate(schema, document, [ValuesOfCorrectTypeRule, OverlappingFieldsCanBeMergedRule]);
    return errors.length === 0 ? { ok: true, document } : undefined;
  } catch {
    return undefined;
  }
}

function prepareDocument(schema: GraphQLSchema, query: string, limits: DocumentLimits): PreparedDocument {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxDocumentTokens });
  } catch (error) {
    if (error instanceof RangeError) return tooDeep(limits);
    if (!(error instanceof GraphQLError)) throw error;
    if (error.message.includes('tokens. Parsing aborted.')) return limitExceeded(tokenLimitMessage(limits), true);
    return { ok: false, syntax: true, errors: [syntaxError(error)] };
  }
  const problem = documentLimitProblem(document, {
    maxRootFields: limits.maxResolversPerRequest,
    maxDepth: limits.maxQueryDepth,
    maxFragments: limits.maxFragments,
    maxFieldsPerResponseKey: limits.maxFieldsPerResponseKey,
  });
  if (problem !== undefined) return limitExceeded(problem, false);
  let errors: readonly GraphQLError[];
  try {
    errors = validate(schema, document);
  } catch (error) {
    // graphql-js's rules recurse: selections nested in thousands of inline fragments overflow the stack.
    if (error instanceof RangeError) return tooDeep(limits);
    throw error;
  }
  if (errors.length > 0) return { ok: false, syntax: false, errors: errors.map((e) => validationError(e, document)) };
  return { ok: true, document };
}

/** graphql-java's wording for its token limit, with appsync-local's figure. */
function tokenLimitMessage(limits: DocumentLimits): string {
  return `Invalid Syntax : More than ${limits.maxDocumentTokens} 'grammar' tokens have been presented. To prevent Denial Of Service attacks, parsing has been cancelled.`;
}

function tooDeep(limits: DocumentLimits): PreparedDocument {
  return limitExceeded(`Limit exceeded: the operation is nested deeper than ${limits.maxQueryDepth} levels (AppSync's query depth limit).`, true);
}

function limitExceeded(message: string, syntax: boolean): PreparedDocument {
  return { ok: false, syntax, errors: [{ errorType: AppSyncErrorType.LimitExceeded, message, path: null, locations: null }] };
}

function locationsOf(error: GraphQLError): AppSyncGraphQLError['locations'] {
  const locations = error.locations?.map(({ line, column }) => ({ line, column, sourceName: null })) ?? [];
  return locations.length > 0 ? locations : null;
}

function syntaxError(error: GraphQLError): AppSyncGraphQLError {
  const where = error.locations?.[0];
  const token = /Unexpected (?:Name |character )?"?([^".]+)"?/.exec(error.message)?.[1];
  const detail = token === undefined ? error.message.replace(/^Syntax Error: /, '') : `offending token '${token}'`;
  const at = where === undefined ? '' : ` at line ${where.line} column ${where.column}`;
  return { message: `Invalid Syntax : ${detail}${at}`, path: null, locations: locationsOf(error) };
}

type Rewrite = (match: RegExpExecArray) => string;

// graphql-js wording → graphql-java's (what AppSync answers), for the common mistakes.
const REWRITES: readonly [RegExp, Rewrite][] = [
  [/^Cannot query field "(\w+)" on type "(\w+)"/, (m) => `FieldUndefined: Field '${m[1]}' in type '${m[2]}' is undefined`],
  [/^Unknown argument "(\w+)" on field "[\w.]+"/, (m) => `UnknownArgument: Unknown field argument ${m[1]}`],
  [/^Field "(\w+)" argument "(\w+)" of type "(.+)" is required/, (m) => `MissingFieldArgument: Missing field argument ${m[2]}`],
  [/^Field "(\w+)" of type "(.+)" must have a selection of subfields/, (m) => `SubSelectionRequired: Sub selection required for type ${m[2]} of field ${m[1]}`],
  [/^Field "(\w+)" must not have a selection since type "(.+)" has no subfields/, (m) => `SubSelectionNotAllowed: Sub selection not allowed on leaf type ${m[2]} of field ${m[1]}`],
  [/^Unknown type "(\w+)"/, (m) => `UnknownType: Unknown type ${m[1]}`],
  [/^Variable "\$(\w+)" is not defined/, (m) => `UndefinedVariable: Undefined variable ${m[1]}`],
  [/^Variable "\$(\w+)" is never used/, (m) => `UnusedVariable: Unused variable ${m[1]}`],
  [/^Unknown fragment "(\w+)"/, (m) => `UndefinedFragment: Undefined fragment ${m[1]}`],
  [/^(?:Int|Float|String|Boolean|ID|\w+) cannot represent|^Expected value of type|^Enum "/, (m) => `WrongType: ${m.input}`],
  [/^Variable "\$(\w+)" of type "(.+)" used in position expecting type "(.+)"/, (m) => `VariableTypeMismatch: Variable type '${m[2]}' doesn't match expected type '${m[3]}'`],
];

function validationError(error: GraphQLError, document: DocumentNode): AppSyncGraphQLError {
  for (const [pattern, rewrite] of REWRITES) {
    const match = pattern.exec(error.message);
    if (match === null) continue;
    const path = fieldPath(document, error.nodes?.[0]);
    return {
      message: `Validation error of type ${rewrite(match)}${path === undefined ? '' : ` @ '${path}'`}`,
      path: null,
      locations: locationsOf(error),
    };
  }
  return { message: error.message, path: null, locations: locationsOf(error) };
}

/** graphql-java's `@ 'a/b'` suffix: the field names from the operation root down to the node. */
function fieldPath(document: DocumentNode, target: ASTNode | undefined): string | undefined {
  if (target === undefined) return undefined;
  let path: string | undefined;
  visit(document, {
    enter(node, _key, _parent, _path, ancestors) {
      if (node !== target) return undefined;
      const names: string[] = [];
      for (const ancestor of [...ancestors, node]) {
        if (!Array.isArray(ancestor) && (ancestor as ASTNode).kind === Kind.FIELD) {
          names.push((ancestor as { name: { value: string } }).name.value);
        }
      }
      path = names.join('/');
      return BREAK;
    },
  });
  return path === '' ? undefined : path;
}

/** Formats an execution error (e.g. a variable that does not coerce) the AppSync way. */
export function executionError(error: GraphQLError): AppSyncGraphQLError {
  const variable = /^Variable "\$(\w+)" (?:got invalid value|of required type|of non-null type)/.exec(error.message);
  return {
    message: variable === null ? error.message : `Validation error of type VariableTypeMismatch: ${error.message}`,
    path: error.path === undefined ? null : error.path,
    locations: locationsOf(error),
  };
}
