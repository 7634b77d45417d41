import type { LatencySummary } from '@tickerflow/appsync-client';
import type { Board, SequenceSummary, TickerStats } from './board';

export interface StatsReport {
  readonly events: number;
  readonly durationS: number;
  readonly eventsPerSecond: number;
  readonly reconnects: number;
  readonly eventsAfterReconnect: number;
  /** null (n/a) when no event carried `seq`. */
  readonly gaps: number | null;
  readonly missed: number | null;
  readonly duplicates: number | null;
  readonly dataErrors: number;
  readonly rejectedSubscriptions: readonly string[];
  /** null (n/a) when no event carried `ts`. */
  readonly latencyMs: LatencySummary | null;
  readonly tickers: readonly TickerStats[];
}

export function buildStats(
  board: Board,
  durationMs: number,
  reconnects: number,
  rejectedSubscriptions: readonly string[],
): StatsReport {
  const totals = board.sequences.totals();
  const durationS = Math.round(durationMs) / 1000;
  return {
    events: board.events,
    durationS,
    eventsPerSecond: durationS > 0 ? Math.round(board.events / durationS) : 0,
    reconnects,
    eventsAfterReconnect: board.eventsAfterReconnect,
    gaps: board.seen.seq ? totals.gaps : null,
    missed: board.seen.seq ? totals.missed : null,
    duplicates: board.seen.seq ? totals.duplicates : null,
    dataErrors: board.dataErrors,
    rejectedSubscriptions,
    latencyMs: board.seen.ts ? board.latency.summary() : null,
    tickers: board.tickerStats(),
  };
}

/** Human-readable stats for stderr. */
export function formatStats(stats: StatsReport): string {
  const latency = (l: LatencySummary | null): string => (l === null ? 'latency n/a' : `latency ms p50 ${l.p50} p99 ${l.p99} max ${l.max}`);
  const sequence = (s: SequenceSummary): string =>
    s.gaps === null ? 'gaps n/a, duplicates n/a' : `gaps ${s.gaps} (missed ${s.missed}), duplicates ${s.duplicates}`;
  const lines = [
    `sub stats: ${stats.events} events in ${stats.durationS.toFixed(1)} s (${stats.eventsPerSecond}/s), ` +
      `reconnects ${stats.reconnects}, ${sequence(stats)}, ${latency(stats.latencyMs)}`,
  ];
  const width = Math.max(6, ...stats.tickers.map((t) => t.ticker.length));
  for (const ticker of stats.tickers) {
    lines.push(
      `  ${ticker.ticker.padEnd(width)}  events ${ticker.events}  ${sequence(ticker).replace(', ', '  ')}  ${latency(ticker.latencyMs)}`,
    );
  }
  if (stats.rejectedSubscriptions.length > 0) lines.push(`  rejected subscriptions: ${stats.rejectedSubscriptions.join(', ')}`);
  if (stats.dataErrors > 0) lines.push(`  data messages with errors: ${stats.dataErrors}`);
  return `${lines.join('\n')}\n`;
}
