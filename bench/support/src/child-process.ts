/**
 * Parent/child plumbing for the benchmarks' helper processes: a child script is forked with
 * tsx and talks over IPC; every message is queued so `next(cmd)` never misses one that
 * arrived early. Every child started is remembered, so a failure or Ctrl-C can stop them all.
 */
import { fork, type ChildProcess, type StdioOptions } from 'node:child_process';

export interface ChildMessage {
  readonly cmd: string;
  readonly [key: string]: unknown;
}

const live = new Set<ChildProcess>();

/** Kills every child still running (SIGKILL); safe to call from an 'exit' handler. */
export function killAllChildren(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}

/** Registers a process started elsewhere (spawned bins) for killAllChildren. */
export function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

export interface ChildHandle {
  readonly process: ChildProcess;
  readonly name: string;
  send(message: ChildMessage): void;
  /** The next message with this cmd (queued ones first); rejects on 'failed', exit or timeout. */
  next(cmd: string, timeoutMs: number): Promise<ChildMessage>;
  /** Sends `request` and waits for the reply `cmd`. */
  ask(request: ChildMessage, cmd: string, timeoutMs: number): Promise<ChildMessage>;
  stop(): Promise<void>;
}

export interface ForkOptions {
  /** Extra node flags (e.g. `--cpu-prof`), after `--import tsx`. */
  readonly execArgv?: readonly string[];
  /** Default: stdout ignored, stderr inherited. */
  readonly stdio?: StdioOptions;
}

/** Forks the TypeScript file `file` (an absolute path) with tsx, under the label `name`. */
export function forkChild(file: string, name: string, options: ForkOptions = {}): ChildHandle {
  const child = fork(file, [], {
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    stdio: options.stdio ?? ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  track(child);
  const queue: ChildMessage[] = [];
  const waiters = new Set<() => void>();
  let failure: Error | undefined;
  child.on('message', (message) => {
    const m = message as ChildMessage;
    if (m.cmd === 'failed') failure = new Error(`${name}: ${String(m['error'])}`);
    queue.push(m);
    for (const wake of waiters) wake();
  });
  child.once('exit', (code, signal) => {
    failure ??= new Error(`${name} exited (${signal ?? code})`);
    for (const wake of waiters) wake();
  });
  const next = (cmd: string, timeoutMs: number): Promise<ChildMessage> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const index = queue.findIndex((m) => m.cmd === cmd);
        if (index >= 0) {
          resolve(queue.splice(index, 1)[0] as ChildMessage);
          return true;
        }
        if (failure) {
          reject(failure);
          return true;
        }
        return false;
      };
      if (check()) return;
      const timer = setTimeout(() => {
        waiters.delete(wake);
        reject(new Error(`${name}: no '${cmd}' within ${timeoutMs} ms`));
      }, timeoutMs);
      const wake = (): void => {
        if (check()) {
          clearTimeout(timer);
          waiters.delete(wake);
        }
      };
      waiters.add(wake);
    });
  const send = (message: ChildMessage): void => {
    if (child.connected) child.send(message);
  };
  return {
    process: child,
    name,
    send,
    next,
    ask(request, cmd, timeoutMs) {
      send(request);
      return next(cmd, timeoutMs);
    },
    stop: () => stopChild(child),
  };
}

/** In a child: reply to the parent; exit when the parent goes away. */
export function childChannel(onMessage: (message: ChildMessage) => Promise<void> | void): (message: ChildMessage) => void {
  const reply = (message: ChildMessage): void => {
    if (process.connected) process.send?.(message);
  };
  process.on('message', (message) => {
    Promise.resolve()
      .then(() => onMessage(message as ChildMessage))
      .catch((error: unknown) => reply({ cmd: 'failed', error: error instanceof Error ? error.message : String(error) }));
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
  return reply;
}
