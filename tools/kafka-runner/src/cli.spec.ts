import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { BrokerStatus } from './broker';
import { describeStatus, lastLines } from './cli';
import { KAFKA_WRAPPER } from './wrapper-process.test-helper';

/** Runs the real tools/kafka wrapper from another directory, as a user would. */
function kafka(args: string[], env: Record<string, string> = {}) {
  return spawnSync(KAFKA_WRAPPER, args, { cwd: '/', encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });
}

describe('tools/kafka', () => {
  it('rejects an unknown command with ONE line on stderr and exit code 2', () => {
    const result = kafka(['restart']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'kafka: unknown command "restart" (expected one of: start, stop, status, logs) (hint: run tools/kafka --help)\n',
    );
  });

  it('rejects a bad setting in one line with exit code 2', () => {
    const result = kafka(['status'], { KAFKA_PORT: 'ninety' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('kafka: KAFKA_PORT must be a port number 1-65535, got "ninety"\n');
  });

  it('prints usage on stdout for --help, ending with examples', () => {
    const result = kafka(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: tools/kafka <command> [options]');
    expect(result.stdout.trimEnd().endsWith('tools/kafka stop')).toBe(true);
  });
});

describe('describeStatus', () => {
  const base: BrokerStatus = {
    running: true,
    managed: true,
    brokers: 'localhost:9092',
    pid: 42,
    version: '3.9.1',
    startedBy: 'cli',
    startedAt: '2026-11-25T02:37:15.297Z',
    dataDir: '/repo/.kafka',
    logFile: '/repo/.kafka/broker.log',
  };

  it.each([
    [base, 'running localhost:9092 pid=42 version=3.9.1 started-by=cli since=2026-11-25T02:37:15.297Z data=/repo/.kafka'],
    [{ ...base, managed: false, pid: undefined }, 'running localhost:9092 (not started by tools/kafka)'],
    [{ ...base, running: false, managed: false }, 'not running localhost:9092 data=/repo/.kafka'],
  ])('describes %o in one line', (status, line) => {
    expect(describeStatus(status)).toBe(line);
  });
});

describe('lastLines', () => {
  it.each([
    ['a\nb\nc\n', 2, 'b\nc\n'],
    ['a\nb\nc', 2, 'b\nc'],
    ['a\n', 5, 'a\n'],
    ['', 3, ''],
  ])('takes the tail of %j', (text, count, expected) => {
    expect(lastLines(text, count)).toBe(expected);
  });
});
