// ESLint for every workspace (flat config, typescript-eslint). `npm run lint` runs it after the
// per-workspace `tsc --noEmit` type-check. Syntax-level rules apply everywhere; the type-aware
// rules are the ones that catch what tsc does not and that need a type-checker pass to find:
// promises nobody awaits or catches, promises passed where a callback's result is ignored,
// `await` on non-promises, a switch missing a case (typescript-eslint.io/getting-started/typed-linting).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/lib/**', 'functions/deploy/**', 'coverage/**', '**/.tmp/**', 'firmware/build/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed names are deliberately unused (a callback's position, a destructured rest).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // RTDB forbids control characters in keys and paths, so the validators match \x00-\x1f on
      // purpose (firebase-js-sdk database/src/core/util/validation.ts does the same).
      'no-control-regex': 'off',
      // Walking a parent chain starts at `this` (`let v = this; v = v.up`), which this rule cannot
      // tell from the closure aliasing it guards against; arrow functions cover that case.
      '@typescript-eslint/no-this-alias': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['vitest.config.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    // Tests index parsed JSON, manifests and wire frames of arbitrary shape; a wrong shape fails
    // the assertion that reads it, so `any` there hides nothing a test would not show.
    files: ['**/*.test.ts', '**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
