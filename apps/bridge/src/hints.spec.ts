import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runProgram } from '@tickerflow/cli';
import { buildProgram } from './program';

const BRIDGE_ENV = ['BRIDGE_MAP', 'BRIDGE_MUTATION', 'BRIDGE_SCHEMA'];

beforeEach(() => {
  for (const name of BRIDGE_ENV) vi.stubEnv(name, undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function failure(args: string[]) {
  const lines: string[] = [];
  const program = buildProgram();
  program.configureOutput({ writeErr: (text) => lines.push(text.trimEnd()), writeOut: () => {} });
  const code = await runProgram(program, args, { writeError: (line) => lines.push(line) });
  return { code, lines };
}

describe('bridge error hints', () => {
  it.each([
    [
      ['run', '--map', 'symbol'],
      "bridge: argument map: expected <argument>=<record field>[.<nested field>...], comma-separated; got 'symbol' " +
        "(hint: fix --map / BRIDGE_MAP, e.g. --map 'symbol=ticker,last=quote.price')",
    ],
    [
      ['check', '--mutation', 'query { a }'],
      'bridge: the mutation must hold exactly one mutation operation (and no fragments) ' +
        '(hint: give --mutation a mutation field name, or a mutation document using $<quoteField> variables)',
    ],
  ])('names the flag to change for %j, before anything connects (exit 2)', async (args, line) => {
    expect(await failure(args)).toEqual({ code: 2, lines: [line] });
  });
});
