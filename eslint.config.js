import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * Hosts (electron/main, the CLI and its commands in electron/, the daemon, renderer/, shared/) reach the core only
 * through its public entries: index.ts, ports.ts and teamSurface.ts (and the admin contract in shared/). Any
 * other path into electron/core, relative from wherever the importing file is, is refused.
 */
const CORE_ENTRIES_ONLY = {
  regex: String.raw`^(?:\.\.?/)+(?:electron/)?core/(?!(?:index|ports|teamSurface)\.ts$)`,
  message: 'Import electron/core through index.ts, ports.ts or teamSurface.ts: its folders are not public.',
};

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'out', 'release', 'coverage', 'test-results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The core runs in three hosts (Electron main, the headless CLI, the tests): it must never need Electron.
    files: ['electron/core/**/*.ts', 'shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'electron/core and shared/ must run without Electron.' }],
          patterns: [
            { group: ['electron/*'], message: 'electron/core and shared/ must run without Electron.' },
            {
              group: ['**/main/**', '**/renderer/**', '**/test/**'],
              message: 'core may not depend on hosts or tests.',
            },
          ],
        },
      ],
    },
  },
  {
    // Outside the core, only its entries. Exempt: the core itself (its layers are checked by
    // test/unit/coreLayers.test.ts), the tests under test/ and the benchmarks under bench/, which exercise and
    // measure the core's parts one by one. Later blocks that set the rule for renderer/ and shared/ repeat this.
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    ignores: ['electron/core/**', 'test/**', 'bench/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [CORE_ENTRIES_ONLY] }] },
  },
  {
    // Type-aware checks where the process code lives: floating promises, rejections that are not errors,
    // assertions the types already prove, values that stringify as [object Object].
    files: ['electron/**/*.ts', 'shared/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // An abort's reason and a caught value are rejected as they came: they are errors or the caller's own.
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      // The core's objects are closures over their state, not classes with `this`: handing `options.onText` or
      // `clock.now` on is safe, and the rule would flag every such hand-over (20 of them).
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    // The dashboard runs in a sandboxed renderer and in a plain browser; shared/ is imported by every runtime.
    // Neither may need Electron or Node (the vite config is build tooling, not the page).
    files: ['renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    ignores: ['renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'renderer/ and shared/ must run without Electron.' },
            ...builtinModules.map((name) => ({
              name,
              message: 'renderer/ and shared/ must run without Node.',
            })),
          ],
          patterns: [
            { group: ['electron/*'], message: 'renderer/ and shared/ must run without Electron.' },
            { group: ['node:*'], message: 'renderer/ and shared/ must run without Node.' },
            CORE_ENTRIES_ONLY,
          ],
        },
      ],
    },
  },
  {
    // Later blocks replace the rule for shared/: repeat the core's limits there as well.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'shared/ must run without Electron.' },
            ...builtinModules.map((name) => ({ name, message: 'shared/ must run without Node.' })),
          ],
          patterns: [
            { group: ['electron/*'], message: 'shared/ must run without Electron.' },
            { group: ['node:*'], message: 'shared/ must run without Node.' },
            {
              group: ['**/main/**', '**/renderer/**', '**/test/**'],
              message: 'shared/ may not depend on hosts or tests.',
            },
            CORE_ENTRIES_ONLY,
          ],
        },
      ],
    },
  },
);
