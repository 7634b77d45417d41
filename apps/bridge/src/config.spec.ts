import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tickerflow/core';
import { describeConfig } from '@tickerflow/bridge-runtime';
import { addBridgeOptions, applyConfigFile, resolveConfig } from './config';

function resolve(argv: string[], env: Record<string, string> = {}, file?: Record<string, unknown>) {
  const saved = { ...process.env };
  for (const key of ['KAFKA_BROKERS', 'APPSYNC_URL', 'APPSYNC_API_KEY', 'BRIDGE_TOPIC', 'BRIDGE_GROUP', 'BRIDGE_CONFIG', 'BRIDGE_MUTATION', 'BRIDGE_METRICS_PORT']) delete process.env[key];
  Object.assign(process.env, env);
  try {
    const command = addBridgeOptions(new Command('run')).exitOverride().action(() => {});
    command.parse(argv, { from: 'user' });
    applyConfigFile(command, file === undefined ? undefined : 'bridge.json', () => JSON.stringify(file));
    return resolveConfig(command);
  } finally {
    process.env = saved;
  }
}

describe('bridge settings', () => {
  it('has the documented defaults', () => {
    const config = resolve([]);
    expect(config).toMatchObject({
      topic: 'multipartition',
      group: 'tickerflow-bridge',
      fromBeginning: false,
      url: 'http://127.0.0.1:4000/graphql',
      apiKey: 'da2-tickerflowlocaldevkey000000',
      mutation: 'tickerlocal',
      batchSize: 25,
      conflate: false,
      metricsPort: undefined,
    });
    expect(config.kafka.brokers).toEqual(['localhost:9092']);
  });

  it.each([
    ['flag beats env and file', ['--topic', 'from-flag'], { BRIDGE_TOPIC: 'from-env' }, { topic: 'from-file' }, 'from-flag'],
    ['env beats file', [], { BRIDGE_TOPIC: 'from-env' }, { topic: 'from-file' }, 'from-env'],
    ['file beats default', [], {}, { topic: 'from-file' }, 'from-file'],
    ['default last', [], {}, {}, 'multipartition'],
  ])('%s', (_name, argv, env, file, topic) => {
    expect(resolve(argv, env, file).topic).toBe(topic);
  });

  it('parses file values with the option parsers', () => {
    const config = resolve([], {}, { brokers: ['a:9092', 'b:9093'], batchSize: 100, conflate: true, shutdownTimeout: '2s', apiKey: 'da2-file' });
    expect(config.kafka.brokers).toEqual(['a:9092', 'b:9093']);
    expect(config).toMatchObject({ batchSize: 100, conflate: true, shutdownTimeoutMs: 2000, apiKey: 'da2-file' });
  });

  it('takes the AppSync settings from the environment', () => {
    const config = resolve([], { APPSYNC_URL: 'https://x.appsync-api.eu-west-1.amazonaws.com/graphql', APPSYNC_API_KEY: 'da2-env' });
    expect(config.url).toBe('https://x.appsync-api.eu-west-1.amazonaws.com/graphql');
    expect(config.apiKey).toBe('da2-env');
  });

  it.each([
    [{ batchSize: 0 }, "config file 'bridge.json': --batch-size must be a whole number >= 1, got '0'"],
    [{ batchSize: 5000 }, "config file 'bridge.json': --batch-size must be at most 1000, got '5000'"],
    [{ nope: 1 }, "config file 'bridge.json': unknown setting 'nope'"],
    [{ conflate: 'yes' }, "config file 'bridge.json': 'conflate' must be true or false"],
  ])('rejects a bad file %j', (file, message) => {
    expect(() => resolve([], {}, file)).toThrow(ConfigError);
    expect(() => resolve([], {}, file)).toThrow(message);
  });

  it('rejects a bad flag', () => {
    expect(() => resolve(['--batch-size', '0'])).toThrow("--batch-size must be a whole number >= 1, got '0'");
    expect(() => resolve(['--url', 'ftp://x'])).toThrow("--url must be an http(s) URL, got 'ftp://x'");
  });

  it('never describes secrets', () => {
    const config = resolve(['--sasl-mechanism', 'plain', '--sasl-username', 'u', '--sasl-password', 'hunter2', '--api-key', 'da2-secret']);
    const text = JSON.stringify(describeConfig(config));
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('da2-secret');
    expect(text).toContain('"username":"u"');
  });
});
