import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '@tickerflow/kafka-runner';
import { track } from './child-process';

/** A running appsync-local child: what its `--json` start line announced. */
export interface LocalAppSync {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly graphqlUrl: string;
  readonly realtimeUrl: string;
  readonly apiKey: string;
}

export interface StartAppSyncLocalOptions {
  /** More appsync-local flags, after `--port 0 --json`. */
  readonly args?: readonly string[];
  /** Node flags before the script (e.g. `--cpu-prof`). */
  readonly execArgv?: readonly string[];
  /** Default 20 s. */
  readonly timeoutMs?: number;
}

/**
 * Starts the real appsync-local CLI as a child process (its own event loop) on a free port and
 * resolves once it announced where it listens. The child is tracked for killAllChildren.
 */
export async function startAppSyncLocal(options: StartAppSyncLocalOptions = {}): Promise<LocalAppSync> {
  const bin = join(REPO_ROOT, 'apps/appsync-local/bin/appsync-local.mjs');
  // graphql-js in production mode skips its development-time instanceof checks (about 10% of a request).
  const child = spawn(process.execPath, [...(options.execArgv ?? []), bin, '--port', '0', '--json', ...(options.args ?? [])], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  track(child);
  const lines = createInterface({ input: child.stdout! });
  const timeoutMs = options.timeoutMs ?? 20_000;
  try {
    const announced = await new Promise<Omit<LocalAppSync, 'child' | 'pid'>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`appsync-local did not announce its URL within ${timeoutMs / 1000} s`)), timeoutMs);
      lines.on('line', (line) => {
        let event: { event?: string; graphqlUrl?: string; realtimeUrl?: string; apiKey?: string };
        try {
          event = JSON.parse(line) as typeof event;
        } catch {
          return; // not the announcement
        }
        if (event.event === 'listening' && event.graphqlUrl && event.realtimeUrl && event.apiKey) {
          clearTimeout(timer);
          resolve({ graphqlUrl: event.graphqlUrl, realtimeUrl: event.realtimeUrl, apiKey: event.apiKey });
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`appsync-local exited (${code}) before listening`));
      });
    });
    return { ...announced, child, pid: child.pid ?? 0 };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    lines.close();
    child.stdout?.resume();
  }
}
