import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { testBrokers } from '@tickerflow/test-support';

const BIN = join(import.meta.dirname, '../../../node_modules/.bin/bridge');

export interface Spawned {
  readonly child: ChildProcess;
  stderr(): string;
  stdout(): string;
  waitForLog(text: string, timeoutMs?: number): Promise<void>;
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Every bridge spawned, so a test's afterEach can kill what is left. */
export const spawned: ChildProcess[] = [];

/** Kills (SIGKILL) every bridge still running. */
export function killAll(): void {
  for (const child of spawned.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** `bridge <args>` as a user runs it (the bin, stderr piped: not a terminal). */
export function spawnBridge(args: readonly string[], env: Record<string, string> = {}): Spawned {
  const child = spawn(BIN, args, { env: { ...process.env, KAFKA_BROKERS: testBrokers(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.push(child);
  let err = '';
  let out = '';
  const listeners: (() => void)[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    for (const l of listeners) l();
  });
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stderr: () => err,
    stdout: () => out,
    waitForLog(text, timeoutMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no '${text}' in bridge stderr:\n${err}`)), timeoutMs);
        const check = () => {
          if (err.includes(text)) {
            clearTimeout(timer);
            resolve();
          }
        };
        listeners.push(check);
        void exit.then(() => {
          check();
          clearTimeout(timer);
          if (!err.includes(text)) reject(new Error(`bridge exited before '${text}':\n${err}`));
        });
        check();
      });
    },
    exited: () => exit,
  };
}
