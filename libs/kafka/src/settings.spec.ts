import { describe, expect, it } from 'vitest';
import { UsageError } from '@tickerflow/core';
import { describeKafkaSettings, parseBrokers, parseDurationMs, parseSaslMechanism, parseTopic } from './settings';

describe('parseBrokers', () => {
  it.each([
    ['localhost:9092', ['localhost:9092']],
    [' b-1.msk.example.com:9096 , b-2.msk.example.com:9096', ['b-1.msk.example.com:9096', 'b-2.msk.example.com:9096']],
    ['127.0.0.1:1', ['127.0.0.1:1']],
    ['[::1]:9092', ['[::1]:9092']],
  ])('accepts %j', (raw, expected) => {
    expect(parseBrokers('--brokers', raw)).toEqual(expected);
  });

  it.each([
    ['', "--brokers must be a comma-separated list of host:port, got ''"],
    ['a:1,,b:2', "--brokers must be a comma-separated list of host:port, got 'a:1,,b:2'"],
    ['localhost', "--brokers entry 'localhost' is not host:port (port 1-65535)"],
    ['localhost:0', "--brokers entry 'localhost:0' is not host:port (port 1-65535)"],
    ['localhost:70000', "--brokers entry 'localhost:70000' is not host:port (port 1-65535)"],
    ['kafka://x:9092', "--brokers entry 'kafka://x:9092' is not host:port (port 1-65535)"],
  ])('rejects %j', (raw, message) => {
    expect(() => parseBrokers('--brokers', raw)).toThrow(new UsageError(message));
  });
});

describe('parseSaslMechanism', () => {
  it.each([
    ['plain', 'plain'],
    ['SCRAM-SHA-256', 'scram-sha-256'],
    ['scram-sha-512', 'scram-sha-512'],
  ])('accepts %j', (raw, expected) => {
    expect(parseSaslMechanism('--sasl-mechanism', raw)).toBe(expected);
  });

  it('rejects anything else, listing the choices', () => {
    expect(() => parseSaslMechanism('--sasl-mechanism', 'gssapi')).toThrow(
      new UsageError("--sasl-mechanism must be one of plain, scram-sha-256, scram-sha-512, got 'gssapi'"),
    );
  });
});

describe('parseDurationMs', () => {
  it.each([
    ['10', 10_000],
    ['2.5', 2_500],
    ['2.5s', 2_500],
    ['500ms', 500],
    ['.5', 500],
  ])('%j is %i ms', (raw, ms) => {
    expect(parseDurationMs('--connect-timeout', raw)).toBe(ms);
  });

  it.each(['0', '-1', 'soon', '10m', '', '0.0001', '7200'])('rejects %j', (raw) => {
    expect(() => parseDurationMs('--connect-timeout', raw)).toThrow(
      new UsageError(
        `--connect-timeout must be a duration > 0 such as 10, 2.5s or 500ms (at most 1 hour), got '${raw}'`,
      ),
    );
  });
});

describe('parseTopic', () => {
  it.each(['multipartition', 'quotes.v1', 'a_b-C'])('accepts %j', (raw) => {
    expect(parseTopic('--topic', raw)).toBe(raw);
  });

  it.each(['', 'a b', 'x/y', '.', '..', 'x'.repeat(250)])('rejects %j', (raw) => {
    expect(() => parseTopic('--topic', raw)).toThrow(UsageError);
  });
});

describe('describeKafkaSettings', () => {
  it('leaves the password out', () => {
    const described = describeKafkaSettings({
      brokers: ['b:9096'],
      clientId: 'x',
      ssl: true,
      connectTimeoutMs: 10_000,
      sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 's3cret' },
    });
    expect(JSON.stringify(described)).not.toContain('s3cret');
    expect(described).toEqual({
      brokers: ['b:9096'],
      clientId: 'x',
      ssl: true,
      connectTimeoutMs: 10_000,
      sasl: { mechanism: 'scram-sha-512', username: 'alice' },
    });
  });
});
