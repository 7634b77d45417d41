import type { Command, Option } from 'commander';

/**
 * The long options a command's `--help` lists, read from the help text itself (the lines of the
 * Options section that start with a flag; wrapped descriptions are indented further).
 */
export function longOptionsInHelp(command: Command): string[] {
  const lines = command.helpInformation().split('\n');
  const start = lines.indexOf('Options:');
  if (start < 0) return [];
  const end = lines.findIndex((line, index) => index > start && line !== '' && !line.startsWith(' '));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .flatMap((line) => /^ {2}(?:-[A-Za-z0-9], )?(--[a-z0-9][a-z0-9-]*)/.exec(line)?.[1] ?? []);
}

/** The long options named in the first column of a Markdown option table. */
export function longOptionsInTable(table: string): string[] {
  return table
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-+/.test(line))
    .slice(1)
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/(?<![\w-])(--[a-z0-9][a-z0-9-]*)/g)].map((match) => match[1]!));
}

/** A Markdown table of a command's options, as its `--help` shows them: flags, env, default, meaning. */
export function renderOptionTable(command: Command): string {
  const options = command.createHelp().visibleOptions(command);
  const rows = options.map((option) => [code(option.flags), option.envVar ? code(option.envVar) : '', defaultOf(option), meaningOf(option)]);
  return [
    '| Option | Env | Default | Meaning |',
    '| --- | --- | --- | --- |',
    ...rows.map((cells) => `| ${cells.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}

function defaultOf(option: Option): string {
  if (option.defaultValueDescription !== undefined) return prose(option.defaultValueDescription);
  const value: unknown = option.defaultValue;
  if (value === undefined || (option.negate && value === true) || value === false) return '';
  return code(Array.isArray(value) ? value.join(',') : String(value));
}

function meaningOf(option: Option): string {
  const choices = option.argChoices ? ` (one of ${option.argChoices.map(code).join(', ')})` : '';
  return `${prose(option.description)}${choices}`;
}

/** Text outside code spans: `<name>` must not be read as an HTML tag. */
function prose(text: string): string {
  return text.replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function code(text: string): string {
  return `\`${text}\``;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
