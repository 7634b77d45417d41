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
    '| path | subs | rate/s | made/s | kind | delivered | lost | dup | ooo | deliveries/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | ok | CPU / peak RSS |\n' +
    '|---|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|';
  const rows = scenarios.map((s) => {
    if (s.error !== undefined) return `| ${s.path} | ${s.subscribers} | ${num(s.rate)} | | ${s.kind} | failed: ${s.error.replace(/\|/g, '/')} |${' |'.repeat(11)}`;
    const l = s.latencyMs;
    // Censored: many owed quotes never arrived, so the upper percentiles are lower bounds.
    const upper = (n: number): string => (s.latencyCensored ? `≥ ${ms(Math.max(n, s.p99AtLeastMs))}` : ms(n));
    return (
      `| ${s.path} | ${s.subscribers} | ${num(s.rate)} | ${num(s.achievedRate)} | ${s.kind} | ${num(s.delivered)} | ${num(s.lost)} | ${num(s.duplicated)} | ${num(s.outOfOrder)} | ` +
      `${num(s.deliveriesPerSecond)} | ${l.count === 0 ? 'n/a' : ms(l.p50)} | ${l.count === 0 ? 'n/a' : ms(l.p90)} | ${upper(l.p99)} | ${upper(l.p999)} | ${upper(l.max)} | ${s.sustained ? 'yes' : 'no'} | ${formatProcesses(s)} |`
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
        if (s.path !== path || s.subscribers !== subscribers || s.error !== undefined || (s.latencyMs.count === 0 && !s.latencyCensored)) continue;
        byRate.set(s.rate, s.p99AtLeastMs);
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
  const load = report.machine.loadAverage;
  lines.push(
    `Machine: ${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.machine.node}` +
      (load ? `, 1-min load average ${load.start.toFixed(1)} at the start and ${load.end.toFixed(1)} at the end (other work on the machine skews every figure)` : '') +
      `. Mode \`${p.mode}\`: rates ${p.rates.join(', ')} quotes/s, ` +
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
      `${p.maxP99Ms} ms and at least 90 % of the offered rate made (\`made/s\`). \`≥\`: more than 1 % of the owed quotes never arrived, ` +
      'so the percentiles of the arrivals understate latency and are shown as lower bounds (a lost quote waited at least the drain window); ' +
      'the chart plots those lower bounds. CPU is % of one core over the scenario; RSS is the peak (VmHWM).',
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
