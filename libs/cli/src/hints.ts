import type { Command } from 'commander';
import { AppError } from '@tickerflow/core';

/**
 * An app's hints by error code. Libs throw errors with stable codes and hints that name no flag;
 * the app, which knows its own flags and environment variables, says what to change.
 */
export type ErrorHints = Readonly<Record<string, string>>;

const hintsByProgram = new WeakMap<Command, ErrorHints>();

/** Gives a program its hints by error code; runProgram prints them with the errors it turns into exits. */
export function withErrorHints<T extends Command>(program: T, hints: ErrorHints): T {
  hintsByProgram.set(program, { ...hintsByProgram.get(program), ...hints });
  return program;
}

/** The hints a program was given with {@link withErrorHints} (none: empty). */
export function errorHintsOf(program: Command): ErrorHints {
  return hintsByProgram.get(program) ?? {};
}

const MAX_CAUSES = 8;

/**
 * The hint for an error: the app's hint for the first code along the error's cause chain it has
 * one for (a wrapper such as QUOTES_NOT_SENT keeps the cause that says what to fix), else the
 * error's own hint.
 */
export function hintFor(error: unknown, hints: ErrorHints = {}): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current instanceof AppError && depth < MAX_CAUSES; depth++) {
    if (Object.hasOwn(hints, current.code)) return hints[current.code];
    current = current.cause;
  }
  return error instanceof AppError ? error.hint : undefined;
}
