import { formatRatios } from './ratios';
import { buildLineChart, type ChartSeries } from './svg-chart';
import { PATHS, PATH_LABELS, type BenchReport, type PathName, type ScenarioResult } from './types';

const COLORS: Readonly<Record<PathName, string>> = { floor: '#2ca02c', reference: '#d62728', bridge: '#1f77b4', ceiling: '#7f7f7f' };

const num = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
const ms = (n: number): string => (n >= 100 ? num(n, 0) : n >= 10 ? num(n, 1) : num(n, 2));

/** One line per process: `name cpu% / peak MiB`. */
export function formatProcesses(s: ScenarioResult): string {
  return s.processes.map((p) => `${p.name} ${num(p.cpuPercent)}% ${num(p.peakRssMiB)} MiB`).join(', ');
}

/** The results table (Markdown), one row per scenario in run order. */
export function resultsTable(scenarios: readonly ScenarioResult[]): string {
  const header =
    '| path | subs | rate/s | kind | delivered | lost | dup | ooo | deliveries/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | ok | CPU / peak RSS |\n' +
    '|---|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|';
  const rows = scenarios.map((s) => {
    if (s.error !== undefined) return `| ${s.path} | ${s.subscribers} | ${num(s.rate)} | ${s.kind} | failed: ${s.error.replace(/\|/g, '/')} |${' |'.repeat(11)}`;
    const l = s.latencyMs;
    return (
      `| ${s.path} | ${s.subscribers} | ${num(s.rate)} | ${s.kind} | ${num(s.delivered)} | ${num(s.lost)} | ${num(s.duplicated)} | ${num(s.outOfOrder)} | ` +
      `${num(s.deliveriesPerSecond)} | ${ms(l.p50)} | ${ms(l.p90)} | ${ms(l.p99)} | ${ms(l.p999)} | ${ms(l.max)} | ${s.sustained ? 'yes' : 'no'} | ${formatProcesses(s)} |`
    );
  });
  return [header, ...rows].join('\n');
}

/** Series for the chart: p99 vs offered rate, one per path and subscriber count (dashed = more subscribers). */
export function chartSeries(scenarios: readonly ScenarioResult[]): ChartSeries[] {
  const counts = [...new Set(scenarios.map((s) => s.subscribers))].sort((a, b) => a - b);
  const series: ChartSeries[] = [];
  for (const path of PATHS) {
    counts.forEach((subscribers, index) => {
      const byRate = new Map<number, number>();
      for (const s of scenarios) {
        if (s.path !== path || s.subscribers !== subscribers || s.error !== undefined || s.latencyMs.count === 0) continue;
        byRate.set(s.rate, s.latencyMs.p99);
      }
      if (byRate.size === 0) return;
      series.push({
        label: `${path}, ${subscribers} subscriber${subscribers === 1 ? '' : 's'}`,
        color: COLORS[path],
        dashed: index > 0,
        points: [...byRate].map(([x, y]) => ({ x, y })),
      });
    });
  }
  return series;
}

export function buildChart(report: BenchReport): string {
  return buildLineChart(chartSeries(report.scenarios), {
    title: 'p99 latency (quote ts → subscriber receipt) vs offered rate',
    xLabel: 'offered rate, quotes/s (log)',
    yLabel: 'p99 latency, ms (log)',
  });
}

export function buildMarkdown(report: BenchReport, chartFile: string): string {
  const p = report.plan;
  const lines: string[] = [];
  lines.push(`# End-to-end benchmark, ${report.startedAt}`);
  lines.push('');
  lines.push(
    `Machine: ${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.machine.node}. Mode \`${p.mode}\`: rates ${p.rates.join(', ')} quotes/s, ` +
      `${p.subscribers.join(' and ')} subscriber connection(s), ${p.seconds} s per scenario (first ${p.warmupSeconds} s not in the latency figures), ` +
      `drain up to ${p.drainSeconds} s, ${p.searchSteps > 0 ? `highest-lossless-rate search of up to ${p.searchSteps} steps (×${p.searchFactor})` : 'no rate search'}, ` +
      `${p.partitions}-partition topics, tickers ${p.tickers.join(',')}.`,
  );
  lines.push('');
  lines.push('Paths:');
  for (const path of p.paths) lines.push(`- **${path}** — ${PATH_LABELS[path]}`);
  lines.push('');
  lines.push('## Ratios');
  lines.push('');
  for (const line of formatRatios(report.ratios)) lines.push(`- ${line}`);
  lines.push('');
  lines.push(
    'The fan-out ceiling (d) is what this machine pushes through WebSockets at all with the subscribers beside it; ' +
      'with many unfiltered subscribers at high rates the hardware, not the relay, is the limit, so the ratio to (d) is the honest measure.',
  );
  lines.push('');
  lines.push('## Results');
  lines.push('');
  lines.push(
    'Latency: quote `ts` (producer clock, whole ms) → receipt in the subscriber process, HdrHistogram, after the warm-up. ' +
      '`lost` = quotes owed to a subscriber by its filter and not received within the drain window. `ok` = no loss and p99 ≤ ' +
      `${p.maxP99Ms} ms. CPU is % of one core over the scenario; RSS is the peak (VmHWM).`,
  );
  lines.push('');
  lines.push(resultsTable(report.scenarios));
  lines.push('');
  lines.push(`![p99 vs rate](${chartFile})`);
  lines.push('');
  lines.push(`Orchestrator: ${num(report.orchestrator.cpuSeconds, 1)} CPU s, peak RSS ${num(report.orchestrator.peakRssMiB)} MiB.`);
  lines.push('');
  return lines.join('\n');
}
