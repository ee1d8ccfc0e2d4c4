import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import boundaryConfigs from './eslint.boundaries.js'

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'drizzle/',
      'models/',
      'coverage/',
      'test-artifacts/',
      '.sportscan/',
      'src/web/dist/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  // The CLI prints its results, and scripts print their figures: stdout is their interface.
  { files: ['src/cli/**', 'scripts/**'], rules: { 'no-console': 'off' } },
  ...boundaryConfigs,
)
