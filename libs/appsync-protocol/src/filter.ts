/**
 * AppSync's basic argument filtering: each non-null argument of a subscription field is an
 * equality test against the field of the same name in the published result; several are ANDed;
 * an omitted or null argument does not filter.
 */

/** Field name → required value. Only non-null arguments appear. */
export type SubscriptionFilter = Readonly<Record<string, unknown>>;

/** The filter of a subscription's (already coerced) arguments: null/undefined ones are dropped. */
export function createSubscriptionFilter(args: Readonly<Record<string, unknown>>): SubscriptionFilter {
  const filter: Record<string, unknown> = {};
  for (const key of Object.keys(args).sort()) {
    const value = args[key];
    if (value !== null && value !== undefined) filter[key] = value;
  }
  return filter;
}

/** True when every field of the filter equals the same field of the event. */
export function matchesFilter(filter: SubscriptionFilter, event: Readonly<Record<string, unknown>> | null): boolean {
  for (const key of Object.keys(filter)) {
    if (event === null) return false;
    if (valueKey(filter[key]) !== valueKey(event[key])) return false;
  }
  return true;
}

/** The sorted, comma-joined field names a filter tests: subscribers with the same signature share an index. */
export function filterSignature(filter: SubscriptionFilter): string {
  return Object.keys(filter).sort().join(',');
}

// JSON text compares scalars by value and type (5 ≠ "5"); lists and input objects compare structurally.
function valueKey(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

function tupleKey(keys: readonly string[], values: Readonly<Record<string, unknown>>): string | undefined {
  if (keys.length === 1) {
    const value = values[keys[0] as string];
    return value === null || value === undefined ? undefined : valueKey(value);
  }
  let key = '';
  for (const name of keys) {
    const value = values[name];
    if (value === null || value === undefined) return undefined;
    key += `${valueKey(value)}\u0000`;
  }
  return key;
}

interface SignatureGroup<T> {
  readonly keys: readonly string[];
  readonly byValue: Map<string, Set<T>>;
}

/**
 * An index of subscribers by their filter, so publishing an event costs one map lookup per
 * distinct filter signature instead of a scan of every subscriber.
 */
export interface FilterIndex<T> {
  add(filter: SubscriptionFilter, item: T): void;
  /** Removes an item added with the same filter; true if it was there. */
  remove(filter: SubscriptionFilter, item: T): boolean;
  /** Every item whose filter matches the event (each once). */
  match(event: Readonly<Record<string, unknown>> | null): T[];
  readonly size: number;
}

export function createFilterIndex<T>(): FilterIndex<T> {
  const unfiltered = new Set<T>();
  const groups = new Map<string, SignatureGroup<T>>();
  let size = 0;

  return {
    get size() {
      return size;
    },
    add(filter, item) {
      const signature = filterSignature(filter);
      if (signature === '') {
        if (!unfiltered.has(item)) size += 1;
        unfiltered.add(item);
        return;
      }
      let group = groups.get(signature);
      if (group === undefined) {
        group = { keys: signature.split(','), byValue: new Map() };
        groups.set(signature, group);
      }
      const key = tupleKey(group.keys, filter) as string;
      let items = group.byValue.get(key);
      if (items === undefined) {
        items = new Set();
        group.byValue.set(key, items);
      }
      if (!items.has(item)) size += 1;
      items.add(item);
    },
    remove(filter, item) {
      const signature = filterSignature(filter);
      if (signature === '') {
        const removed = unfiltered.delete(item);
        if (removed) size -= 1;
        return removed;
      }
      const group = groups.get(signature);
      if (group === undefined) return false;
      const key = tupleKey(group.keys, filter) as string;
      const items = group.byValue.get(key);
      if (items === undefined || !items.delete(item)) return false;
      size -= 1;
      if (items.size === 0) group.byValue.delete(key);
      if (group.byValue.size === 0) groups.delete(signature);
      return true;
    },
    match(event) {
      const result: T[] = [...unfiltered];
      if (event === null) return result;
      for (const group of groups.values()) {
        const key = tupleKey(group.keys, event);
        if (key === undefined) continue;
        const items = group.byValue.get(key);
        if (items !== undefined) for (const item of items) result.push(item);
      }
      return result;
    },
  };
}
