// Runs the real ticker-gen bin; the Kafka helpers every package shares live in @tickerflow/test-support.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const TICKER_GEN_BIN = resolve(REPO_ROOT, 'node_modules/.bin/ticker-gen');

export interface Spawned {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
}

/** Runs the real bin; `onStart` gets the child (e.g. to send SIGINT). */
export function runTickerGen(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; timeoutMs?: number; onStart?: (child: ReturnType<typeof spawn>, stderr: () => string) => void } = {},
): Promise<Spawned> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
  for (const name of ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SSL']) {
    if (!(options.env && name in options.env)) delete env[name];
  }
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [TICKER_GEN_BIN, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`ticker-gen ${args.join(' ')} did not finish within ${options.timeoutMs ?? 30_000} ms; stderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, elapsedMs: performance.now() - started });
    });
    options.onStart?.(child, () => stderr);
  });
}
