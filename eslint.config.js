import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const FRAMEWORKS = [
  'koa',
  '@koa/*',
  'jose',
  '@mikro-orm/*',
  'inversify',
  'zod',
  'better-auth',
  'better-auth/*',
  'pg',
  'better-sqlite3',
  'pino',
  'prom-client',
];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist-examples/',
      'dist-bench/',
      'node_modules/',
      'coverage/',
      'data/',
      'examples/nextjs/.next/',
      'examples/nextjs/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly' },
    },
  },
  {
    // The core speaks only its own ports: no framework, driver or library reaches it.
    files: ['src/domain/**/*.ts', 'src/application/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: FRAMEWORKS, message: 'The core must not depend on frameworks; add a port.' },
          ],
        },
      ],
    },
  },
);
