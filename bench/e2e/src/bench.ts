/**
 * The whole benchmark: one appsync-local for the run, then for each subscriber count and path
 * the planned rates and (full mode) a short search for the highest lossless rate; then the
 * ratios, and the JSON + Markdown + SVG report.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { killAllChildren, startAppSyncLocal, stopChild } from '@tickerflow/bench-support';
import { connectWithin, createKafka, parseBrokers, type KafkaSettings } from '@tickerflow/kafka';
import { nextSearchRate } from './plan';
import { computeRatios } from './ratios';
import { buildChart, buildMarkdown } from './report';
import { failedResult, runScenario, type BenchEnv, type ScenarioSpec } from './scenario';
import type { BenchPlan, BenchReport, ScenarioResult } from './types';

export interface RunBenchOptions {
  readonly plan: BenchPlan;
  readonly brokers: string;
  readonly outDir: string;
  readonly signal?: AbortSignal;
  /** Progress lines (stderr in the CLI). */
  readonly log?: (line: string) => void;
}

export interface RunBenchResult {
  readonly report: BenchReport;
  /** The run's folder (`<outDir>/<timestamp>/`) and its three files. */
  readonly files: { readonly dir: string; readonly json: string; readonly markdown: string; readonly svg: string };
}

const fmtMs = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(2));

function describe(s: ScenarioResult): string {
  if (s.error !== undefined) return `${s.path} ${s.subscribers} sub @ ${s.rate}/s: FAILED ${s.error}`;
  const l = s.latencyMs;
  return (
    `${s.path.padEnd(9)} ${String(s.subscribers).padStart(3)} sub @ ${String(s.rate).padStart(6)}/s ${s.kind.padEnd(6)}: ` +
    `delivered ${s.delivered}/${s.expectedDeliveries} lost ${s.lost} dup ${s.duplicated} ooo ${s.outOfOrder}, ${Math.round(s.deliveriesPerSecond)} deliveries/s, ` +
    (s.latencyCensored
      ? `p99 >= ${fmtMs(s.p99AtLeastMs)} ms (lost quotes: a lower bound)`
      : `p50 ${fmtMs(l.p50)} p99 ${fmtMs(l.p99)} max ${fmtMs(l.max)} ms`) +
    ` ${s.sustained ? 'OK' : 'not sustained'}${s.achievedRate < 0.9 * s.rate ? ` (source made only ${Math.round(s.achievedRate)}/s)` : ''}`
  );
}

export async function runBench(options: RunBenchOptions): Promise<RunBenchResult> {
  const { plan } = options;
  const log = options.log ?? (() => {});
  const signal = options.signal ?? new AbortController().signal;
  const startedAt = new Date();
  const cpuAtStart = process.cpuUsage();
  const loadAtStart = loadavg()[0] ?? 0;
  const settings: KafkaSettings = { brokers: parseBrokers('KAFKA_BROKERS', options.brokers), clientId: 'bench-e2e', ssl: false, connectTimeoutMs: 10_000 };
  const kafka = createKafka(settings, pino({ level: 'silent' }));
  const admin = kafka.admin();
  let appsync: ChildProcess | undefined;
  const scenarios: ScenarioResult[] = [];
  try {
    await connectWithin(kafka, admin);
    const started = await startAppSyncLocal();
    appsync = started.child;
    const env: BenchEnv = { brokers: options.brokers, settings, admin, appsync: started, plan, runId: Date.now().toString(36), signal, log };
    log(`bench-e2e (${plan.mode}): broker ${options.brokers}, appsync-local ${started.graphqlUrl}`);

    const run = async (spec: ScenarioSpec): Promise<ScenarioResult> => {
      let result: ScenarioResult;
      try {
        result = await runScenario(env, spec);
      } catch (error) {
        if (signal.aborted) throw error;
        result = failedResult(spec, plan.seconds, error instanceof Error ? error.message : String(error));
      }
      scenarios.push(result);
      log(describe(result));
      return result;
    };

    for (const subscribers of plan.subscribers) {
      for (const path of plan.paths) {
        const own: ScenarioResult[] = [];
        for (const rate of plan.rates) {
          if (signal.aborted) throw new Error('interrupted');
          own.push(await run({ path, subscribers, rate, kind: 'fixed' }));
        }
        for (let step = 0; step < plan.searchSteps; step += 1) {
          const rate = nextSearchRate(own.filter((r) => r.error === undefined), plan.searchFactor);
          if (rate === undefined || signal.aborted) break;
          own.push(await run({ path, subscribers, rate, kind: 'search' }));
        }
      }
    }
  } finally {
    if (appsync) await stopChild(appsync);
    await admin.disconnect().catch(() => {});
    killAllChildren();
  }

  const ratios = computeRatios(scenarios, { ratioRate: plan.ratioRate, subscribers: plan.subscribers });
  const cpu = process.cpuUsage(cpuAtStart);
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}`, loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 } },
    plan,
    scenarios,
    ratios,
    orchestrator: { cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMiB: process.resourceUsage().maxRSS / 1024 },
  };
  // Each run in a folder of its own, named by when it started: its figures stay with it.
  const dir = join(options.outDir, report.startedAt.replace(/[:.]/g, '-'));
  mkdirSync(dir, { recursive: true });
  const files = { dir, json: join(dir, 'report.json'), markdown: join(dir, 'report.md'), svg: join(dir, 'chart.svg') };
  writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(files.svg, buildChart(report));
  writeFileSync(files.markdown, buildMarkdown(report, 'chart.svg'));
  return { report, files };
}
