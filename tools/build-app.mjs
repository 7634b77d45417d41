#!/usr/bin/env node
// Bundles one app (run from its folder) into dist/main.js: workspace libs are inlined
// (they ship TypeScript sources), npm dependencies stay external and load from node_modules.
// The bins run the sources through tsx; this output is for images and for checking that the app bundles.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
const rootPackage = JSON.parse(readFileSync(join(root, '../../package.json'), 'utf8'));
const external = Object.keys({ ...rootPackage.dependencies, ...rootPackage.devDependencies });

await build({
  entryPoints: [join(root, 'src/main.ts')],
  outfile: join(root, 'dist/main.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external,
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
console.log(`built ${join(root, 'dist/main.js')}`);
