// Flat ESLint config, found by plain `npx eslint .`. The rules that matter
// most here are the layer boundaries: src/core is the engine and must run in
// the browser worker, the CLI and the tests alike; src/shared runs in the
// renderer as well as the shell; src/core/synth (synthetic data for tests and
// benchmarks) sits beside the engine, not under it; and nothing may open a
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
const DOM_GLOBAL_NAMES = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'alert'];
const NODE_GLOBAL_NAMES = ['process', 'Buffer', 'require', '__dirname', '__filename', 'global', 'setImmediate'];
const DOM_GLOBALS = DOM_GLOBAL_NAMES.map((name) => ({ name, message: 'src/core runs outside the DOM (worker, CLI, tests).' }));
const NODE_GLOBALS = NODE_GLOBAL_NAMES.map((name) => ({ name, message: 'src/core stays free of Node; Node adapters live in src/core/node.' }));
// src/shared is loaded by the renderer (a sandboxed page) and by the main
// process and preload script (Node) alike, so it may lean on neither host.
const SHARED_HOST_GLOBALS = [...NODE_GLOBAL_NAMES, ...DOM_GLOBAL_NAMES].map((name) => ({
  name,
  message: 'src/shared runs in the renderer and in the shell: no Node and no DOM.',
}));
// The engine's layering inside src/core: only src/core/synth may import the
// synthetic-data generators, and the engine never reaches up into src/shared
// (the app shell's contract). Patterns are gitignore-style, so a leading `**/`
// matches any number of `../`.
const SYNTH_PATTERN = {
  group: ['**/synth', '**/synth/*'],
  message: 'Only src/core/synth imports the synthetic-data generators (the seeded RNG is src/core/util/random).',
};
const SHARED_PATTERN = { group: ['**/shared', '**/shared/*'], message: "src/core does not depend on src/shared (the app shell's contract)." };

const unique = (names) => [...new Set(names)];
/** src/core outside its Node adapters: no Node, Electron, React or DOM, nothing above it, plus `internal` boundaries. */
const pureCoreImports = (internal) => ({
  paths: unique([...NODE_BUILTINS, ...NETWORK_MODULES, 'electron', 'react', 'react-dom', 'zustand', '@xyflow/react']).map((name) => ({
    name,
    message: 'src/core is pure: no Node, Electron, React or DOM (Node adapters go in src/core/node).',
  })),
  patterns: [
    { group: ['node:*'], message: 'src/core is pure: Node adapters go in src/core/node.' },
    { group: ['**/node/*', '**/cli/*', '**/renderer/*', '**/main/*', '**/preload/*', 'react-dom/*', 'zustand/*'], message: 'src/core depends on nothing above it.' },
    ...internal,
  ],
});
const restrict = (paths, patterns, message) => ({
  paths: unique(paths).map((name) => ({ name, message })),
  patterns: patterns.map((group) => ({ group: [group], message })),
});
const withPatterns = (restriction, patterns) => ({ ...restriction, patterns: [...restriction.patterns, ...patterns] });

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
      'no-restricted-imports': ['error', pureCoreImports([SYNTH_PATTERN, SHARED_PATTERN])],
      'no-restricted-globals': ['error', ...NETWORK_GLOBALS, ...DOM_GLOBALS, ...NODE_GLOBALS],
      'no-console': 'error',
    },
  },
  {
    // The generators are as pure as the engine; they alone may import each other.
    files: ['src/core/synth/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', pureCoreImports([SHARED_PATTERN])],
    },
  },
  {
    files: ['src/core/node/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        withPatterns(
          restrict([...NETWORK_MODULES, 'electron', 'react', 'react-dom', 'zustand', '@xyflow/react'], ['**/cli/*', '**/renderer/*', '**/main/*', '**/preload/*'], 'src/core/node adapts the engine to Node; nothing above it, nothing networked.'),
          [SYNTH_PATTERN, SHARED_PATTERN],
        ),
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
    // Linted as renderer code (it is bundled into the page), with nothing
    // above it: the shell and the page both build on it.
    files: ['src/shared/**/*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: unique([...NODE_BUILTINS, ...NETWORK_MODULES, 'electron', 'react', 'react-dom', 'zustand', '@xyflow/react']).map((name) => ({
            name,
            message: 'src/shared also runs in the renderer, a sandboxed web page: no Node, no Electron, no UI libraries.',
          })),
          patterns: [
            { group: ['node:*'], message: 'src/shared also runs in the renderer, a sandboxed web page.' },
            { group: ['**/core/node/*', '**/cli/*', '**/main/*', '**/preload/*', '**/renderer/*'], message: 'src/shared is the contract the shell and the page build on; it imports neither.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...NETWORK_GLOBALS, ...SHARED_HOST_GLOBALS],
    },
  },
  {
    files: ['src/main/**/*.ts', 'src/preload/**/*.ts'],
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
