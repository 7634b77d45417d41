import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI_PAGES, REGENERATE_HINT, optionBlockPattern } from './cli-pages';
import { anchorsOf, isExternal, linksIn, repositoryPathsIn } from './markdown';
import { longOptionsInHelp, longOptionsInTable, renderOptionTable } from './option-table';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
// Each CLI's --help runs in a child process that loads its whole dependency tree: slow on a busy machine.
const LOAD_TIMEOUT_MS = 60_000;

function markdownFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

const pages = [join(repoRoot, 'README.md'), ...markdownFiles(join(repoRoot, 'docs'))];
const read = (path: string): string => readFileSync(path, 'utf8');
const name = (path: string): string => relative(repoRoot, path);

describe('README.md', () => {
  it('fits on a few screens (under 250 lines)', () => {
    expect(read(join(repoRoot, 'README.md')).split('\n').length).toBeLessThan(250);
  });
});

describe.each(CLI_PAGES.flatMap(({ page, tables }) => tables.map((table) => ({ page, table }))))(
  '$page: options of $table.name',
  ({ page, table }) => {
    const block = (): string => {
      const text = read(join(repoRoot, page));
      const found = optionBlockPattern(table.name).exec(text);
      expect(found, `${page} has no '<!-- options: ${table.name} -->' block; ${REGENERATE_HINT}`).not.toBeNull();
      return found![2]!;
    };

    it('lists exactly the long options --help lists', async () => {
      const inHelp = new Set(longOptionsInHelp(await table.help()));
      const inTable = new Set(longOptionsInTable(block()));
      const missing = [...inHelp].filter((option) => !inTable.has(option));
      const extra = [...inTable].filter((option) => !inHelp.has(option));
      expect({ missing, extra }, `${page} (${table.name}) differs from --help; ${REGENERATE_HINT}`).toEqual({ missing: [], extra: [] });
      expect(inHelp.size).toBeGreaterThan(1);
    }, LOAD_TIMEOUT_MS);

    it('shows the defaults, env variables and descriptions --help shows', async () => {
      expect(block(), `${page} (${table.name}) is out of date; ${REGENERATE_HINT}`).toBe(`${renderOptionTable(await table.help())}\n`);
    }, LOAD_TIMEOUT_MS);
  },
);

describe('every CLI has a reference page', () => {
  it.each(['ticker-gen', 'bridge', 'sub', 'appsync-local'])('docs/cli/%s.md', (bin) => {
    expect(CLI_PAGES.map((entry) => entry.page)).toContain(`docs/cli/${bin}.md`);
    expect(existsSync(join(repoRoot, 'docs/cli', `${bin}.md`))).toBe(true);
  });
});

describe.each(pages.map((path) => ({ path, page: name(path) })))('$page', ({ path }) => {
  const text = read(path);

  it('links only to files and headings that exist', () => {
    const broken: string[] = [];
    for (const { target, line } of linksIn(text)) {
      if (isExternal(target)) continue;
      const [file = '', anchor] = target.split('#');
      const resolved = file === '' ? path : resolve(dirname(path), decodeURIComponent(file));
      if (!existsSync(resolved)) {
        broken.push(`${name(path)}:${line} ${target} (no such file)`);
        continue;
      }
      if (anchor && resolved.endsWith('.md') && !anchorsOf(read(resolved)).has(anchor)) {
        broken.push(`${name(path)}:${line} ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('names only repository paths that exist', () => {
    const missing = repositoryPathsIn(text)
      .filter(({ target }) => !existsSync(join(repoRoot, target)))
      .map(({ target, line }) => `${name(path)}:${line} ${target}`);
    expect(missing).toEqual([]);
  });
});
