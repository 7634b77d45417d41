import { describe, expect, it } from 'vitest';
import { retryPolicyFor, toKafkaConfig } from './config';
import type { KafkaSettings } from './settings';

const base: KafkaSettings = { brokers: ['localhost:9092'], clientId: 'ticker-gen', ssl: false, connectTimeoutMs: 10_000 };

function totalWait(timeoutMs: number): number {
  const policy = retryPolicyFor(timeoutMs);
  let total = 0;
  for (let i = 0; i < (policy.retries ?? 0); i++) {
    total += Math.min(policy.maxRetryTime ?? Infinity, (policy.initialRetryTime ?? 0) * 2 ** i);
  }
  return total;
}

describe('toKafkaConfig', () => {
  it('maps a plain local connection', () => {
    const config = toKafkaConfig(base);
    expect(config).toMatchObject({ clientId: 'ticker-gen', brokers: ['localhost:9092'], ssl: false, connectionTimeout: 5_000, authenticationTimeout: 10_000 });
    expect(config).not.toHaveProperty('sasl');
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('maps SSL + SASL %s', (mechanism) => {
    const config = toKafkaConfig({ ...base, ssl: true, sasl: { mechanism, username: 'u', password: 'p' } });
    expect(config.ssl).toBe(true);
    expect(config.sasl).toEqual({ mechanism, username: 'u', password: 'p' });
  });

  it('keeps the socket timeout within a short connect timeout', () => {
    expect(toKafkaConfig({ ...base, connectTimeoutMs: 800 }).connectionTimeout).toBe(800);
  });

  it('passes the log creator and level through', () => {
    const logCreator = () => () => {};
    expect(toKafkaConfig(base, logCreator, 1)).toMatchObject({ logCreator, logLevel: 1 });
  });
});

describe('retryPolicyFor', () => {
  it.each([500, 2_000, 10_000, 60_000])('fits kafkajs retries for %i ms into the timeout (with at least 2 retries)', (timeoutMs) => {
    const policy = retryPolicyFor(timeoutMs);
    expect(policy.retries).toBeGreaterThanOrEqual(2);
    if ((policy.retries ?? 0) > 2) expect(totalWait(timeoutMs)).toBeLessThanOrEqual(timeoutMs);
  });

  it('gives 5 retries for the default 10 s', () => {
    expect(retryPolicyFor(10_000)).toEqual({ initialRetryTime: 250, maxRetryTime: 5_000, multiplier: 2, factor: 0.2, retries: 5 });
  });
});
