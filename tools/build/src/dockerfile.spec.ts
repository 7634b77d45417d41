import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listApps, repoRoot } from './build-app.mjs';
import { readJson } from './read-json';

// No Docker engine runs on the development machines, so the image recipe is checked as text:
// a build stage makes the bundles, the runtime stages get dist/ and production dependencies only.
interface Stage {
  readonly name: string;
  readonly from: string;
  readonly body: string;
}

function parseStages(dockerfile: string): Stage[] {
  const withoutComments = dockerfile.replace(/^\s*#.*$/gm, '');
  return withoutComments
    .split(/^FROM /m)
    .slice(1)
    .map((section) => {
      const [header = '', ...rest] = section.split('\n');
      const [from = '', , name = from] = header.trim().split(/\s+/);
      return { name, from, body: rest.join('\n') };
    });
}

const stages = parseStages(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));
const byName = new Map(stages.map((stage) => [stage.name, stage]));

/** The stage and every stage it builds on, up to the base image. */
function lineage(name: string): Stage[] {
  const chain: Stage[] = [];
  for (let stage = byName.get(name); stage; stage = byName.get(stage.from)) chain.push(stage);
  return chain;
}

const services = ['appsync-local', 'bridge'];

describe('Dockerfile: build, then run the bundles', () => {
  it('has a build stage that bundles the apps and drops the dev dependencies', () => {
    const build = byName.get('build');
    expect(build, 'a stage named build').toBeDefined();
    expect(build!.body).toMatch(/npm ci\b/);
    expect(build!.body).toMatch(/npm run build\b/);
    expect(build!.body).toMatch(/npm prune --omit=dev\b/);
  });

  it('keeps tsx, esbuild and the test tools out of the production dependencies', () => {
    const { dependencies } = readJson<{ dependencies: Record<string, string> }>(join(repoRoot, 'package.json'));
    for (const devOnly of ['tsx', 'esbuild', 'typescript', 'vitest', 'nx']) expect(Object.keys(dependencies)).not.toContain(devOnly);
  });

  it.each(services)('%s: builds on a runtime stage, not on the build stage', (service) => {
    const chain = lineage(service).map((stage) => stage.name);
    expect(chain).not.toContain('build');
    expect(chain.length, `${service} builds on a named runtime stage`).toBeGreaterThan(1);
  });

  it.each(services)('%s: copies only dist/, node_modules and package.json from the build stage', (service) => {
    const copies = lineage(service).flatMap((stage) => [...stage.body.matchAll(/^(COPY|ADD)\s+(.*)$/gm)].map((match) => match[2]!));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      expect(copy, 'copies from the build stage only').toMatch(/^--from=build\s/);
      const source = copy.split(/\s+/)[1];
      expect(['/app/dist', '/app/node_modules', '/app/package.json']).toContain(source);
    }
    expect(copies.some((copy) => copy.startsWith('--from=build /app/dist '))).toBe(true);
  });

  it.each(services)('%s: never mentions tsx or TypeScript sources at run time', (service) => {
    for (const stage of lineage(service)) {
      expect(stage.body).not.toMatch(/\btsx\b/);
      expect(stage.body).not.toMatch(/src\/|\.ts\b/);
    }
  });

  it.each(services)('%s: its ENTRYPOINT runs that app\'s bundle with node', (service) => {
    const entry = /^ENTRYPOINT\s+(\[.*\])$/m.exec(byName.get(service)!.body)?.[1];
    expect(entry, `${service} has an exec-form ENTRYPOINT`).toBeDefined();
    const [command, script] = JSON.parse(entry!) as string[];
    expect(command).toBe('node');
    expect(script).toBe(`dist/${service}/main.js`);
    expect(listApps().map((app) => app.bin)).toContain(service);
  });
});
