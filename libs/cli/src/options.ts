import { Option } from 'commander';

/** `--json`: NDJSON on stdout instead of a terminal view. */
export function jsonOption(): Option {
  return new Option('--json', 'machine-readable output: one JSON object per line on stdout');
}

/** `--verbose`: debug logs and stacks on errors. */
export function verboseOption(): Option {
  return new Option('--verbose', 'debug logging, and stack traces on errors');
}

/** Appends an Examples section to a command's help. */
export function withExamples<T extends { addHelpText(position: 'after', text: string): unknown }>(
  command: T,
  examples: readonly string[],
): T {
  command.addHelpText('after', `\nExamples:\n${examples.map((line) => `  ${line}`).join('\n')}\n`);
  return command;
}
