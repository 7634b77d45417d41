// `npm run docs:options`: rewrites every CLI page's option tables from the commands' --help,
// between the `<!-- options: NAME -->` and `<!-- /options -->` markers. Run it after changing a flag.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_PAGES, optionBlockPattern } from './cli-pages';
import { renderOptionTable } from './option-table';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

try {
  for (const { page, tables } of CLI_PAGES) await writeTables(page, tables);
  process.exit(0);
} catch (error) {
  process.stderr.write(`docs:options: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

async function writeTables(page: string, tables: (typeof CLI_PAGES)[number]['tables']): Promise<void> {
  const path = join(repoRoot, page);
  const before = readFileSync(path, 'utf8');
  let text = before;
  for (const table of tables) {
    const pattern = optionBlockPattern(table.name);
    if (!pattern.test(text)) throw new Error(`${page}: no '<!-- options: ${table.name} -->' ... '<!-- /options -->' block`);
    const rendered = renderOptionTable(await table.help());
    text = text.replace(pattern, (_match, open: string, _old: string, close: string) => `${open}${rendered}\n${close}`);
  }
  if (text !== before) writeFileSync(path, text);
  process.stderr.write(`${text === before ? 'unchanged' : 'updated  '} ${page}\n`);
}
