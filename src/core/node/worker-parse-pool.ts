import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileReport } from '../ingest/file-report';
import { inlineParsePool } from '../ingest/parse-file';
import type { ParseEvents, ParseJob, ParsePool, ParseSettings } from '../ingest/parse-pool';
import { nodeIngestHost } from './gunzip';
import type { FromParseWorker, ToParseWorker } from './parse-worker-protocol';

export interface WorkerPoolOptions {
  /**
   * The worker entry: the bundled parse-worker.mjs, or parse-worker.ts when
   * running from source (tests, benchmarks), which is then loaded through tsx.
   */
  readonly script: URL;
  /** Threads to start; one per core by default, and never more than there are files. */
  readonly threads?: number;
  /** Below this many bytes in all, starting threads costs more than it saves. */
  readonly minBytes?: number;
}

const DEFAULT_MIN_BYTES = 16 * 2 ** 20;

/**
 * Parses files on worker threads, one file per thread at a time, biggest
 * first so the threads finish together. Files without a location on disk,
 * and inputs too small to repay starting threads, are parsed in the
 * calling thread.
 */
export function workerParsePool(options: WorkerPoolOptions): ParsePool {
  return {
    async parseAll(jobs, settings, events, signal) {
      const onDisk = jobs.filter((job) => job.file.location !== undefined);
      const threads = Math.min(options.threads ?? availableParallelism(), onDisk.length);
      const bytes = jobs.reduce((sum, job) => sum + job.file.size, 0);
      if (threads < 2 || onDisk.length !== jobs.length || bytes < (options.minBytes ?? DEFAULT_MIN_BYTES)) {
        return inlineParsePool(nodeIngestHost).parseAll(jobs, settings, events, signal);
      }
      return runOnWorkers(jobs, settings, events, threads, options, signal);
    },
  };
}

async function runOnWorkers(
  jobs: readonly ParseJob[],
  settings: ParseSettings,
  events: ParseEvents,
  threads: number,
  options: WorkerPoolOptions,
  signal: AbortSignal | undefined,
): Promise<FileReport[]> {
  signal?.throwIfAborted();
  const queue = [...jobs].sort((a, b) => b.file.size - a.file.size);
  const reports = new Map<number, FileReport>();
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      const onAbort = (): void => reject(signal?.reason ?? new Error('cancelled'));
      signal?.addEventListener('abort', onAbort, { once: true });
      // Once every file is read: ask each thread for its hours, tell them which
      // hours are shared, and wait until each has handed its door over.
      let finishing = false;
      const hoursByThread = new Map<Worker, readonly number[]>();
      let flushing = 0;
      const next = (worker: Worker): void => {
        const job = queue.shift();
        if (job === undefined) {
          if (running === 0 && !finishing) {
            finishing = true;
            for (const each of workers) each.postMessage({ type: 'hours' } satisfies ToParseWorker);
          }
          return;
        }
        running++;
        const message: ToParseWorker = { type: 'parse', fileIndex: job.fileIndex, path: job.file.path, location: job.file.location!, foundInFolder: job.file.foundInFolder === true, settings };
        worker.postMessage(message);
      };
      for (let source = 0; source < threads; source++) {
        const worker = startWorker(options.script);
        workers.push(worker);
        worker.on('message', (message: FromParseWorker) => {
          try {
            switch (message.type) {
              case 'batch':
                events.onBatch(source, message.batch);
                break;
              case 'rejects':
                events.onRejects(message.fileIndex, message.lines, message.reasons);
                break;
              case 'progress':
                events.onProgress(message.fileIndex, message.bytes, message.rows);
                break;
              case 'done':
                reports.set(message.fileIndex, message.report);
                running--;
                next(worker);
                break;
              case 'hours':
                hoursByThread.set(worker, message.hours);
                if (hoursByThread.size === workers.length) {
                  const sharedHours = [...events.sharedHours([...hoursByThread.values()])];
                  flushing = workers.length;
                  for (const each of workers) each.postMessage({ type: 'flush', sharedHours } satisfies ToParseWorker);
                }
                break;
              case 'flushed':
                flushing--;
                if (flushing === 0) {
                  signal?.removeEventListener('abort', onAbort);
                  resolve();
                }
                break;
              case 'failed':
                reject(new Error(`parsing ${jobs.find((job) => job.fileIndex === message.fileIndex)?.file.path ?? message.fileIndex}: ${message.message}`));
                break;
            }
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        worker.on('error', (error) => reject(error));
        worker.on('exit', (code) => {
          if (code !== 0) reject(new Error(`a parse worker stopped with exit code ${code}`));
        });
        next(worker);
      }
    });
  } finally {
    // Not awaited: tearing down the threads' heaps takes a tenth of a second
    // or more, which the edge stage can use; nothing they hold is needed now.
    for (const worker of workers) worker.terminate().catch(() => undefined);
  }
  return jobs.map((job) => reports.get(job.fileIndex)!);
}

/** A worker on the given entry; TypeScript sources go through tsx's loader, registered inside the thread. */
function startWorker(script: URL): Worker {
  if (!script.pathname.endsWith('.ts')) return new Worker(script);
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script.href)}); })`;
  return new Worker(bootstrap, { eval: true });
}
