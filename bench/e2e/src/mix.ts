/**
 * Which tickers each benchmark subscriber listens to, the way trading screens subscribe:
 * half of the connections watch every ticker, the other half one ticker each, spread
 * round-robin over the tickers. A single subscriber watches everything.
 */

/** `null` = every ticker (no filter); otherwise the one ticker the subscriber filters on. */
export type SubscriberFilter = string | null;

export function assignSubscribers(count: number, tickers: readonly string[]): SubscriberFilter[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`subscriber count must be a positive integer, got ${count}`);
  if (tickers.length === 0) throw new RangeError('assignSubscribers needs at least one ticker');
  const all = Math.ceil(count / 2);
  const filters: SubscriberFilter[] = [];
  for (let i = 0; i < all; i += 1) filters.push(null);
  for (let i = 0; i < count - all; i += 1) filters.push(tickers[i % tickers.length] as string);
  return filters;
}

/** Deliveries owed to `filters` when `produced` holds the quotes made per ticker. */
export function expectedDeliveries(filters: readonly SubscriberFilter[], produced: Readonly<Record<string, number>>): number {
  let total = 0;
  let all = 0;
  for (const count of Object.values(produced)) all += count;
  for (const filter of filters) total += filter === null ? all : (produced[filter] ?? 0);
  return total;
}

/** How many subscribers see a quote of `ticker`. */
export function matchingSubscribers(filters: readonly SubscriberFilter[], ticker: string): number {
  let n = 0;
  for (const filter of filters) if (filter === null || filter === ticker) n += 1;
  return n;
}
