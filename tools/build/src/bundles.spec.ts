import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApps, listApps, repoRoot } from './build-app.mjs';
import { readJson } from './read-json';

const run = promisify(execFile);
const apps = listApps();
const rootPackage = readJson<{ dependencies: Record<string, string> }>(join(repoRoot, 'package.json'));

// The bundles go under the repository (git-ignored .cache) so their external imports resolve from
// the root node_modules, as they do from /app/node_modules in the image.
let outdir = '';
let built: Awaited<ReturnType<typeof buildApps>> = [];

beforeAll(async () => {
  mkdirSync(join(repoRoot, '.cache'), { recursive: true });
  outdir = mkdtempSync(join(repoRoot, '.cache', 'build-check-'));
  built = await buildApps({ outdir });
}, 60_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('npm run build: one bundle per app', () => {
  it('finds every app with a bin', () => {
    expect(apps.map((app) => app.bin).sort()).toEqual(['appsync-local', 'bridge', 'sub', 'ticker-gen']);
  });

  it.each(apps.map((app) => app.bin))('%s: the bundle runs --help with plain node', async (bin) => {
    const { stdout } = await run(process.execPath, [join(outdir, bin, 'main.js'), '--help'], { cwd: outdir, timeout: 30_000 });
    expect(stdout).toMatch(new RegExp(`^Usage: ${bin} `));
    expect(stdout).toContain('Examples:');
  }, 40_000);

  it("bundles the bridge's Lambda entry with its handler", async () => {
    const script = `const m = await import(${JSON.stringify(pathToFileURL(join(outdir, 'bridge', 'lambda.js')).href)}); console.log(typeof m.handler);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: outdir, timeout: 30_000 });
    expect(stdout.trim()).toBe('function');
  }, 40_000);

  it('inlines schema/tickerlocal.graphql: the appsync-local bundle reads no schema file', () => {
    const bundle = readFileSync(join(outdir, 'appsync-local', 'main.js'), 'utf8');
    expect(bundle).toContain('tickerlocal(ticker: String): Tickerdata @aws_subscribe(mutations: [');
    expect(bundle).not.toMatch(/\.graphql['"`], import\.meta\.url/);
  });

  it('bundles import only node built-ins and production dependencies (no tsx, no workspace sources)', () => {
    const allowed = new Set([...Object.keys(rootPackage.dependencies), ...builtinModules]);
    for (const { app, metafile } of built) {
      for (const output of Object.values(metafile.outputs)) {
        for (const imported of output.imports) {
          const name = imported.path.replace(/^node:/, '').split('/').slice(0, imported.path.startsWith('@') ? 2 : 1).join('/');
          expect(imported.external, `${app.bin} imports ${imported.path}`).toBe(true);
          expect(allowed.has(name), `${app.bin} imports ${imported.path}, not a production dependency`).toBe(true);
        }
      }
    }
    expect(Object.keys(rootPackage.dependencies)).not.toContain('tsx');
  });
});
