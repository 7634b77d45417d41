import { AuthError, TransportError } from '@tickerflow/core';
import { runProgram } from '@tickerflow/cli';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
    [['--filter', 'ticker'], "sub: --filter 'ticker' must be name=value with a GraphQL argument name (e.g. --filter ticker=BTC)"],
    [['--filter', 'a-b=1'], "sub: --filter 'a-b=1' must be name=value with a GraphQL argument name (e.g. --filter ticker=BTC)"],
    [['--filter', 'id=1', '--filter', 'id=2'], "sub: --filter 'id' is given twice; AppSync filters on one value per argument"],
    [['--ticker-arg', 'sym-bol', '--ticker', 'BTC'], "sub: --ticker-arg 'sym-bol' is not a GraphQL argument name"],
    [['--ticker', 'BTC', '--filter', 'ticker=ETH'], "sub: --ticker and --filter ticker=… both set 'ticker'; use one"],
  ])('%j exits 2 with one line', async (args, message) => {
    const { code, errors } = await run(args);
    expect(code).toBe(2);
    expect(errors.join('')).toContain(message);
  });

  describe('environment variables', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
    });
    it.each([
      ['SUB_FILTER', 'price', "sub: --filter 'price' must be name=value"],
      ['SUB_TICKER_ARG', '9', "sub: --ticker-arg '9' is not a GraphQL argument name"],
      ['SUB_SUBSCRIPTION_FIELD', 'on-quote', "sub: --subscription-field 'on-quote' is not a GraphQL field name"],
      ['SUB_FIELDS', 'a,b-c', "sub: --fields: 'b-c' is not a GraphQL field name"],
      ['SUB_TICKER', 'b$d', "sub: --ticker 'b$d' is not a ticker"],
    ])('%s=%s is validated like its flag (exit 2)', async (name, value, message) => {
      vi.stubEnv(name, value);
      const { code, errors } = await run([]);
      expect(code).toBe(2);
      expect(errors.join('')).toContain(message);
    });
  });

  it("names each schema option's env var in --help", () => {
    const help = buildProgram().helpInformation().replace(/\s+/g, ' ');
    for (const env of ['SUB_TICKER', 'SUB_TICKER_ARG', 'SUB_FILTER', 'SUB_FIELDS', 'SUB_SUBSCRIPTION_FIELD']) expect(help).toContain(`env: ${env}`);
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
