import type { LogEntry, logCreator } from 'kafkajs';
import type { Logger } from 'pino';

/** kafkajs's numeric levels (its `logLevel` enum, without loading kafkajs). */
export const KafkaLogLevel = { NOTHING: 0, ERROR: 1, WARN: 2, INFO: 4, DEBUG: 5 } as const;

/** The kafkajs level that lets through what a pino logger at `level` would print. */
export function kafkaLogLevelFor(pinoLevel: string): number {
  switch (pinoLevel) {
    case 'silent':
      return KafkaLogLevel.NOTHING;
    case 'fatal':
    case 'error':
      return KafkaLogLevel.ERROR;
    case 'warn':
      return KafkaLogLevel.WARN;
    case 'info':
      return KafkaLogLevel.INFO;
    default:
      return KafkaLogLevel.DEBUG;
  }
}

/** The pino method for a kafkajs level. */
export function pinoLevelFor(kafkaLevel: number): 'error' | 'warn' | 'info' | 'debug' {
  if (kafkaLevel <= KafkaLogLevel.ERROR) return 'error';
  if (kafkaLevel === KafkaLogLevel.WARN) return 'warn';
  if (kafkaLevel <= KafkaLogLevel.INFO) return 'info';
  return 'debug';
}

export interface LogCreatorOptions {
  /**
   * Log kafkajs's routine entries at debug: its info entries (group joins, consumer start
   * and stop, pauses) and the warning that the group is rebalancing, all expected in the
   * life of a long-running consumer (the caller reports rebalances its own way). Default false.
   */
  readonly infoAsDebug?: boolean;
}

/** kafkajs warnings that are routine for a consumer group member. */
const ROUTINE_WARNINGS = new Set(['The group is rebalancing, re-joining']);

/** What the adapter remembers for error messages: the last thing kafkajs complained about. */
export interface KafkaDiagnostics {
  lastProblem: string | undefined;
}

/**
 * A kafkajs logCreator that routes every entry into pino: one child logger per
 * kafkajs namespace (`{namespace}`; give `logger` a `component` binding such as
 * `kafkajs`), levels mapped one to one, kafkajs's extra fields kept as pino fields. It also keeps the last error or
 * warning so "could not connect" can say why.
 */
export function pinoLogCreator(logger: Logger, diagnostics?: KafkaDiagnostics, options: LogCreatorOptions = {}): logCreator {
  const children = new Map<string, Logger>();
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _name, ...extra } = log;
      if (diagnostics && level <= KafkaLogLevel.WARN) diagnostics.lastProblem = message;
      let child = children.get(namespace);
      if (!child) {
        child = logger.child({ namespace });
        children.set(namespace, child);
      }
      const routine = options.infoAsDebug === true && (level >= KafkaLogLevel.INFO || ROUTINE_WARNINGS.has(message));
      child[routine ? 'debug' : pinoLevelFor(level)](extra, message);
    };
}
