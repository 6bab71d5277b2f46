import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { FileReport } from '../ingest/file-report';
import { DEFAULT_PIECE_BYTES } from '../ingest/ingest';
import { foldDaysHere } from '../ingest/obs-spill';
import { inlineParsePool, readInPieces } from '../ingest/parse-file';
import type { ParseEvents, ParseJob, ParsePool, ParseSettings } from '../ingest/parse-pool';
import type { PieceJob, PieceResult } from '../ingest/split/parse-piece';
import { nodeIngestHost } from './gunzip';
import type { FromParseWorker, ToParseWorker } from './parse-worker-protocol';
import { startWorker } from './start-worker';
import { foldDaysOnWorkers } from './worker-fold-days';

export interface WorkerPoolOptions {
  /**
   * The worker entry: the bundled parse-worker.mjs, or parse-worker.ts when
   * running from source (tests, benchmarks), which is then loaded through tsx.
   */
  readonly script: URL;
  /** Threads to start; one per core by default, and never more than there is work for. */
  readonly threads?: number;
  /** Below this many bytes in all, starting threads costs more than it saves. */
  readonly minBytes?: number;
  /** Below this many spilled rows, the days are folded in the calling thread (see DEFAULT_MIN_FOLD_ROWS). */
  readonly minFoldRows?: number;
}

const DEFAULT_MIN_BYTES = 16 * 2 ** 20;

/**
 * Starting a bundled parse thread takes 0.13–0.17 s (measured), in which one
 * thread folds about 170,000 spilled rows (1.3 million a second on the
 * scale benchmark): around half a million rows, sharing the fold between
 * two threads saves about what starting them costs, and below that it
 * saves less.
 */
const DEFAULT_MIN_FOLD_ROWS = 500_000;

/**
 * Parses files on worker threads, biggest first so the threads finish
 * together. A file larger than an equal share of all the bytes per thread
 * would, read whole, keep one thread busy after the others ran out of work:
 * it is read in pieces instead (split/), decompressed here in one stream and
 * parsed on every thread. Smaller files, shared out whole, already keep
 * every thread busy, and cutting them would only add the copying of their
 * bytes through this thread. Files without a location on disk, and inputs
 * too small to repay starting threads, are parsed in the calling thread.
 */
export function workerParsePool(options: WorkerPoolOptions): ParsePool {
  return {
    async parseAll(jobs, settings, events, signal) {
      const onDisk = jobs.filter((job) => job.file.location !== undefined);
      const bytes = jobs.reduce((sum, job) => sum + job.file.size, 0);
      const cores = options.threads ?? availableParallelism();
      const split = splitJobs(jobs, settings, cores, bytes);
      const threads = Math.min(cores, split.size > 0 ? cores : onDisk.length);
      if (threads < 2 || onDisk.length !== jobs.length || bytes < (options.minBytes ?? DEFAULT_MIN_BYTES)) {
        return inlineParsePool(nodeIngestHost).parseAll(jobs, settings, events, signal);
      }
      return runOnWorkers(jobs, split, settings, events, threads, options, signal);
    },
    async foldDays(days, signal, onDayFolded) {
      const rows = days.reduce((sum, day) => sum + day.reduce((daySum, chunk) => daySum + chunk.length, 0), 0);
      const threads = Math.min(options.threads ?? availableParallelism(), days.length);
      if (threads < 2 || rows < (options.minFoldRows ?? DEFAULT_MIN_FOLD_ROWS)) return foldDaysHere(days, signal, onDayFolded);
      return foldDaysOnWorkers(days, threads, options.script, signal, onDayFolded);
    },
  };
}

/** The files to read in pieces: larger than a thread's equal share of all the bytes (see workerParsePool). */
function splitJobs(jobs: readonly ParseJob[], settings: ParseSettings, threads: number, bytes: number): Set<number> {
  const split = new Set<number>();
  if (settings.split?.enabled === false || threads < 2) return split;
  const whole = new Set(settings.split?.wholeFiles ?? []);
  for (const job of jobs) {
    if (job.file.location !== undefined && !whole.has(job.fileIndex) && job.file.size * threads > bytes) split.add(job.fileIndex);
  }
  return split;
}

interface QueuedPiece {
  readonly job: PieceJob;
  /** The piece's file on disk. */
  readonly location: string;
  resolve(result: PieceResult): void;
  reject(error: Error): void;
}

