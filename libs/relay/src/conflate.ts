/**
 * Keeps only the last item per key, in the order those last items appear.
 * Returns the survivors' indexes into `items` (ascending) and how many were dropped.
 */
export function conflateLatest<T>(items: readonly T[], keyOf: (item: T) => string): { keep: number[]; dropped: number } {
  const last = new Map<string, number>();
  for (let index = 0; index < items.length; index += 1) last.set(keyOf(items[index] as T), index);
  if (last.size === items.length) return { keep: items.map((_, index) => index), dropped: 0 };
  const keep = [...last.values()].sort((a, b) => a - b);
  return { keep, dropped: items.length - keep.length };
}
