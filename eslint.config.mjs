// Lint rules for the whole workspace. The module-boundary rule is why ESLint is here:
// apps never import apps, tools never import apps, and pure libs never import I/O packages (see ../shared/STYLE.md).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const ioPackages = ['ws', 'undici', 'kafkajs', 'pino', 'pino-pretty', 'commander', 'prom-client'];

/** Files that are tests or test helpers: the only ones that may depend on type:test projects. */
const testFiles = ['**/*.spec.ts', '**/test/**/*.ts', '**/test-helpers.ts', '**/*.test-helper.ts', 'libs/test-support/**/*.ts'];

/** Who may depend on whom, by project tag; with `tests`, every project may also use type:test helpers. */
function depConstraints({ tests }) {
  const plus = (tags) => (tests ? [...tags, 'type:test'] : tags);
  return [
    { sourceTag: 'type:pure', onlyDependOnLibsWithTags: plus(['type:pure']), bannedExternalImports: ioPackages },
    { sourceTag: 'type:io', onlyDependOnLibsWithTags: plus(['type:pure', 'type:io']) },
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: plus(['type:pure', 'type:io']) },
    { sourceTag: 'type:tool', onlyDependOnLibsWithTags: plus(['type:pure', 'type:io', 'type:tool']) },
    { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:pure', 'type:io', 'type:test'] },
  ];
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.cache/**', '.kafka/**', '.nx/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs'],
    plugins: { '@nx': nx },
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Tools (benchmarks, docs checks, the demo) use the runtimes in libs; an app is only ever spawned.
      '@nx/enforce-module-boundaries': ['error', { allow: [], depConstraints: depConstraints({ tests: false }) }],
    },
  },
  {
    // Specs may reach into test-only helpers of other packages and use non-null assertions freely.
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Only tests and their helpers may import @tickerflow/test-support (tag type:test).
    files: testFiles,
    rules: { '@nx/enforce-module-boundaries': ['error', { allow: [], depConstraints: depConstraints({ tests: true }) }] },
  },
);