async function runOnWorkers(
  jobs: readonly ParseJob[],
  split: ReadonlySet<number>,
  settings: ParseSettings,
  events: ParseEvents,
  threads: number,
  options: WorkerPoolOptions,
  signal: AbortSignal | undefined,
): Promise<FileReport[]> {
  signal?.throwIfAborted();
  const bySize = [...jobs].sort((a, b) => b.file.size - a.file.size);
  const wholeQueue = bySize.filter((job) => !split.has(job.fileIndex));
  const splitQueue = bySize.filter((job) => split.has(job.fileIndex));
  const pieceQueue: QueuedPiece[] = [];
  const pieceOf = new Map<Worker, QueuedPiece>();
  const reports = new Map<number, FileReport>();
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const pieceBytes = settings.split?.pieceBytes ?? DEFAULT_PIECE_BYTES;
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      let splitting = splitQueue.length > 0;
      const onAbort = (): void => reject(signal?.reason ?? new Error('cancelled'));
      signal?.addEventListener('abort', onAbort, { once: true });
      // Once every file is read: ask each thread for its hours, tell them which
      // hours are shared, and wait until each has handed its door over.
      let finishing = false;
      const hoursByThread = new Map<Worker, readonly number[]>();
      let flushing = 0;
      const dispatch = (): void => {
        while (idle.length > 0) {
          // Pieces first: a split file's pieces are bounded in number, and waiting ones hold memory.
          const piece = pieceQueue.shift();
          if (piece !== undefined) {
            const worker = idle.shift()!;
            pieceOf.set(worker, piece);
            running++;
            const { job } = piece;
            const content = job.piece.content;
            const message: ToParseWorker = {
              type: 'piece',
              fileIndex: job.fileIndex,
              format: job.format.id,
              piece: job.piece,
              options: job.options,
              limits: job.limits,
              nowMs: job.nowMs,
              last: job.last,
              endVersion: job.endVersion,
              doorCapacity: settings.doorCapacity,
              ...(settings.doorCapacityOnceFull === undefined ? {} : { doorCapacityOnceFull: settings.doorCapacityOnceFull }),
              location: piece.location,
            };
            worker.postMessage(message, content.kind === 'lines' ? [content.bytes.buffer as ArrayBuffer] : []);
            continue;
          }
          const job = wholeQueue.shift();
          if (job === undefined) break;
          const worker = idle.shift()!;
          running++;
          const message: ToParseWorker = { type: 'parse', fileIndex: job.fileIndex, path: job.file.path, location: job.file.location!, foundInFolder: job.file.foundInFolder === true, settings };
          worker.postMessage(message);
        }
        if (running === 0 && !splitting && wholeQueue.length === 0 && !finishing) {
          finishing = true;
          for (const each of workers) each.postMessage({ type: 'hours' } satisfies ToParseWorker);
        }
      };
      const runPiece = (job: PieceJob, location: string): Promise<PieceResult> =>
        new Promise<PieceResult>((resolvePiece, rejectPiece) => {
          pieceQueue.push({ job, location, resolve: resolvePiece, reject: rejectPiece });
          dispatch();
        });
      // Split files one after another, each read here in one stream while its pieces are parsed everywhere.
      const readSplitFiles = async (): Promise<void> => {
        for (const job of splitQueue) {
          const report = await readInPieces(job, pieceBytes, nodeIngestHost, settings, events, (piece) => runPiece(piece, job.file.location!), 2 * threads, signal);
          if (report === null) wholeQueue.push(job);
          else reports.set(job.fileIndex, report);
        }
        splitting = false;
        dispatch();
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
                idle.push(worker);
                dispatch();
                break;
              case 'piece-done': {
                const piece = pieceOf.get(worker)!;
                pieceOf.delete(worker);
                running--;
                idle.push(worker);
                piece.resolve(message.result);
                dispatch();
                break;
              }
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
        idle.push(worker);
      }
      readSplitFiles().catch((error: unknown) => reject(error instanceof Error ? error : new Error(String(error))));
      dispatch();
    });
  } finally {
    // Pieces still waiting belong to a run that failed or was cancelled.
    for (const piece of pieceQueue.splice(0)) piece.reject(new Error('parsing stopped'));
    for (const piece of pieceOf.values()) piece.reject(new Error('parsing stopped'));
    // Not awaited: tearing down the threads' heaps takes a tenth of a second
    // or more, which the edge stage can use; nothing they hold is needed now.
    for (const worker of workers) worker.terminate().catch(() => undefined);
  }
  return jobs.map((job) => reports.get(job.fileIndex)!);
}
