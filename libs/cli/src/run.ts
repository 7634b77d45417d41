import { CommanderError, type Command } from 'commander';
import { ConfigError, UsageError, errorMessage } from '@tickerflow/core';
import { ExitCode } from './exit-codes';
import { errorHintsOf, hintFor, type ErrorHints } from './hints';

export interface RunOptions {
  /** Maps an error to an exit code; consulted before the defaults (usage 2, anything else 1). */
  readonly exitCodeFor?: (error: unknown) => number | undefined;
  /** Where the one-line error goes (stderr by default). */
  readonly writeError?: (line: string) => void;
  /** Print stacks too; otherwise the `--verbose` flag on argv decides. */
  readonly verbose?: boolean;
  /** Hints by error code; default: those the program was given with withErrorHints. */
  readonly hints?: ErrorHints;
}

/**
 * Runs a commander program and turns whatever it throws into ONE line on stderr
 * and an exit code; the stack only with --verbose. Returns the exit code instead
 * of exiting, so tests can drive programs in-process.
 */
export async function runProgram(
  program: Command,
  argv: readonly string[],
  options: RunOptions = {},
): Promise<number> {
  const writeError = options.writeError ?? ((line: string) => process.stderr.write(`${line}\n`));
  const verbose = options.verbose ?? argv.includes('--verbose');
  configureForTerminal(program);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed its own message (or the help text) to stderr/stdout.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
      if (error.code === 'commander.executeSubCommandAsync') return error.exitCode;
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    writeError(formatError(program.name(), error, verbose, options.hints ?? errorHintsOf(program)));
    return options.exitCodeFor?.(error) ?? defaultExitCode(error);
  }
}

/** Runs the program from `process.argv` and exits with its code: the body of every bin's main. */
export async function main(program: Command, options: RunOptions = {}): Promise<never> {
  const code = await runProgram(program, process.argv.slice(2), options);
  process.exit(code);
}

export function defaultExitCode(error: unknown): number {
  if (error instanceof UsageError || error instanceof ConfigError) return ExitCode.usage;
  return ExitCode.failure;
}

/** `name: message` plus the hint (the app's for the error's code, else the error's own), on one line; with verbose, the stack below it. */
export function formatError(programName: string, error: unknown, verbose = false, hints: ErrorHints = {}): string {
  let line = `${programName}: ${oneLine(errorMessage(error))}`;
  const hint = hintFor(error, hints);
  if (hint) line += ` (hint: ${oneLine(hint)})`;
  if (verbose && error instanceof Error && error.stack) line += `\n${error.stack}`;
  return line;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Commander throws instead of exiting, on every subcommand too, and errors suggest --help. */
function configureForTerminal(command: Command): void {
  command.exitOverride();
  command.showHelpAfterError('(run with --help for usage)');
  for (const sub of command.commands) configureForTerminal(sub);
}
