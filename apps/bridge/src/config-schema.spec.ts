import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '@tickerflow/core';
import { describeConfig, mutationOptions } from '@tickerflow/bridge-runtime';
import { addBridgeOptions, resolveConfig } from './config';

function resolve(argv: string[]) {
  const command = addBridgeOptions(new Command('run')).exitOverride().action(() => {});
  command.parse(argv, { from: 'user' });
  return resolveConfig(command);
}

const dir = mkdtempSync(join(tmpdir(), 'bridge-schema-'));
const schemaFile = join(dir, 'api.graphql');
writeFileSync(schemaFile, 'type Mutation { tickerlocal(id: ID!, ticker: String!, price: Float!, matchtime: String): Tickerdata! } type Tickerdata { id: ID! }');

describe('--schema and --map', () => {
  it('reads the schema file and the map into the config; logs only the file name', () => {
    const config = resolve(['--schema', schemaFile, '--map', 'ticker=symbol,price=quote.last']);
    expect(config.map).toEqual({ ticker: 'symbol', price: 'quote.last' });
    expect(config.schema?.sdl).toContain('type Mutation');
    expect(describeConfig(config)['schema']).toBe(schemaFile);
    expect(mutationOptions(config)).toEqual({
      spec: 'tickerlocal',
      map: { ticker: 'symbol', price: 'quote.last' },
      schema: { sdl: config.schema!.sdl, source: `schema file ${schemaFile}` },
    });
  });

  it('leaves both out by default (introspection, same-named fields)', () => {
    expect(mutationOptions(resolve([]))).toEqual({ spec: 'tickerlocal' });
  });

  it.each([
    [['--map', 'symbol'], ConfigError, "argument map: expected <argument>=<record field>[.<nested field>...], comma-separated; got 'symbol'"],
    [['--schema', join(dir, 'missing.graphql')], ConfigError, `cannot read --schema '${join(dir, 'missing.graphql')}'`],
    [['--mutation', 'mutation($ticker: String!) { a(t: $ticker) { t } }', '--map', 'a=b'], UsageError, '--map applies to a --mutation field name'],
    [['--mutation', 'mutation { a(id: $id) { t } }'], ConfigError, 'the mutation must declare the types of $id'],
  ])('refuses %j before anything connects', (argv, type, message) => {
    expect(() => resolve(argv)).toThrow(type);
    expect(() => resolve(argv)).toThrow(message);
  });

  it('refuses a schema file that does not parse, naming it', () => {
    const bad = join(dir, 'bad.graphql');
    writeFileSync(bad, 'type Mutation {');
    expect(() => resolve(['--schema', bad])).toThrow(`--schema ${bad}: Syntax Error`);
  });
});
