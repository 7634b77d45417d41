import type { StepResult } from './bench';

const COLUMNS = ['source', 'target/s', 'published/s', 'received', 'recv/s', 'p50 ms', 'p99 ms', 'max ms', 'gaps', 'reconn', 'verdict'] as const;

/** The results as a small fixed-width table. */
export function formatResults(results: readonly StepResult[]): string {
  const rows = results.map((r) => [
    r.source,
    String(r.targetRate),
    String(r.publishedRate),
    `${r.received}/${r.published}`,
    String(r.receivedRate),
    String(r.latencyMs.p50),
    String(r.latencyMs.p99),
    String(r.latencyMs.max),
    String(r.missed),
    String(r.reconnects),
    r.verdict,
  ]);
  const widths = COLUMNS.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  return [line(COLUMNS), ...rows.map(line)].join('\n');
}

/**
 * `keeps up`: every event arrived and p99 latency stayed under the bound. When the source could
 * not even send at the target rate, the row says so: the limit was upstream of sub.
 */
export function verdict(
  step: { targetRate: number; publishedRate: number; published: number; received: number; p99: number },
  boundMs: number,
): string {
  const parts: string[] = [];
  if (step.publishedRate < step.targetRate * 0.9) parts.push('source-limited');
  if (step.received < step.published) parts.push(`lost ${step.published - step.received}`);
  else if (step.p99 > boundMs) parts.push('latency grows');
  return parts.length === 0 ? 'keeps up' : parts.join(', ');
}
