#!/usr/bin/env node
// Bundles the apps with esbuild into dist/<bin>/main.js, one file per app: workspace libs are inlined
// (they ship TypeScript sources), npm dependencies stay external and load from node_modules, so the
// bundles need the production dependencies and nothing else (no tsx, no sources).
//
//   node tools/build/src/build-app.mjs --all [--outdir <dir>]     every app (what `npm run build` does)
//   node ../../tools/build/src/build-app.mjs                      from an app's folder: that app (its nx `build`)
//
// The bins in apps/*/bin run the sources through tsx for development; the Docker image runs these bundles.
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The apps that have a bin: their folder, bin name and extra entry points (package `exports` other than "."). */
export function listApps(root = repoRoot) {
  const appsDir = join(root, 'apps');
  return readdirSync(appsDir)
    .filter((name) => existsSync(join(appsDir, name, 'package.json')))
    .map((name) => appFromFolder(join(appsDir, name)))
    .filter((app) => app !== undefined);
}

function appFromFolder(folder) {
  const pkg = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  const bin = Object.keys(pkg.bin ?? {})[0];
  if (!bin) return undefined;
  const entries = { main: join(folder, 'src/main.ts') };
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (subpath === '.' || typeof target !== 'string') continue;
    entries[subpath.replace(/^\.\//, '')] = join(folder, target);
  }
  return { folder, bin, entries };
}

/**
 * Bundles the given apps into `<outdir>/<bin>/<entry>.js` (with source maps).
 * Returns esbuild's metafile per app, so callers can see what each bundle imports at run time.
 */
export async function buildApps({ apps = listApps(), outdir = join(repoRoot, 'dist'), root = repoRoot } = {}) {
  const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const external = Object.keys({ ...rootPackage.dependencies, ...rootPackage.devDependencies });
  const results = [];
  for (const app of apps) {
    const result = await build({
      entryPoints: Object.entries(app.entries).map(([out, input]) => ({ in: input, out })),
      outdir: join(outdir, app.bin),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      sourcemap: true,
      external,
      plugins: [inlineSchemaReads],
      metafile: true,
      // Bundled CommonJS-style code (and createRequire users) need a `require` in ESM output.
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      logLevel: 'warning',
    });
    results.push({ app, outdir: join(outdir, app.bin), metafile: result.metafile });
  }
  return results;
}

/**
 * Sources read schema files at load time, `readFileSync(new URL('<path>.graphql', import.meta.url), 'utf8')`,
 * which works under tsx and vitest alike; in a bundle that URL points nowhere, so the plugin puts the
 * file's text in place of the read.
 */
const SCHEMA_READ = /readFileSync\(\s*new URL\(\s*'([^']+\.graphql)'\s*,\s*import\.meta\.url\s*\)\s*,\s*'utf8'\s*\)/g;
export const inlineSchemaReads = {
  name: 'inline-schema-reads',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('.graphql')) return undefined;
      const contents = source.replace(SCHEMA_READ, (_, path) => JSON.stringify(readFileSync(join(dirname(args.path), path), 'utf8')));
      return contents === source ? undefined : { contents, loader: 'ts' };
    });
  },
};

function parseArgs(argv) {
  const args = { all: false, outdir: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--all') args.all = true;
    else if (arg === '--outdir' && argv[i + 1]) args.outdir = resolve(argv[++i]);
    else throw new Error(`build-app: unknown argument '${arg}' (usage: build-app.mjs [--all] [--outdir <dir>])`);
  }
  return args;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const args = parseArgs(process.argv.slice(2));
    const here = args.all ? undefined : appFromFolder(process.cwd());
    if (!args.all && !here) throw new Error('build-app: run it from an app folder, or pass --all');
    const built = await buildApps({ apps: here ? [here] : listApps(), outdir: args.outdir });
    for (const { outdir } of built) console.log(`built ${outdir}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
