import {
  Kind,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type SelectionSetNode,
} from 'graphql';

export type Fragments = Readonly<Record<string, FragmentDefinitionNode>>;
type Json = Record<string, unknown>;

/**
 * What a mutation field publishes: its resolver result narrowed to the fields its own selection
 * set asked for, keyed by field name (not alias). Fields it did not select are absent, so a
 * subscriber selecting them gets null (AppSync's selection-set rule).
 */
export function publishedResult(value: unknown, selectionSet: SelectionSetNode | undefined, fragments: Fragments): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => publishedResult(item, selectionSet, fragments));
  if (selectionSet === undefined || typeof value !== 'object') return value;
  const source = value as Json;
  const result: Json = {};
  forEachField(selectionSet, fragments, (name, _responseKey, subSelection) => {
    if (name === '__typename') return;
    const projected = publishedResult(source[name], subSelection, fragments);
    const existing = result[name];
    // `a: price` and `price` (or two sub-selections of one object) select the same data: merge.
    result[name] = isPlainObject(existing) && isPlainObject(projected) ? { ...existing, ...projected } : projected;
  });
  return result;
}

/**
 * A subscriber's view of an event: its own selection set applied, keyed by response key
 * (alias or name), with null for anything the event lacks.
 */
export function renderSelection(
  value: unknown,
  selectionSet: SelectionSetNode | undefined,
  type: GraphQLOutputType,
  fragments: Fragments,
): unknown {
  if (value === null || value === undefined) return null;
  const unwrapped = isNonNullType(type) ? type.ofType : type;
  if (isListType(unwrapped)) {
    return Array.isArray(value) ? value.map((item) => renderSelection(item, selectionSet, unwrapped.ofType, fragments)) : null;
  }
  if (selectionSet === undefined || typeof value !== 'object') return value;
  const named = getNamedType(unwrapped);
  const fields = isObjectType(named) ? named.getFields() : undefined;
  const source = value as Json;
  const result: Json = {};
  forEachField(selectionSet, fragments, (name, responseKey, subSelection) => {
    if (name === '__typename') {
      result[responseKey] = isObjectType(named) ? named.name : (source['__typename'] ?? null);
      return;
    }
    const fieldType = fields?.[name]?.type;
    const rendered = fieldType === undefined ? (source[name] ?? null) : renderSelection(source[name], subSelection, fieldType, fragments);
    const existing = result[responseKey];
    result[responseKey] = isPlainObject(existing) && isPlainObject(rendered) ? { ...existing, ...rendered } : rendered;
  });
  return result;
}

function forEachField(
  selectionSet: SelectionSetNode,
  fragments: Fragments,
  visit: (name: string, responseKey: string, selectionSet: SelectionSetNode | undefined) => void,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      visit(selection.name.value, selection.alias?.value ?? selection.name.value, selection.selectionSet);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      forEachField(selection.selectionSet, fragments, visit);
    } else {
      const fragment = fragments[selection.name.value];
      if (fragment !== undefined) forEachField(fragment.selectionSet, fragments, visit);
    }
  }
}

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
