/**
 * Runs `npm run bench -- --tiny` against the real broker (the integration globalSetup's
 * KAFKA_BROKERS) and checks the report it writes: every path at the tiny rate, sane numbers,
 * no loss on the floor and the bridge, the ratios, the Markdown table and the SVG chart.
 * The harness is tested here, not the performance targets.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@tickerflow/kafka-runner';
import { PATHS, type BenchReport } from '../src/types';

const out = mkdtempSync(join(tmpdir(), 'bench-e2e-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'bench', '--', ...args], { cwd: REPO_ROOT, env: { ...process.env, TICKERFLOW_KEEP_KAFKA: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run bench -- --tiny', () => {
  it('writes a JSON, Markdown and SVG report covering every path with sane numbers', { timeout: 240_000 }, async () => {
    expect(process.env['KAFKA_BROKERS']).toBeTruthy();
    const run = await runBench(['--tiny', '--out', out]);
    expect(run.stderr).not.toContain('FAILED');
    expect(run.code, run.stderr).toBe(0);

    // One folder per run, named by its start time, holding its three files.
    const runs = readdirSync(out);
    expect(runs).toHaveLength(1);
    const dir = join(out, runs[0]!);
    expect(readdirSync(dir).sort()).toEqual(['chart.svg', 'report.json', 'report.md']);

    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as BenchReport;
    expect(runs[0]).toBe(report.startedAt.replace(/[:.]/g, '-'));
    expect(report.plan.mode).toBe('tiny');
    for (const path of PATHS) {
      const s = report.scenarios.find((x) => x.path === path && x.rate === 200);
      expect(s, path).toBeDefined();
      expect(s!.error, path).toBeUndefined();
      expect(s!.delivered, path).toBeGreaterThan(0);
      expect(s!.expectedDeliveries, path).toBeGreaterThan(0);
      expect(s!.duplicated, path).toBe(0);
      expect(s!.deliveriesPerSecond, path).toBeGreaterThan(0);
      for (const key of ['p50', 'p90', 'p99', 'p999', 'max'] as const) {
        expect(Number.isFinite(s!.latencyMs[key]) && s!.latencyMs[key] > 0, `${path} ${key} = ${s!.latencyMs[key]}`).toBe(true);
      }
      expect(s!.latencyMs.p50).toBeLessThanOrEqual(s!.latencyMs.p99);
      expect(s!.latencyMs.p99).toBeLessThanOrEqual(s!.latencyMs.max);
      expect(s!.processes.map((p) => p.name)).toContain('subscribers');
      for (const p of s!.processes) {
        expect(p.cpuSeconds, `${path} ${p.name}`).toBeGreaterThanOrEqual(0);
        expect(p.peakRssMiB, `${path} ${p.name}`).toBeGreaterThan(0);
      }
    }
    for (const path of ['floor', 'bridge'] as const) {
      expect(report.scenarios.find((x) => x.path === path)!.lost, path).toBe(0);
    }
    const bridge = report.scenarios.find((x) => x.path === 'bridge')!;
    expect(bridge.processes.map((p) => p.name).sort()).toEqual(['appsync-local', 'bridge', 'producer', 'subscribers']);

    const r = report.ratios;
    expect(r.bridgeP99OverFloorP99).toBeGreaterThan(0);
    expect(r.referenceP99OverBridgeP99).toBeGreaterThan(0);
    // Throughput is compared only between sustained runs; on a loaded machine a tiny run may not be.
    const sustained = (path: string) => report.scenarios.some((x) => x.path === path && x.sustained);
    if (sustained('bridge') && sustained('ceiling')) expect(r.bridgeOverCeilingDeliveries).toBeGreaterThan(0);
    else expect(r.bridgeOverCeilingDeliveries).toBeNull();

    const markdown = readFileSync(join(dir, 'report.md'), 'utf8');
    for (const path of PATHS) expect(markdown).toMatch(new RegExp(`^\\| ${path} \\| 2 \\| 200 \\|`, 'm'));
    expect(markdown).toContain('bridge p99 / floor p99');
    expect(markdown).toContain('](chart.svg)');

    const chart = readFileSync(join(dir, 'chart.svg'), 'utf8');
    expect(chart.startsWith('<svg')).toBe(true);
    expect(chart.match(/<polyline /g)).toHaveLength(4);
    expect(run.stdout).toContain('reference p99 / bridge p99');
    expect(run.stdout).toContain(join(dir, 'report.md'));
  });
});
