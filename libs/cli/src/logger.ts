import { pino, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export interface LoggerSettings {
  readonly name: string;
  /** pino level; default 'info'. */
  readonly level?: string;
  /** JSON lines even on a TTY (logs always go to stderr). */
  readonly json?: boolean;
  /** Paths to redact, in addition to the secrets every tool redacts. */
  readonly redact?: readonly string[];
  /** Destination stream; default stderr. Tests pass their own. */
  readonly destination?: NodeJS.WritableStream;
  /** Colours; default: what the destination terminal supports (Node's `hasColors()`). */
  readonly color?: boolean;
}

/** Secrets that must never reach a log line, wherever they sit in a logged object. */
export const SECRET_PATHS = [
  'apiKey',
  'password',
  'sasl.password',
  '*.apiKey',
  '*.password',
  '*.sasl.password',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'authorization',
  '*.authorization',
] as const;

/**
 * pino logger writing to stderr (stdout is for data): JSON when asked or when
 * stderr is not a terminal, readable lines on a terminal.
 */
export function createLogger(settings: LoggerSettings): Logger {
  const destination = settings.destination ?? process.stderr;
  const options: LoggerOptions = {
    name: settings.name,
    level: settings.level ?? 'info',
    redact: { paths: [...SECRET_PATHS, ...(settings.redact ?? [])], censor: '[redacted]' },
  };
  const isTerminal = (destination as { isTTY?: boolean }).isTTY === true;
  if (settings.json || !isTerminal) return pino(options, destination);
  // Node's own terminal check: honours NO_COLOR, NODE_DISABLE_COLORS, FORCE_COLOR and TERM=dumb.
  const colorize = settings.color ?? (destination as { hasColors?: () => boolean }).hasColors?.() === true;
  return pino(
    options,
    pretty({ destination, colorize, sync: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' }),
  );
}
