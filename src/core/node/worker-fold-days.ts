import type { Worker } from 'node:worker_threads';
import type { CompactObsRows } from '../ingest/obs-compact';
import type { StoredObsRows } from '../ingest/obs-stored';
import type { DayFoldedListener } from '../ingest/parse-pool';
import type { FromParseWorker, ToParseWorker } from './parse-worker-protocol';
import { startWorker } from './start-worker';

/**
 * Folds the spill's days (obs-spill.ts's foldDay) on `threads` parse
 * worker threads, one day per thread at a time. Each day's buffers are
 * transferred, not copied, so the calling thread lets go of a day's rows as
 * it hands it out; results come back in the days' order whatever thread
 * finished first.
 */
export async function foldDaysOnWorkers(
  days: readonly (readonly StoredObsRows[])[],
  threads: number,
  script: URL,
  signal?: AbortSignal,
  onDayFolded?: DayFoldedListener,
): Promise<CompactObsRows[]> {
  signal?.throwIfAborted();
  const results = new Array<CompactObsRows | undefined>(days.length);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      if (days.length === 0) {
        resolve();
        return;
      }
      const onAbort = (): void => reject(signal?.reason ?? new Error('cancelled'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const handOut = (worker: Worker): void => {
        if (next >= days.length) return;
        const day = next++;
        const chunks = days[day]!;
        const message: ToParseWorker = { type: 'fold-day', day, chunks };
        worker.postMessage(message, chunks.map((chunk) => chunk.buffer));
      };
      for (let thread = 0; thread < Math.min(threads, days.length); thread++) {
        const worker = startWorker(script);
        workers.push(worker);
        worker.on('message', (message: FromParseWorker) => {
          if (message.type !== 'folded-day') return;
          results[message.day] = message.rows;
          done++;
          onDayFolded?.(done, days.length);
          if (done === days.length) {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          } else handOut(worker);
        });
        worker.on('error', (error) => reject(error));
        worker.on('exit', (code) => {
          if (code !== 0 && done < days.length) reject(new Error(`a fold worker stopped with exit code ${code}`));
        });
        handOut(worker);
      }
    });
  } finally {
    for (const worker of workers) worker.terminate().catch(() => undefined);
  }
  return results.map((rows) => rows!);
}
