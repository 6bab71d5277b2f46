/** The parse worker next to the bundled CLI, or its TypeScript source when running from source. */
export function parseWorkerScript(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('../core/node/parse-worker.ts', import.meta.url)
    : new URL('./parse-worker.mjs', import.meta.url);
}
