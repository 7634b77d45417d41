/** The subset of pino's API the server logs through (libs take a logger, they do not create one). */
export interface ServerLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

const noop = (): void => undefined;

/** A logger that drops everything: the default for tests and embedding. */
export const silentLogger: ServerLogger = { debug: noop, info: noop, warn: noop, error: noop };
