import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'build/',
      'dist/',
      '.tools/',
      'scratch/',
      'tests/artifacts/',
      'bench/results/',
    ],
  },
  // @external decorators on function declarations: valid AssemblyScript, not parseable as TypeScript.
  { ignores: ['assembly/platform/wasi.ts', 'assembly/platform/wasi-sockets.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['host/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', '*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The tracking console runs in the browser (bundled by scripts/build-ui.mjs).
    files: ['ui/**/*.ts'],
    languageOptions: { globals: globals.browser },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['scripts/**/*.mjs', '*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // AssemblyScript: TypeScript syntax with Wasm types (i32, usize…), decorators and builtins that
    // plain TypeScript rules do not know about.
    files: ['assembly/**/*.ts', 'bench/wasmedge-server/floors/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': 'off',
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-undef': 'off',
      'prefer-const': 'error',
      'no-constant-condition': 'off',
      'no-fallthrough': 'error',
      '@typescript-eslint/no-inferrable-types': 'off',
      // u64 constants (hash seeds, SHA-256 and FNV primes) are exact in Wasm, unlike JS numbers.
      'no-loss-of-precision': 'off',
    },
  },
);
