/**
 * Reading a few numbers out of JSON text without parsing all of it: the benchmarks' subscriber
 * and consumer processes do this once or twice per received event, where JSON.parse would
 * dominate their profile and compete with what is being measured.
 */

/** Where to look for the key: from an offset forwards (default 0), or its last occurrence. */
export interface ScanFrom {
  readonly from?: number;
  readonly last?: boolean;
}

/**
 * The number written right after `key` (e.g. `"ts":`) in `text`, or undefined when the key is
 * absent or no number follows it.
 */
export function numberAfter(text: string, key: string, where: ScanFrom = {}): number | undefined {
  const at = where.last ? text.lastIndexOf(key) : text.indexOf(key, where.from ?? 0);
  if (at < 0) return undefined;
  const start = at + key.length;
  let end = start;
  // Digits, '.', '-', '+', 'e', 'E', by char code: this is the hot loop.
  for (; end < text.length; end += 1) {
    const c = text.charCodeAt(end);
    if (!((c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43 || c === 101 || c === 69)) break;
  }
  if (end === start) return undefined;
  const value = Number(text.slice(start, end));
  return Number.isFinite(value) ? value : undefined;
}

/** The fields a benchmark subscriber reads from each event. */
export interface ScannedQuote {
  readonly ticker: string;
  readonly seq: number;
  readonly ts: number;
}

/**
 * ticker, seq and ts of the one quote in a realtime `data` frame (or a bare quote's JSON).
 * `ts` is searched from the end: it is the last field every quote selection here ends with.
 * Throws when one is missing: a frame without them means the benchmark is wired wrongly.
 */
export function scanQuote(text: string): ScannedQuote {
  const tickerKey = text.indexOf('"ticker":"');
  const seq = numberAfter(text, '"seq":');
  const ts = numberAfter(text, '"ts":', { last: true });
  if (tickerKey < 0 || seq === undefined || ts === undefined) throw new Error(`no ticker, seq or ts in ${text.slice(0, 200)}`);
  const at = tickerKey + 10;
  return { ticker: text.slice(at, text.indexOf('"', at)), seq, ts };
}
