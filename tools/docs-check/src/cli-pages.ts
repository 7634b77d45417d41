import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

/** One option table in a CLI page: the command whose `--help` it mirrors. */
export interface OptionTableSource {
  /** As written in the page's marker, e.g. `bridge run`. */
  readonly name: string;
  /** The command's `--help` text, as a user sees it. */
  readonly help: () => Promise<string>;
}

export interface CliPage {
  /** Path from the repository root. */
  readonly page: string;
  readonly tables: readonly OptionTableSource[];
}

const helps = new Map<string, Promise<string>>();

/**
 * `--help` of a CLI, run as a user runs it: `script` (from the repository root; the apps' bins
 * run their sources through tsx) in a child process, not imported, so tools never depend on apps.
 */
function helpOf(script: readonly string[], ...args: string[]): () => Promise<string> {
  const argv = [...script, ...args, '--help'];
  return () => {
    const key = argv.join(' ');
    let help = helps.get(key);
    if (help === undefined) {
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
      delete env['FORCE_COLOR'];
      delete env['CLICOLOR_FORCE'];
      help = run(process.execPath, argv, { cwd: repoRoot, env }).then(({ stdout }) => stdout);
      helps.set(key, help);
    }
    return help;
  };
}

const BRIDGE = ['apps/bridge/bin/bridge.mjs'];

/** Every CLI with a reference page, and the commands whose option tables the page carries. */
export const CLI_PAGES: readonly CliPage[] = [
  { page: 'docs/cli/ticker-gen.md', tables: [{ name: 'ticker-gen', help: helpOf(['apps/producer/bin/ticker-gen.mjs']) }] },
  { page: 'docs/cli/appsync-local.md', tables: [{ name: 'appsync-local', help: helpOf(['apps/appsync-local/bin/appsync-local.mjs']) }] },
  {
    page: 'docs/cli/bridge.md',
    tables: [
      { name: 'bridge run', help: helpOf(BRIDGE, 'run') },
      { name: 'bridge check', help: helpOf(BRIDGE, 'check') },
    ],
  },
  { page: 'docs/cli/sub.md', tables: [{ name: 'sub', help: helpOf(['apps/subscriber/bin/sub.mjs']) }] },
  { page: 'docs/cli/demo.md', tables: [{ name: 'demo', help: helpOf(['--import', 'tsx', 'tools/demo/src/main.ts']) }] },
];

/** The generated block of one table: the lines between `<!-- options: NAME -->` and `<!-- /options -->`. */
export function optionBlockPattern(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(<!-- options: ${escaped} -->\\n)([\\s\\S]*?)(<!-- /options -->)`);
}

export const REGENERATE_HINT = 'run `npm run docs:options` to regenerate the option tables from --help';
