// Lint, including the layer boundaries: shared is pure, the engine never imports electron, the
// renderer never imports Node or the main process.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'worker_threads',
  'http',
  'net',
  'url',
  'util',
  'stream',
  'buffer',
];

export default tseslint.config(
  {
    ignores: [
      'test/vendor/**',
      // Codex's types as the pinned codex generates them (npm run gen:codex-types).
      'src/shared/codex/**',
      '.cache/**',
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...nodeBuiltins, 'electron', 'react', 'react-dom', '**/main/**', '**/renderer/**'],
              message: 'src/shared is the protocol: no Node, no DOM, no other layer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/engine/**/*.ts', 'src/main/rpc/**/*.ts', 'src/main/host/**/*.ts', 'src/main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', '**/electron/**', '**/renderer/**', 'react', 'react-dom'],
              message: 'The engine and the Node hosts run without Electron.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // @tanstack/react-virtual returns fresh functions each render by design; the compiler check
      // only says it cannot memoise around it.
      'react-hooks/incompatible-library': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: [...nodeBuiltins, 'electron', '**/main/**', '**/preload/**'], message: 'The renderer talks only through the bridge.' },
          ],
        },
      ],
    },
  },
  {
    // The renderer's tests run in Node and drive its modules against the real engine.
    files: ['src/renderer/**/*.test.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['electron', '**/preload/**'], message: 'The renderer’s tests run in Node, without Electron.' }] },
      ],
    },
  },
);
