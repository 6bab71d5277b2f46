import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { META_CONTENT_SECURITY_POLICY } from './src/shared/content-security-policy';

const root = fileURLToPath(new URL('.', import.meta.url));
const fromRoot = (path: string): string => resolve(root, path);

/**
 * Puts the app's Content-Security-Policy into the built index.html too, before
 * any script. Build only: the dev server's inline React preamble would be
 * refused.
 */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'flowfence:content-security-policy-meta',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: META_CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
    ],
  };
}

/**
 * Builds the Electron shell into dist/ (out/ is where users write analysis
 * output). The renderer build is also a plain static site: relative base, the
 * engine worker as an ES module, DuckDB's .wasm emitted as assets, so the
 * end-to-end test serves dist/renderer to Chromium as is.
 */
export default defineConfig({
  main: {
    build: {
      outDir: fromRoot('dist/main'),
      lib: { entry: fromRoot('src/main/index.ts') },
    },
  },
  preload: {
    build: {
      outDir: fromRoot('dist/preload'),
      // A sandboxed preload script must be one CommonJS file: it may require
      // nothing but 'electron', so everything else is bundled in.
      lib: { entry: fromRoot('src/preload/index.ts'), formats: ['cjs'], fileName: () => 'index.cjs' },
    },
  },
  renderer: {
    root: fromRoot('src/renderer'),
    base: './',
    plugins: [react(), contentSecurityPolicyMeta()],
    resolve: {
      alias: [
        {
          // Not listed in the package's "exports", so it is aliased to the file
          // (the renderer tsconfig maps the same specifier for types).
          find: /^@duckdb\/duckdb-wasm\/dist\/duckdb-browser-blocking\.mjs$/,
          replacement: fromRoot('node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs'),
        },
      ],
    },
    // The engine builds Arrow columns from buffers (src/core/store/arrow-columns.ts):
    // Arrow's builders would need `new Function`, which the CSP refuses.
    worker: { format: 'es' },
    build: {
      outDir: fromRoot('dist/renderer'),
      emptyOutDir: true,
      rolldownOptions: {
        input: fromRoot('src/renderer/index.html'),
        // Also applies to the worker bundle (Vite routes its logs through here).
        onLog(level, log, handler) {
          // duckdb-wasm's Emscripten glue calls eval only to load extensions
          // and EM_JS code, neither of which this app uses (the CSP would refuse it).
          if (log.code === 'EVAL' && (log.id ?? '').includes('@duckdb/duckdb-wasm')) return;
          handler(level, log);
        },
      },
      // The engine worker carries DuckDB's bindings and Arrow (~2 MB); it loads from disk.
      chunkSizeWarningLimit: 4096,
    },
  },
});
