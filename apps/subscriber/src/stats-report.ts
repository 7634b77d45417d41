import type { LatencySummary } from '@tickerflow/appsync-client';
import type { Board, TickerStats } from './board';

export interface StatsReport {
  readonly events: number;
  readonly durationS: number;
  readonly eventsPerSecond: number;
  readonly reconnects: number;
  readonly eventsAfterReconnect: number;
  readonly gaps: number;
  readonly missed: number;
  readonly duplicates: number;
  readonly dataErrors: number;
  readonly rejectedSubscriptions: readonly string[];
  readonly latencyMs: LatencySummary;
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
    gaps: totals.gaps,
    missed: totals.missed,
    duplicates: totals.duplicates,
    dataErrors: board.dataErrors,
    rejectedSubscriptions,
    latencyMs: board.latency.summary(),
    tickers: board.tickerStats(),
  };
}

/** Human-readable stats for stderr. */
export function formatStats(stats: StatsReport): string {
  const latency = (l: LatencySummary): string => `latency ms p50 ${l.p50} p99 ${l.p99} max ${l.max}`;
  const lines = [
    `sub stats: ${stats.events} events in ${stats.durationS.toFixed(1)} s (${stats.eventsPerSecond}/s), ` +
      `reconnects ${stats.reconnects}, gaps ${stats.gaps} (missed ${stats.missed}), duplicates ${stats.duplicates}, ` +
      latency(stats.latencyMs),
  ];
  const width = Math.max(6, ...stats.tickers.map((t) => t.ticker.length));
  for (const ticker of stats.tickers) {
    lines.push(
      `  ${ticker.ticker.padEnd(width)}  events ${ticker.events}  gaps ${ticker.gaps} (missed ${ticker.missed})  ` +
        `duplicates ${ticker.duplicates}  ${latency(ticker.latencyMs)}`,
    );
  }
  if (stats.rejectedSubscriptions.length > 0) lines.push(`  rejected subscriptions: ${stats.rejectedSubscriptions.join(', ')}`);
  if (stats.dataErrors > 0) lines.push(`  data messages with errors: ${stats.dataErrors}`);
  return `${lines.join('\n')}\n`;
}
