import type { KafkaConfig, RetryOptions, SASLOptions, logCreator } from 'kafkajs';
import type { KafkaSettings } from './settings';
import { noDelaySocketFactory } from './socket-factory';

const INITIAL_RETRY_MS = 250;
const MAX_RETRIES = 10;

/**
 * kafkajs retries with exponential backoff (x2, 20 % jitter). The sum of the waits
 * fits in the connect timeout, so kafkajs's own retries do not stretch a failed
 * connection far past it; at least two retries remain for sends once connected.
 */
export function retryPolicyFor(connectTimeoutMs: number): RetryOptions {
  const maxRetryTime = Math.max(1_000, Math.min(30_000, Math.round(connectTimeoutMs / 2)));
  let retries = 0;
  let total = 0;
  while (retries < MAX_RETRIES) {
    const wait = Math.min(maxRetryTime, INITIAL_RETRY_MS * 2 ** retries);
    if (total + wait > connectTimeoutMs) break;
    total += wait;
    retries += 1;
  }
  return {
    initialRetryTime: INITIAL_RETRY_MS,
    maxRetryTime,
    multiplier: 2,
    factor: 0.2,
    retries: Math.max(2, retries),
  };
}

/** kafkajs's SASL options for our settings (undefined without SASL). */
export function saslOptionsFor(settings: KafkaSettings): SASLOptions | undefined {
  const sasl = settings.sasl;
  if (!sasl) return undefined;
  // One branch per mechanism keeps kafkajs's discriminated union happy.
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username: sasl.username, password: sasl.password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username: sasl.username, password: sasl.password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username: sasl.username, password: sasl.password };
  }
}

/**
 * The kafkajs client configuration for our settings: TLS with the system CAs when
 * `ssl`, SASL credentials, a socket connect timeout within the overall connect
 * timeout, authentication bounded by it, the retry policy above, and sockets with
 * TCP_NODELAY (see socket-factory.ts).
 */
export function toKafkaConfig(settings: KafkaSettings, logCreator?: logCreator, logLevel?: number): KafkaConfig {
  const sasl = saslOptionsFor(settings);
  return {
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    ssl: settings.ssl,
    ...(sasl ? { sasl } : {}),
    connectionTimeout: Math.min(settings.connectTimeoutMs, 5_000),
    authenticationTimeout: settings.connectTimeoutMs,
    retry: retryPolicyFor(settings.connectTimeoutMs),
    socketFactory: noDelaySocketFactory,
    ...(logCreator ? { logCreator } : {}),
    ...(logLevel === undefined ? {} : { logLevel }),
  };
}
