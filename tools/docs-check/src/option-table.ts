/** One option as `--help` lists it. */
export interface HelpOption {
  /** As listed, e.g. `-h, --help` or `--topic <name>`. */
  readonly flags: string;
  /** The description, without commander's `(choices: …, default: …, env: …)` suffix. */
  readonly description: string;
  readonly choices?: readonly string[];
  /** As `--help` shows it: JSON for a default value, plain text for a default's description. */
  readonly default?: string;
  readonly env?: string;
}

/** The lines of the Options section (wrapped descriptions are indented further; the section ends at the next heading). */
function optionLines(help: string): string[] {
  const lines = help.split('\n');
  const start = lines.indexOf('Options:');
  if (start < 0) return [];
  const end = lines.findIndex((line, index) => index > start && line !== '' && !line.startsWith(' '));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

const EXTRA_INFO = /^(.*)\s\(((?:choices|default|preset|env): .*)\)$/s;
const EXTRA_KEY = /(?:^|, )(choices|default|preset|env): /g;

/** Splits commander's `(choices: "a", "b", default: x, env: Y)` suffix off a description. */
function withExtraInfo(flags: string, text: string): HelpOption {
  const match = EXTRA_INFO.exec(text);
  if (!match) return { flags, description: text };
  const [, description = '', extra = ''] = match;
  const keys = [...extra.matchAll(EXTRA_KEY)];
  const values: Record<string, string> = {};
  keys.forEach((key, index) => {
    const from = key.index + key[0].length;
    values[key[1]!] = extra.slice(from, keys[index + 1]?.index ?? extra.length);
  });
  return {
    flags,
    description,
    ...(values['choices'] === undefined ? {} : { choices: JSON.parse(`[${values['choices']}]`) as string[] }),
    ...(values['default'] === undefined ? {} : { default: values['default'] }),
    ...(values['env'] === undefined ? {} : { env: values['env'] }),
  };
}

/**
 * The options of a `--help` text, read from the text itself: a line starting with a flag begins
 * an option, its flags separated from the description by two or more spaces; further indented
 * lines continue the description (commander wraps it at the terminal's width).
 */
export function optionsInHelp(help: string): HelpOption[] {
  const items: { flags: string; text: string }[] = [];
  for (const line of optionLines(help)) {
    const item = /^ {2}(-\S.*?)(?: {2,}(.*))?$/.exec(line);
    if (item) items.push({ flags: item[1]!, text: item[2] ?? '' });
    else if (line.trim() !== '' && items.length > 0) {
      const last = items[items.length - 1]!;
      last.text = last.text === '' ? line.trim() : `${last.text} ${line.trim()}`;
    }
  }
  return items.map(({ flags, text }) => withExtraInfo(flags, text));
}

/** The long options a command's `--help` lists. */
export function longOptionsInHelp(help: string): string[] {
  return optionsInHelp(help).flatMap((option) => /(?:^|, )(--[a-z0-9][a-z0-9-]*)/.exec(option.flags)?.[1] ?? []);
}

/** The long options named in the first column of a Markdown option table. */
export function longOptionsInTable(table: string): string[] {
  return table
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-+/.test(line))
    .slice(1)
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/(?<![\w-])(--[a-z0-9][a-z0-9-]*)/g)].map((match) => match[1]!));
}

/** A Markdown table of the options a `--help` text lists: flags, env, default, meaning. */
export function renderOptionTable(help: string): string {
  const rows = optionsInHelp(help).map((option) => [code(option.flags), option.env ? code(option.env) : '', defaultOf(option), meaningOf(option)]);
  return [
    '| Option | Env | Default | Meaning |',
    '| --- | --- | --- | --- |',
    ...rows.map((cells) => `| ${cells.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}

/** A default value (commander shows it as JSON) in code; a default's description as text. */
function defaultOf(option: HelpOption): string {
  if (option.default === undefined) return '';
  let value: unknown;
  try {
    value = JSON.parse(option.default);
  } catch {
    return prose(option.default);
  }
  if (value === false || (value === true && /(?:^|\s)--no-/.test(option.flags))) return '';
  return code(Array.isArray(value) ? value.join(',') : String(value));
}

function meaningOf(option: HelpOption): string {
  const choices = option.choices ? ` (one of ${option.choices.map(code).join(', ')})` : '';
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
