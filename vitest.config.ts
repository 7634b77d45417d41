import { defineConfig } from 'vitest/config';

const sources = ['apps', 'libs', 'tools', 'bench'].flatMap((root) => [`${root}/*/src/**/*.spec.ts`, `${root}/*/test/**/*.spec.ts`]);

export default defineConfig({
  test: {
    // The JSON copy lets .ci/run print a plain 'N passed, N failed' closing line.
    reporters: ['default', ['json', { outputFile: '.cache/vitest/results.json' }]],
    projects: [
      {
        test: {
          name: 'unit',
          include: sources,
          exclude: ['**/*.int.spec.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: sources.map((glob) => glob.replace('*.spec.ts', '*.int.spec.ts')),
          exclude: ['**/node_modules/**'],
          globalSetup: ['tools/kafka-runner/src/vitest-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
