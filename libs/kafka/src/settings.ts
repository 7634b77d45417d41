import { UsageError } from '@tickerflow/core';

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export interface SaslSettings {
  readonly mechanism: SaslMechanism;
  readonly username: string;
  /** Never logged: use describeKafkaSettings() to log settings. */
  readonly password: string;
}

/** How to reach a Kafka cluster; validated and frozen before the first connection. */
export interface KafkaSettings {
  /** Bootstrap brokers as host:port. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** TLS to the brokers (MSK, Confluent Cloud...). */
  readonly ssl: boolean;
  readonly sasl?: SaslSettings;
  /** Upper bound for reaching the cluster (connect, authenticate, first metadata), in ms. */
  readonly connectTimeoutMs: number;
}

/** Default --connect-timeout, in ms. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** `--brokers a:9092,b:9092` into a list; each entry must be host:port with a port from 1 to 65535. */
export function parseBrokers(name: string, raw: string): string[] {
  const entries = raw.split(',').map((entry) => entry.trim());
  if (raw.trim() === '' || entries.some((entry) => entry === '')) {
    throw new UsageError(`${name} must be a comma-separated list of host:port, got '${raw}'`);
  }
  for (const entry of entries) {
    const match = HOST_PORT.exec(entry);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65_535) {
      throw new UsageError(`${name} entry '${entry}' is not host:port (port 1-65535)`);
    }
  }
  return entries;
}

/** One of SASL_MECHANISMS, case-insensitive. */
export function parseSaslMechanism(name: string, raw: string): SaslMechanism {
  const value = raw.trim().toLowerCase();
  const found = SASL_MECHANISMS.find((mechanism) => mechanism === value);
  if (!found) throw new UsageError(`${name} must be one of ${SASL_MECHANISMS.join(', ')}, got '${raw}'`);
  return found;
}

/**
 * A duration such as `10` or `10s` (seconds), `1.5s`, or `500ms`, into milliseconds;
 * must be > 0 and at most one hour.
 */
export function parseDurationMs(name: string, raw: string): number {
  const match = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s)?$/.exec(raw.trim());
  const ms = match ? Math.round(Number(match[1]) * (match[2] === 'ms' ? 1 : 1_000)) : Number.NaN;
  if (!match || !(ms > 0) || ms > 3_600_000) {
    throw new UsageError(`${name} must be a duration > 0 such as 10, 2.5s or 500ms (at most 1 hour), got '${raw}'`);
  }
  return ms;
}

/** Settings safe to log: the password replaced, everything else as is. */
export function describeKafkaSettings(settings: KafkaSettings): Record<string, unknown> {
  return {
    brokers: settings.brokers,
    clientId: settings.clientId,
    ssl: settings.ssl,
    connectTimeoutMs: settings.connectTimeoutMs,
    ...(settings.sasl ? { sasl: { mechanism: settings.sasl.mechanism, username: settings.sasl.username } } : {}),
  };
}

/** Kafka's own rule for topic names: 1-249 of a-z A-Z 0-9 . _ - (and not '.' or '..'). */
export function parseTopic(name: string, raw: string): string {
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(raw) || raw === '.' || raw === '..') {
    throw new UsageError(`${name} must be 1-249 characters of a-z A-Z 0-9 . _ -, got '${raw}'`);
  }
  return raw;
}
