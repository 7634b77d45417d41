import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { AppError, AuthError, TransportError, UsageError, parseNonNegativeNumber } from '@tickerflow/core';
import { withErrorHints } from './hints';
import { formatError, runProgram } from './run';

function program(action: () => void | Promise<void>): Command {
  return new Command('tool')
    .option('--rate <n>', 'rate', (raw) => parseNonNegativeNumber('--rate', raw))
    .configureOutput({ writeErr: () => {}, writeOut: () => {} })
    .action(action);
}

describe('runProgram', () => {
  it('returns 0 when the action succeeds', async () => {
    expect(await runProgram(program(() => {}), [])).toBe(0);
  });

  it('turns a bad option value into one line and exit 2', async () => {
    const lines: string[] = [];
    const code = await runProgram(program(() => {}), ['--rate', '-1'], { writeError: (l) => lines.push(l) });
    expect(code).toBe(2);
    expect(lines).toEqual(["tool: --rate must be a number >= 0, got '-1'"]);
  });

  it('answers an unknown option with exit 2', async () => {
    expect(await runProgram(program(() => {}), ['--nope'])).toBe(2);
  });

  it('maps errors through exitCodeFor, defaulting to 1', async () => {
    const failing = () =>
      program(() => {
        throw new AuthError('key refused');
      });
    expect(await runProgram(failing(), [], { writeError: () => {} })).toBe(1);
    const code = await runProgram(failing(), [], {
      writeError: () => {},
      exitCodeFor: (e) => (e instanceof AuthError ? 3 : undefined),
    });
    expect(code).toBe(3);
  });
});

describe('formatError', () => {
  it('puts message and hint on one line, without a stack', () => {
    const error = new UsageError('bad\nvalue', { hint: 'try --help' });
    expect(formatError('tool', error)).toBe('tool: bad value (hint: try --help)');
  });

  it('adds the stack when verbose', () => {
    expect(formatError('tool', new Error('boom'), true)).toMatch(/^tool: boom\nError: boom\n\s+at /);
  });
});

describe('hints by error code', () => {
  const hints = { KAFKA_UNREACHABLE: 'check --brokers' };
  const unreachable = () => new TransportError('cannot reach Kafka', { code: 'KAFKA_UNREACHABLE', hint: 'check the broker addresses' });

  it.each([
    ['the error\'s own code', unreachable(), 'tool: cannot reach Kafka (hint: check --brokers)'],
    ['a code along the cause chain', new AppError('QUOTES_NOT_SENT', 'stopped', { cause: unreachable(), hint: 'check the broker addresses' }), 'tool: stopped (hint: check --brokers)'],
    ['no mapped code: the error\'s own hint', new AppError('OTHER', 'failed', { hint: 'retry later' }), 'tool: failed (hint: retry later)'],
    ['no hint at all', new Error('plain'), 'tool: plain'],
  ])('formatError takes the app\'s hint for %s', (_case, error, line) => {
    expect(formatError('tool', error, false, hints)).toBe(line);
  });

  it('runProgram prints the hints the program was given', async () => {
    const lines: string[] = [];
    const tool = withErrorHints(
      program(() => {
        throw unreachable();
      }),
      hints,
    );
    expect(await runProgram(tool, [], { writeError: (line) => lines.push(line) })).toBe(1);
    expect(lines).toEqual(['tool: cannot reach Kafka (hint: check --brokers)']);
  });
});
