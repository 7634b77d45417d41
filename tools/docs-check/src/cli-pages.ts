import type { Command } from 'commander';

/** One option table in a CLI page: the command whose `--help` it mirrors. */
export interface OptionTableSource {
  /** As written in the page's marker, e.g. `bridge run`. */
  readonly name: string;
  readonly load: () => Promise<Command>;
}

export interface CliPage {
  /** Path from the repository root. */
  readonly page: string;
  readonly tables: readonly OptionTableSource[];
}

function subcommand(program: Command, name: string): Command {
  const found = program.commands.find((command) => command.name() === name);
  if (!found) throw new Error(`${program.name()} has no subcommand '${name}'`);
  return found;
}

const bridge = async (): Promise<Command> => (await import('@tickerflow/bridge')).buildProgram();

/** Every CLI with a reference page, and the commands whose option tables the page carries. */
export const CLI_PAGES: readonly CliPage[] = [
  { page: 'docs/cli/ticker-gen.md', tables: [{ name: 'ticker-gen', load: async () => (await import('@tickerflow/producer')).buildProgram() }] },
  { page: 'docs/cli/appsync-local.md', tables: [{ name: 'appsync-local', load: async () => (await import('@tickerflow/appsync-local')).buildProgram() }] },
  {
    page: 'docs/cli/bridge.md',
    tables: [
      { name: 'bridge run', load: async () => subcommand(await bridge(), 'run') },
      { name: 'bridge check', load: async () => subcommand(await bridge(), 'check') },
    ],
  },
  { page: 'docs/cli/sub.md', tables: [{ name: 'sub', load: async () => (await import('@tickerflow/subscriber')).buildProgram() }] },
  { page: 'docs/cli/demo.md', tables: [{ name: 'demo', load: async () => (await import('@tickerflow/demo')).buildProgram() }] },
];

/** The generated block of one table: the lines between `<!-- options: NAME -->` and `<!-- /options -->`. */
export function optionBlockPattern(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(<!-- options: ${escaped} -->\\n)([\\s\\S]*?)(<!-- /options -->)`);
}

export const REGENERATE_HINT = 'run `npm run docs:options` to regenerate the option tables from --help';
