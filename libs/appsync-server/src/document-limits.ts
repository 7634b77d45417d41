import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

export interface OperationLimits {
  /** Most root fields (each runs a resolver) one operation may select. */
  readonly maxRootFields: number;
  /** Most nested selection levels. */
  readonly maxDepth: number;
  /** Most fragment spreads and inline fragments in the whole document. */
  readonly maxFragments: number;
  /** Most fields of one selection set answering to the same response key. */
  readonly maxFieldsPerResponseKey: number;
}

/**
 * The first limit a parsed document breaks, as a message, or undefined. Runs before validation,
 * so it must cope with what validation would refuse (unknown or cyclic fragments): a fragment
 * is measured once (memoised) and a cycle counts as nothing, keeping this linear in the document.
 */
export function documentLimitProblem(document: DocumentNode, limits: OperationLimits): string | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const depths = new Map<string, number>();
  const counts = new Map<string, number>();

  /** The deepest level under `set`, which sits `above` levels down; stops once past the limit. */
  const depthOf = (set: SelectionSetNode | undefined, above: number): number => {
    if (set === undefined) return above;
    let deepest = above;
    for (const selection of set.selections) {
      let depth: number;
      if (selection.kind === Kind.FIELD) depth = above + 1 > limits.maxDepth ? above + 1 : depthOf(selection.selectionSet, above + 1);
      else if (selection.kind === Kind.INLINE_FRAGMENT) depth = depthOf(selection.selectionSet, above);
      else depth = above + fragmentDepth(selection.name.value);
      if (depth > deepest) deepest = depth;
      if (deepest > limits.maxDepth) return deepest;
    }
    return deepest;
  };
  const fragmentDepth = (name: string): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    depths.set(name, 0);
    const depth = depthOf(fragments.get(name)?.selectionSet, 0);
    depths.set(name, depth);
    return depth;
  };

  const rootFields = (set: SelectionSetNode): number => {
    let count = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) count += selection.name.value === '__typename' ? 0 : 1;
      else if (selection.kind === Kind.INLINE_FRAGMENT) count += rootFields(selection.selectionSet);
      else count += fragmentRootFields(selection.name.value);
      if (count > limits.maxRootFields) return count;
    }
    return count;
  };
  const fragmentRootFields = (name: string): number => {
    const known = counts.get(name);
    if (known !== undefined) return known;
    counts.set(name, 0);
    const fragment = fragments.get(name);
    const count = fragment === undefined ? 0 : rootFields(fragment.selectionSet);
    counts.set(name, count);
    return count;
  };

  const costly = validationCostProblem(document, limits);
  if (costly !== undefined) return costly;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (rootFields(definition.selectionSet) > limits.maxRootFields) {
      return `Limit exceeded: the operation selects more than ${limits.maxRootFields} resolver fields (AppSync's resolver count limit).`;
    }
    if (depthOf(definition.selectionSet, 0) > limits.maxDepth) {
      return `Limit exceeded: the operation is nested deeper than ${limits.maxDepth} levels (AppSync's query depth limit).`;
    }
  }
  return undefined;
}

/**
 * graphql-js's OverlappingFieldsCanBeMerged rule compares every pair of fields sharing a response
 * key, and every pair of fragments, so its cost is quadratic in those counts: bound them before
 * validating. A syntactic pass over every selection set, fragments not expanded.
 */
function validationCostProblem(document: DocumentNode, limits: OperationLimits): string | undefined {
  let fragments = 0;
  let problem: string | undefined;
  const walk = (set: SelectionSetNode): void => {
    const perKey = new Map<string, number>();
    for (const selection of set.selections) {
      if (problem !== undefined) return;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const count = (perKey.get(key) ?? 0) + 1;
        perKey.set(key, count);
        if (count > limits.maxFieldsPerResponseKey) {
          problem = `Limit exceeded: more than ${limits.maxFieldsPerResponseKey} fields answer to the key '${key}' in one selection set.`;
          return;
        }
        if (selection.selectionSet !== undefined) walk(selection.selectionSet);
        continue;
      }
      fragments += 1;
      if (fragments > limits.maxFragments) {
        problem = `Limit exceeded: the document uses more than ${limits.maxFragments} fragments.`;
        return;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) walk(definition.selectionSet);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

const isNameChar = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;

/**
 * True when `text` holds more than `limit` lexical tokens, counted as GraphQL's lexer counts them
 * (names, numbers, strings and punctuators; whitespace, commas and comments are not tokens).
 * A character loop that allocates nothing and stops at the limit: a huge document is refused
 * in a fraction of the time graphql-js's parser takes to reach the same count.
 */
export function exceedsTokenLimit(text: string, limit: number): boolean {
  let count = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2c || c === 0xfeff) {
      i += 1;
      continue;
    }
    if (c === 0x23) {
      while (i < n && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i += 1;
      continue;
    }
    count += 1;
    if (count > limit) return true;
    if (c === 0x22) {
      i = text.startsWith('"""', i) ? afterBlockString(text, i + 3) : afterString(text, i + 1);
    } else if (c === 0x2e && text.startsWith('...', i)) {
      i += 3;
    } else if (isNameChar(c) || c === 0x2d) {
      i += 1;
      while (i < n) {
        const d = text.charCodeAt(i);
        const exponentSign = (d === 0x2b || d === 0x2d) && (text.charCodeAt(i - 1) | 0x20) === 0x65;
        if (!isNameChar(d) && d !== 0x2e && !exponentSign) break;
        if (d === 0x2e && text.startsWith('...', i)) break;
        i += 1;
      }
    } else {
      i += 1;
    }
  }
  return false;
}

function afterString(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i += 2;
    else if (c === 0x22 || c === 0x0a || c === 0x0d) return i + 1;
    else i += 1;
  }
  return i;
}

function afterBlockString(text: string, from: number): number {
  let at = text.indexOf('"""', from);
  while (at > 0 && text.charCodeAt(at - 1) === 0x5c) at = text.indexOf('"""', at + 3);
  return at < 0 ? text.length : at + 3;
}
