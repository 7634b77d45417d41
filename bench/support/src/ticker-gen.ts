import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sleep } from '@tickerflow/core';
import { REPO_ROOT } from '@tickerflow/kafka-runner';
import { track } from './child-process';

/** ticker-gen's `--json` closing line. */
export interface TickerGenSummary {
  readonly sent: number;
  readonly errors: number;
  readonly bytes: number;
  readonly elapsedMs: number;
  readonly quotesPerSecond: number;
  readonly bytesPerSecond: number;
}

export interface TickerGenRun {
  readonly brokers: string;
  readonly topic: string;
  /** Quotes/s; 0 = as fast as it can. */
  readonly rate: number;
  /** Stop after this many quotes; otherwise runs until `signal`. */
  readonly count?: number;
  readonly seed: string;
  /** Aborting sends ticker-gen SIGINT: it stops and prints its summary. */
  readonly signal?: AbortSignal;
}

/**
 * Runs the real ticker-gen CLI (a child process, as a user runs it, so producing never competes
 * with what is measured for an event loop) and resolves with its summary.
 */
export async function runTickerGen(run: TickerGenRun): Promise<TickerGenSummary> {
  const args = ['--brokers', run.brokers, '--topic', run.topic, '--rate', String(run.rate), '--seed', run.seed, '--json'];
  if (run.count !== undefined) args.push('--count', String(run.count));
  const child = spawn(process.execPath, [join(REPO_ROOT, 'apps/producer/bin/ticker-gen.mjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  run.signal?.addEventListener('abort', () => child.kill('SIGINT'), { once: true });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4096); // enough for its last error line
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let summary: TickerGenSummary | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    const event = JSON.parse(line) as { type?: string } & TickerGenSummary;
    if (event.type === 'summary') summary = event;
  }
  const code = await exited;
  const lastError = stderr.trim().split('\n').at(-1) ?? '';
  if (summary === undefined) throw new Error(`ticker-gen exited with ${code} without a summary: ${lastError}`);
  if (code !== 0 && !run.signal?.aborted) throw new Error(`ticker-gen exited with ${code}: ${lastError}`);
  return summary;
}

/** Sleeps until the wall clock reaches `epochMs`. */
export function sleepUntil(epochMs: number): Promise<void> {
  return sleep(Math.max(0, epochMs - Date.now()));
}

/** The quotes that count, by the `ts` ticker-gen gave them (epoch ms; `until` exclusive). */
export interface QuoteWindow {
  readonly from: number;
  readonly until: number;
}

/**
 * ticker-gen at `rate` into `topic` through `warmupSeconds` and the measured `seconds`, then a
 * second for the window's last quotes to arrive. `measure` gets the window as producing starts
 * and resolves once it is over. Resolves with ticker-gen's summary.
 */
export async function produceThroughWindow(
  run: Omit<TickerGenRun, 'count' | 'signal'> & { readonly warmupSeconds: number; readonly seconds: number },
  measure: (window: QuoteWindow) => Promise<void>,
): Promise<TickerGenSummary> {
  const from = Date.now() + run.warmupSeconds * 1000;
  const stopProducing = new AbortController();
  const producing = runTickerGen({ brokers: run.brokers, topic: run.topic, rate: run.rate, seed: run.seed, signal: stopProducing.signal });
  try {
    await measure({ from, until: from + run.seconds * 1000 });
  } finally {
    stopProducing.abort();
  }
  const produced = await producing;
  await sleep(1_000);
  return produced;
}
