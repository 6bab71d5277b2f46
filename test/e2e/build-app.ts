import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const RENDERER_BUILD = join(root, 'dist', 'renderer');

/**
 * Vitest global setup: builds the app (main, preload, renderer) exactly as
 * `npm run build` does, so the test runs what ships. FLOWFENCE_E2E_REUSE_BUILD=1
 * reuses an existing dist/renderer when iterating on the test itself.
 */
export default async function buildApp(): Promise<void> {
  if (process.env.FLOWFENCE_E2E_REUSE_BUILD === '1' && existsSync(join(RENDERER_BUILD, 'index.html'))) return;
  const started = Date.now();
  await promisify(execFile)(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  console.log(`[e2e] built the app in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
