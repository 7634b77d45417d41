import { AuthError, TransportError } from '@tickerflow/core';
import { runProgram } from '@tickerflow/cli';
import { describe, expect, it } from 'vitest';
import { subExitCodeFor } from './exit-codes';
import { buildProgram } from './program';

async function run(args: string[]) {
  const errors: string[] = [];
  const program = buildProgram().configureOutput({ writeErr: (text) => errors.push(text), writeOut: () => {} });
  const code = await runProgram(program, args, { writeError: (line) => errors.push(line), exitCodeFor: subExitCodeFor });
  return { code, errors };
}

describe('sub program', () => {
  it.each([
    [['--ticker', 'b$d'], "sub: --ticker 'b$d' is not a ticker (1-16 of A-Z 0-9 . _ -)"],
    [['--variables', '{}'], 'sub: --variables needs --query'],
    [['--count', '0'], "--count must be a whole number >= 1, got '0'"],
    [['--auth-transport', 'cookie'], "option '--auth-transport <how>' argument 'cookie' is invalid"],
    [['--url', 'not a url'], "sub: --url must be an http:// or https:// GraphQL URL, got 'not a url'"],
  ])('%j exits 2 with one line', async (args, message) => {
    const { code, errors } = await run(args);
    expect(code).toBe(2);
    expect(errors.join('')).toContain(message);
  });

  it('documents exit codes and ends its help with examples', () => {
    const help = buildProgram().helpInformation();
    expect(help).toContain('3 credentials rejected, 4 cannot connect after retries');
    let after = '';
    const program = buildProgram().configureOutput({ writeOut: (text) => (after += text) });
    program.exitOverride();
    expect(() => program.parse(['--help'], { from: 'user' })).toThrow();
    expect(after.trimEnd().split('\n').at(-1)).toContain("sub --query 'subscription");
  });

  it.each([
    [new AuthError('no'), 3],
    [new TransportError('gone', { code: 'CONNECT_FAILED' }), 4],
    [new TransportError('blip'), undefined],
    [new Error('x'), undefined],
  ])('maps %s to exit %s', (error, code) => {
    expect(subExitCodeFor(error)).toBe(code);
  });
});
