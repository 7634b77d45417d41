// Lint rules for the whole workspace. The module-boundary rule is why ESLint is here:
// apps never import apps, tools never import apps, and pure libs never import I/O packages (see ../shared/STYLE.md).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const ioPackages = ['ws', 'undici', 'kafkajs', 'pino', 'pino-pretty', 'commander', 'prom-client'];

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
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:pure', onlyDependOnLibsWithTags: ['type:pure'], bannedExternalImports: ioPackages },
            { sourceTag: 'type:io', onlyDependOnLibsWithTags: ['type:pure', 'type:io'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:pure', 'type:io'] },
            // Tools (benchmarks, docs checks, the demo) use the runtimes in libs; an app is only ever spawned.
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:pure', 'type:io', 'type:tool'] },
          ],
        },
      ],
    },
  },
  {
    // Specs may reach into test-only helpers of other packages and use non-null assertions freely.
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
