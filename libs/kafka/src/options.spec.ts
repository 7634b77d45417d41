import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '@tickerflow/core';
import { addKafkaOptions, kafkaSettingsFromOptions, type KafkaOptionValues } from './options';

function parse(args: string[]) {
  const command = addKafkaOptions(new Command('tool'))
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  command.parse(args, { from: 'user' });
  return kafkaSettingsFromOptions(command.opts<KafkaOptionValues>(), 'tool');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('addKafkaOptions + kafkaSettingsFromOptions', () => {
  it('defaults to the local broker, no TLS, no SASL, 10 s', () => {
    for (const name of ['KAFKA_BROKERS', 'KAFKA_SSL', 'KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_CONNECT_TIMEOUT']) {
      vi.stubEnv(name, undefined);
    }
    expect(parse([])).toEqual({ brokers: ['localhost:9092'], clientId: 'tool', ssl: false, connectTimeoutMs: 10_000 });
  });

  it('reads flags into frozen settings', () => {
    const settings = parse([
      '--brokers', 'b-1:9096,b-2:9096', '--ssl', '--sasl-mechanism', 'scram-sha-512',
      '--sasl-username', 'alice', '--sasl-password', 'pw', '--connect-timeout', '2s',
    ]);
    expect(settings).toEqual({
      brokers: ['b-1:9096', 'b-2:9096'],
      clientId: 'tool',
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'pw' },
      connectTimeoutMs: 2_000,
    });
    expect(Object.isFrozen(settings)).toBe(true);
  });

  it('takes every connection setting and the secrets from the environment', () => {
    vi.stubEnv('KAFKA_BROKERS', 'k:9094');
    vi.stubEnv('KAFKA_SSL', '1');
    vi.stubEnv('KAFKA_SASL_MECHANISM', 'plain');
    vi.stubEnv('KAFKA_SASL_USERNAME', 'bob');
    vi.stubEnv('KAFKA_SASL_PASSWORD', 'secret');
    vi.stubEnv('KAFKA_CONNECT_TIMEOUT', '500ms');
    expect(parse([])).toEqual({
      brokers: ['k:9094'],
      clientId: 'tool',
      ssl: true,
      sasl: { mechanism: 'plain', username: 'bob', password: 'secret' },
      connectTimeoutMs: 500,
    });
  });

  it('lets a flag win over the environment', () => {
    vi.stubEnv('KAFKA_BROKERS', 'k:9094');
    expect(parse(['--brokers', 'x:1']).brokers).toEqual(['x:1']);
  });

  it.each([
    [['--brokers', 'nope'], "--brokers entry 'nope' is not host:port (port 1-65535)"],
    [['--sasl-mechanism', 'kerberos'], "--sasl-mechanism must be one of plain, scram-sha-256, scram-sha-512, got 'kerberos'"],
    [
      ['--sasl-mechanism', 'plain'],
      '--sasl-mechanism plain needs --sasl-username (or KAFKA_SASL_USERNAME) and --sasl-password (or KAFKA_SASL_PASSWORD)',
    ],
    [['--sasl-mechanism', 'scram-sha-256', '--sasl-username', 'a'], '--sasl-mechanism scram-sha-256 needs --sasl-password (or KAFKA_SASL_PASSWORD)'],
    [['--sasl-username', 'a'], '--sasl-username needs --sasl-mechanism (plain, scram-sha-256, scram-sha-512)'],
    [['--sasl-password', 'p'], '--sasl-password needs --sasl-mechanism (plain, scram-sha-256, scram-sha-512)'],
    [['--connect-timeout', '0'], "--connect-timeout must be a duration > 0 such as 10, 2.5s or 500ms (at most 1 hour), got '0'"],
  ])('rejects %j', (args, message) => {
    for (const name of ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD']) vi.stubEnv(name, undefined);
    expect(() => parse(args)).toThrow(new UsageError(message));
  });
});
