import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Every temporary folder of the run lives in one, removed when it ends (scratch-tmpdir.ts).
    globalSetup: ['test/scratch-tmpdir.ts'],
    pool: 'forks',
    // Each fork instantiates its own duckdb-wasm (~300 MB); two match the two cores CI has.
    maxWorkers: 2,
  },
});
