import { describe, expect, it } from 'vitest';
import { anchorsOf, linksIn, repositoryPathsIn } from './markdown';

describe('markdown helpers', () => {
  it('finds links outside code, with their line', () => {
    const text = 'see [a](docs/a.md) and `[b](not/a/link.md)`\n```\n[c](in/fence.md)\n```\n![img](bench/x.svg)';
    expect(linksIn(text)).toEqual([
      { target: 'docs/a.md', line: 1 },
      { target: 'bench/x.svg', line: 5 },
    ]);
  });

  it.each([
    ['## The pipeline step by step', 'the-pipeline-step-by-step'],
    ['### `bridge check`: what each line proves', 'bridge-check-what-each-line-proves'],
    ['## sub — AppSync realtime subscriber', 'sub--appsync-realtime-subscriber'],
    ['#### Conflation (`--conflate`)', 'conflation---conflate'],
  ])('anchors %s as #%s', (heading, anchor) => {
    expect(anchorsOf(heading).has(anchor)).toBe(true);
  });

  it('numbers repeated headings as GitHub does', () => {
    expect([...anchorsOf('## Benchmark\n## Benchmark')]).toEqual(['benchmark', 'benchmark-1']);
  });

  it('names repository paths in inline code, not placeholders or fenced commands', () => {
    const text = '`apps/bridge/src/run.ts`, `bench/results/<date>/`, `Dockerfile`, `npx sub`\n```\ncat libs/x.ts\n```';
    expect(repositoryPathsIn(text).map((path) => path.target)).toEqual(['apps/bridge/src/run.ts', 'Dockerfile']);
  });
});
