import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The end-to-end suite runs apart from `npm test` (test/vitest.config.ts
 * excludes test/e2e): it needs a build and a Chromium, and takes a minute.
 * Same runner, assertions and reporters as the unit tests, though, and the
 * app is built once in global setup.
 */
export default defineConfig({
  root,
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    // The temporary folders first, so that the build's own go there too (test/scratch-tmpdir.ts).
    globalSetup: ['test/scratch-tmpdir.ts', 'test/e2e/build-app.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // One browser and one DuckDB at a time: the suite is about the real app, not throughput.
    maxWorkers: 1,
    fileParallelism: false,
  },
});
