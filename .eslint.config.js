// Flat ESLint config (a dotfile to keep the repository's top level as
// specified; `npm run lint` passes it with --config). The rules that matter
// most here are the layer boundaries: src/core is the engine and must run in
// the browser worker, the CLI and the tests alike, and nothing may open a
// network connection.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'assert', 'async_hooks', 'buffer', 'child_process', 'cluster', 'console', 'crypto', 'dgram', 'diagnostics_channel', 'dns',
  'events', 'fs', 'fs/promises', 'http', 'http2', 'https', 'inspector', 'module', 'net', 'os', 'path', 'perf_hooks',
  'process', 'querystring', 'readline', 'repl', 'stream', 'string_decoder', 'timers', 'tls', 'tty', 'url', 'util',
  'v8', 'vm', 'worker_threads', 'zlib',
];
const NETWORK_MODULES = ['http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'node:http', 'node:https', 'node:http2', 'node:net', 'node:tls', 'node:dgram', 'node:dns', 'undici', 'node-fetch', 'axios', 'ws'];
const NETWORK_GLOBALS = ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource'].map((name) => ({
  name,
  message: 'Flowfence never opens a network connection.',
}));
const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'alert'].map((name) => ({
  name,
  message: 'src/core runs outside the DOM (worker, CLI, tests).',
}));
const NODE_GLOBALS = ['process', 'Buffer', 'require', '__dirname', '__filename', 'global', 'setImmediate'].map((name) => ({
  name,
  message: 'src/core stays free of Node; Node adapters live in src/core/node.',
}));

const unique = (names) => [...new Set(names)];
const restrict = (paths, patterns, message) => ({
  paths: unique(paths).map((name) => ({ name, message })),
  patterns: patterns.map((group) => ({ group: [group], message })),
});

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**', '.bench-data/**', '.scratch/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-restricted-imports': ['error', restrict(NETWORK_MODULES, [], 'Flowfence never opens a network connection.')],
      'no-restricted-globals': ['error', ...NETWORK_GLOBALS],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/node/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: unique([...NODE_BUILTINS, ...NETWORK_MODULES, 'electron', 'react', 'react-dom', 'zustand', '@xyflow/react']).map((name) => ({
            name,
            message: 'src/core is pure: no Node, Electron, React or DOM (Node adapters go in src/core/node).',
          })),
          patterns: [
            { group: ['node:*'], message: 'src/core is pure: Node adapters go in src/core/node.' },
            { group: ['**/node/*', '**/cli/*', '**/renderer/*', '**/main/*', '**/preload/*', 'react-dom/*', 'zustand/*'], message: 'src/core depends on nothing above it.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...NETWORK_GLOBALS, ...DOM_GLOBALS, ...NODE_GLOBALS],
      'no-console': 'error',
    },
  },
  {
    files: ['src/core/node/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        restrict([...NETWORK_MODULES, 'electron', 'react', 'react-dom', 'zustand', '@xyflow/react'], ['**/cli/*', '**/renderer/*', '**/main/*', '**/preload/*'], 'src/core/node adapts the engine to Node; nothing above it, nothing networked.'),
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'src/cli/**/*.mjs'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        restrict([...NETWORK_MODULES, 'electron', 'react', 'react-dom', 'zustand', '@xyflow/react'], ['**/renderer/*', '**/main/*', '**/preload/*'], 'The CLI runs the engine headless.'),
      ],
    },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: unique([...NODE_BUILTINS, ...NETWORK_MODULES, 'electron']).map((name) => ({ name, message: 'The renderer is a sandboxed web page: it reaches the shell only through the preload bridge.' })),
          patterns: [
            { group: ['node:*'], message: 'The renderer is a sandboxed web page.' },
            { group: ['**/core/node/*', '**/cli/*', '**/main/*'], message: 'The renderer uses the pure engine only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/**/*.ts', 'src/preload/**/*.ts', 'src/shared/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        restrict([...NETWORK_MODULES, 'react', 'react-dom', 'zustand', '@xyflow/react'], ['**/renderer/*', '**/cli/*'], 'The Electron shell stays thin and never opens a network connection.'),
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'test/**/*.tsx', 'test/**/*.cjs', '*.config.ts', 'electron.vite.config.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // The offline test's preload must reference the very APIs it traps.
      'no-restricted-imports': 'off',
      'no-restricted-globals': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
