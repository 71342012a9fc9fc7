// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'coverage', 'src/**/*.gen.ts'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration in src/config.ts only.',
        },
      ],
    },
  },
  {
    files: ['src/config.ts', 'src/main.ts', 'test/**', 'vitest.config.ts', 'vitest.load.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  // Layers go one way: model <- scenarios <- server (docs/architecture.md). The pure core
  // (domain, state, render, scenarios, model) never touches Hono.
  {
    files: ['src/server/domain/**', 'src/server/state/**', 'src/server/render/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['hono', 'hono/*', '@hono/*'] }],
    },
  },
  {
    files: ['src/scenarios/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['hono', 'hono/*', '@hono/*'], message: 'The pure core never touches Hono.' },
            {
              group: ['**/server/**'],
              message: 'scenarios/ sits below server/: move what both need to model/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/model/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**', '**/scenarios/**', 'hono', 'hono/*', '@hono/*'],
              message: 'model/ is the lowest layer: it imports no other part of the mock.',
            },
          ],
        },
      ],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
)
