import { Option, type Command } from 'commander';
import { DEFAULT_BROKERS, UsageError } from '@tickerflow/core';
import { KafkaErrorCode } from './errors';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  SASL_MECHANISMS,
  parseBrokers,
  parseDurationMs,
  parseSaslMechanism,
  type KafkaSettings,
  type SaslMechanism,
} from './settings';

/** What addKafkaOptions' options parse into (commander's camel-cased keys). */
export interface KafkaOptionValues {
  readonly brokers: readonly string[];
  readonly ssl?: boolean;
  readonly saslMechanism?: SaslMechanism;
  readonly saslUsername?: string;
  readonly saslPassword?: string;
  /** In ms. */
  readonly connectTimeout: number;
}

/**
 * Declares the Kafka connection options shared by ticker-gen and bridge, each
 * with its environment variable: --brokers (KAFKA_BROKERS, default localhost:9092),
 * --ssl (KAFKA_SSL: set to anything to enable), --sasl-mechanism (KAFKA_SASL_MECHANISM),
 * --sasl-username (KAFKA_SASL_USERNAME), --sasl-password (KAFKA_SASL_PASSWORD),
 * --connect-timeout (KAFKA_CONNECT_TIMEOUT, default 10 s). Values are checked as
 * they are parsed; kafkaSettingsFromOptions checks how they combine.
 */
export function addKafkaOptions<T extends Command>(command: T): T {
  command
    .addOption(
      new Option('--brokers <list>', 'Kafka bootstrap brokers, comma-separated host:port')
        .env('KAFKA_BROKERS')
        .default([DEFAULT_BROKERS], DEFAULT_BROKERS)
        .argParser((raw: string) => parseBrokers('--brokers', raw)),
    )
    .addOption(new Option('--ssl', 'connect with TLS (managed Kafka such as MSK)').env('KAFKA_SSL'))
    .addOption(
      new Option('--sasl-mechanism <mechanism>', `SASL authentication: ${SASL_MECHANISMS.join(' | ')}`)
        .env('KAFKA_SASL_MECHANISM')
        .argParser((raw: string) => parseSaslMechanism('--sasl-mechanism', raw)),
    )
    .addOption(new Option('--sasl-username <name>', 'SASL user name').env('KAFKA_SASL_USERNAME'))
    .addOption(new Option('--sasl-password <secret>', 'SASL password (prefer the env var; never logged)').env('KAFKA_SASL_PASSWORD'))
    .addOption(
      new Option('--connect-timeout <duration>', 'give up reaching Kafka after this long (10, 2.5s, 500ms)')
        .env('KAFKA_CONNECT_TIMEOUT')
        .default(DEFAULT_CONNECT_TIMEOUT_MS, '10s')
        .argParser((raw: string) => parseDurationMs('--connect-timeout', raw)),
    );
  return command;
}

/**
 * Turns the parsed options into frozen KafkaSettings, rejecting combinations that
 * cannot work (a SASL mechanism without both credentials, credentials without a
 * mechanism) with a UsageError before anything connects.
 */
export function kafkaSettingsFromOptions(options: KafkaOptionValues, clientId: string): KafkaSettings {
  const { saslMechanism: mechanism, saslUsername: username, saslPassword: password } = options;
  let sasl: KafkaSettings['sasl'];
  if (mechanism) {
    const missing = [
      ...(username ? [] : ['--sasl-username (or KAFKA_SASL_USERNAME)']),
      ...(password ? [] : ['--sasl-password (or KAFKA_SASL_PASSWORD)']),
    ];
    if (missing.length > 0) {
      throw new UsageError(`--sasl-mechanism ${mechanism} needs ${missing.join(' and ')}`);
    }
    sasl = Object.freeze({ mechanism, username: username as string, password: password as string });
  } else if (username || password) {
    throw new UsageError(
      `${username ? '--sasl-username' : '--sasl-password'} needs --sasl-mechanism (${SASL_MECHANISMS.join(', ')})`,
    );
  }
  return Object.freeze({
    brokers: Object.freeze([...options.brokers]),
    clientId,
    ssl: options.ssl === true,
    ...(sasl ? { sasl } : {}),
    connectTimeoutMs: options.connectTimeout,
  });
}

/**
 * Hints naming the options addKafkaOptions declares, by the codes of this lib's errors (whose own
 * hints name no flag). An app that adds these options gives them to its program (withErrorHints).
 */
export const KAFKA_OPTION_HINTS: Readonly<Record<string, string>> = Object.freeze({
  [KafkaErrorCode.unreachable]: 'check --brokers, --ssl and the SASL options; for the local broker run tools/kafka start',
  [KafkaErrorCode.auth]: 'check --sasl-mechanism, --sasl-username, --sasl-password and the ACLs',
});
