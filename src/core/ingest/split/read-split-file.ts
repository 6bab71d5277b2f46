import { describeFileError, isAbort, type ReadLimits } from '../file-reader';
import type { FileReport } from '../file-report';
import type { ParseOptions } from '../format';
import type { FileOpening } from './file-pieces';
import type { PieceJob, PieceResult } from './parse-piece';
import { PieceMerge } from './piece-merge';

/**
 * A piece of a split file failed (a FormatError past its first piece) while
 * pieces after it had already been read into the doors: rows a whole read
 * never reads. The ingest starts again with this file read whole, so the
 * outcome is exactly a whole read's (this costs time only for such files).
 */
export class SplitFileRestart extends Error {
  constructor(readonly fileIndex: number) {
    super(`file ${fileIndex} must be read whole`);
    this.name = 'SplitFileRestart';
  }
}

export interface SplitReadEvents {
  onRejects(fileIndex: number, lines: readonly number[], reasons: readonly string[]): void;
  onProgress(fileIndex: number, bytes: number, rows: number): void;
}

export interface SplitReadSettings {
  readonly options: ParseOptions;
  readonly limits: ReadLimits;
  /** Pieces read at once (handed out and not back yet): bounds the memory they hold. */
  readonly inFlight: number;
}

/**
 * Reads a file opened in pieces: hands each piece to `runPiece` (another
 * thread, or this one), at most `inFlight` at a time, and merges the
 * results in file order into the file's report.
 */
export async function readSplitFile(
  fileIndex: number,
  opening: Extract<FileOpening, { kind: 'pieces' }>,
  settings: SplitReadSettings,
  runPiece: (job: PieceJob) => Promise<PieceResult>,
  events: SplitReadEvents,
  rawBytes: () => number,
  signal?: AbortSignal,
): Promise<FileReport> {
  const nowMs = Date.now();
  const observed = opening.source === 'lines' ? opening.format.createParser(settings.options) : {};
  const merge = new PieceMerge(opening.report, observed, nowMs, (lines, reasons) => events.onRejects(fileIndex, lines, reasons));
  const running = new Set<Promise<void>>();
  let failure: unknown = null;
  const start = (job: PieceJob): void => {
    const work = runPiece(job).then(
      (result) => {
        merge.add(result);
        events.onProgress(fileIndex, rawBytes(), merge.report.read);
      },
      (error: unknown) => {
        failure ??= error;
      },
    );
    const tracked = work.finally(() => running.delete(tracked));
    running.add(tracked);
  };
  let readError: unknown;
  let pieces = 0;
  let uncuttable = false;
  // One piece held back: whether a piece is the file's last is known once the next one is cut.
  let held: PieceJob | null = null;
  try {
    for await (const piece of opening.pieces) {
      if (piece.content.kind === 'uncuttable') {
        uncuttable = true;
        break;
      }
      if (held !== null) start({ ...held, endVersion: piece.version });
      held = { fileIndex, format: opening.format, piece, options: settings.options, limits: settings.limits, nowMs, last: false, endVersion: -1 };
      pieces++;
      while (running.size >= settings.inFlight && failure === null) await Promise.race(running);
      if (failure !== null) break;
      signal?.throwIfAborted();
    }
    if (held !== null && failure === null && !uncuttable) start({ ...held, last: true });
  } catch (error) {
    if (isAbort(error, signal)) throw error;
    readError = error;
    // The lines read before the stream broke are read (a whole read reads them too, and never ends the parser).
    if (held !== null && failure === null) start(held);
  } finally {
    await Promise.all(running);
    await opening.close().catch(() => undefined);
  }
  if (failure !== null) throw failure;
  // No place to cut past the first pieces (format.ts, LineSplit.cutBetween): read whole, as a file that fails midway is.
  if (uncuttable) throw new SplitFileRestart(fileIndex);
  // A whole read tells a Parquet file's failure in its own words.
  if (merge.failedAt !== null && (merge.failedAt < pieces - 1 || opening.source === 'parquet')) throw new SplitFileRestart(fileIndex);
  return merge.finish(describeFileError, readError);
}
