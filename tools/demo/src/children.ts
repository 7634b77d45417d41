import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { TransportError } from '@tickerflow/core';

export interface ChildSpec {
  /** Short name used in messages ("bridge"). */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** 'inherit' gives the child the terminal (the foreground `sub`); 'pipe' captures its output. */
  readonly stdio: 'inherit' | 'pipe';
  readonly env?: NodeJS.ProcessEnv;
}

export interface ManagedChild {
  readonly name: string;
  readonly process: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Emits 'line' for every stdout line of a piped child (stdout is always drained). */
  readonly stdoutLines: EventEmitter;
  /** The last lines the child wrote to stderr, for a failure message. */
  recentStderr(): string[];
}

const STDERR_LINES_KEPT = 20;

/**
 * Starts and tracks the processes of one demo run, so that stopping stops exactly
 * those (never anything else on the machine), in reverse start order.
 */
export class ChildGroup {
  private readonly children: ManagedChild[] = [];

  start(spec: ChildSpec): ManagedChild {
    const child = spawn(spec.command, [...spec.args], {
      stdio: spec.stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      env: spec.env ?? process.env,
    });
    const stderrLines: string[] = [];
    if (child.stderr) {
      createInterface({ input: child.stderr }).on('line', (line) => {
        stderrLines.push(line);
        if (stderrLines.length > STDERR_LINES_KEPT) stderrLines.shift();
      });
    }
    const stdoutLines = new EventEmitter();
    if (child.stdout) createInterface({ input: child.stdout }).on('line', (line) => stdoutLines.emit('line', line));
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.once('error', () => resolve(-1));
    });
    const managed: ManagedChild = { name: spec.name, process: child, exited, stdoutLines, recentStderr: () => [...stderrLines] };
    this.children.push(managed);
    return managed;
  }

  /** The children started so far, oldest first. */
  list(): readonly ManagedChild[] {
    return this.children;
  }

  /** True while any started child is still running. */
  anyRunning(): boolean {
    return this.children.some((child) => child.process.exitCode === null && child.process.signalCode === null);
  }

  /**
   * Asks every child to stop (SIGTERM, newest first, waiting for each so the bridge
   * can commit after ticker-gen has flushed), and kills what is still alive after `graceMs`.
   */
  async stopAll(graceMs: number): Promise<void> {
    for (const child of [...this.children].reverse()) {
      if (child.process.exitCode !== null || child.process.signalCode !== null) continue;
      child.process.kill('SIGTERM');
      const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
      await child.exited;
      clearTimeout(timer);
    }
  }
}

/**
 * Waits for the first stdout line of `child` that `parse` accepts (returns non-undefined),
 * failing when the child exits first or `timeoutMs` passes.
 */
export function waitForLine<T>(
  child: ManagedChild,
  parse: (line: string) => T | undefined,
  timeoutMs: number,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onLine = (line: string): void => {
      const value = parse(line);
      if (value === undefined) return;
      settle();
      resolve(value);
    };
    const onExit = (code: number | null): void => {
      settle();
      reject(new TransportError(`${child.name} exited (code ${code}) before it was ready: ${lastLine(child)}`));
    };
    const timer = setTimeout(() => {
      settle();
      reject(new TransportError(`${child.name} was not ready within ${timeoutMs / 1000} s: ${lastLine(child)}`));
    }, timeoutMs);
    const settle = (): void => {
      clearTimeout(timer);
      child.stdoutLines.off('line', onLine);
      child.process.off('exit', onExit);
    };
    child.stdoutLines.on('line', onLine);
    child.process.once('exit', onExit);
  });
}

function lastLine(child: ManagedChild): string {
  return child.recentStderr().at(-1) ?? 'no output';
}
