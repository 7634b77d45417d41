/**
 * One error hierarchy for every tickerflow package. Each error carries a stable
 * SCREAMING_SNAKE `code` (for logs, metrics and tests), whether retrying can help,
 * and an optional hint for the person at the terminal. Retry loops look only at
 * `retriable`; exit codes and messages are decided in one place per app.
 */
export interface AppErrorOptions {
  readonly cause?: unknown;
  readonly hint?: string;
  readonly retriable?: boolean;
}

export class AppError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.hint = options.hint;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retriable: this.retriable,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.cause === undefined ? {} : { cause: describeCause(this.cause) }),
    };
  }
}

/** Bad command-line usage: an unknown option, a value out of range. Exit code 2. */
export class UsageError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('USAGE', message, { ...options, retriable: false });
  }
}

/** A configuration that cannot work (unreadable config file, contradicting settings). Exit code 2. */
export class ConfigError extends AppError {
  constructor(message: string, options: AppErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'CONFIG', message, { ...options, retriable: false });
  }
}

/** Input that breaks a protocol or a data contract (a bad frame, a bad record). */
export class ProtocolError extends AppError {
  constructor(message: string, options: AppErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'PROTOCOL', message, { ...options, retriable: false });
  }
}

/** The network or a peer failed in a way that may pass: worth retrying. */
export class TransportError extends AppError {
  constructor(message: string, options: AppErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'TRANSPORT', message, { retriable: true, ...options });
  }
}

/** Credentials were refused. Never retried: the same key will be refused again. */
export class AuthError extends AppError {
  constructor(message: string, options: AppErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'AUTH', message, { ...options, retriable: false });
  }
}

/** A GraphQL endpoint answered with errors; keeps AppSync's `errorType`. */
export class GraphQLResponseError extends AppError {
  readonly errorType: string | undefined;
  readonly status: number | undefined;

  constructor(
    message: string,
    options: AppErrorOptions & { errorType?: string; status?: number; code?: string } = {},
  ) {
    super(options.code ?? 'GRAPHQL_RESPONSE', message, options);
    this.errorType = options.errorType;
    this.status = options.status;
  }
}

/** True for any error that says retrying may help. Unknown errors are not retried. */
export function isRetriable(error: unknown): boolean {
  return error instanceof AppError && error.retriable;
}

/** A one-line description of anything thrown, for logs and terminal messages. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** {@link errorMessage} led by a Node system error's code (`ECONNREFUSED connect ...`) when the message lacks it. */
export function errorMessageWithCode(error: unknown): string {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  const message = errorMessage(error);
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
}

function describeCause(cause: unknown): unknown {
  if (cause instanceof AppError) return cause.toJSON();
  if (cause instanceof Error) return { name: cause.name, message: cause.message };
  return cause;
}
