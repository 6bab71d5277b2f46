import { Worker } from 'node:worker_threads';

/** A worker on the given entry; TypeScript sources go through tsx's loader, registered inside the thread. */
export function startWorker(script: URL): Worker {
  if (!script.pathname.endsWith('.ts')) return new Worker(script);
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script.href)}); })`;
  return new Worker(bootstrap, { eval: true });
}
