import { DoorAggregator, type DoorBatch } from './door';
import { readFlowFile } from './file-reader';
import type { FileReport } from './file-report';
import type { ParseEvents, ParseJob, ParsePool, ParseSettings } from './parse-pool';
import { FLOW_FORMATS, TABULAR_FORMATS } from './registry';
import { openFilePieces } from './split/file-pieces';
import { PieceParsers, parsePieceIntoDoor, type PieceJob, type PieceResult } from './split/parse-piece';
import { parseRowGroupsIntoDoor } from './split/parse-row-groups';
import { readSplitFile } from './split/read-split-file';
import type { IngestHost } from './source';

const REJECT_BATCH = 10_000;

/**
 * Parses one file into a door, handing a batch over whenever the door fills.
 * The door outlives the file: its owner hands the rest over (drainFinal)
 * once all its files are read. Shared by the in-process pool and the worker
 * threads, so both produce exactly the same aggregates.
 */
export async function parseFileIntoDoor(
  job: ParseJob,
  door: DoorAggregator,
  source: number,
  host: IngestHost,
  settings: ParseSettings,
  events: Pick<ParseEvents, 'onBatch' | 'onRejects' | 'onProgress'>,
  signal?: AbortSignal,
): Promise<FileReport> {
  let lines: number[] = [];
  let reasons: string[] = [];
  let rows = 0;
  const flushRejects = (): void => {
    if (reasons.length === 0) return;
    events.onRejects(job.fileIndex, lines, reasons);
    lines = [];
    reasons = [];
  };
  const report = await readFlowFile(
    job.file,
    { host, formats: FLOW_FORMATS, tabular: TABULAR_FORMATS, options: settings.parse, limits: settings.limits },
    {
      onRecord: (record) => {
        rows++;
        door.add(record, job.fileIndex);
      },
      onReject: (line, reason) => {
        rows++;
        lines.push(line);
        reasons.push(reason);
      },
      onProgress: (bytes) => events.onProgress(job.fileIndex, bytes, rows),
      checkpoint: () => {
        if (door.full) events.onBatch(source, door.drain());
        if (reasons.length >= REJECT_BATCH) flushRejects();
        return Promise.resolve();
      },
      signal,
    },
  );
  flushRejects();
  return report;
}

/** Parses files one after another in the calling thread (the browser worker, tests). */
export function inlineParsePool(host: IngestHost): ParsePool {
  return {
    async parseAll(jobs, settings, events, signal) {
      const door = new DoorAggregator(settings.doorCapacity, settings.doorCapacityOnceFull);
      const reports: FileReport[] = [];
      const split = settings.split;
      const parsers = new PieceParsers();
      for (const job of jobs) {
        signal?.throwIfAborted();
        // One thread gains nothing from pieces; they are read here only when asked (to hold them equal to a whole read).
        if (split?.enabled === true && !(split.wholeFiles ?? []).includes(job.fileIndex)) {
          const onBatch = (batch: DoorBatch): void => events.onBatch(0, batch);
          const report = await readInPieces(job, split.pieceBytes, host, settings, events, (piece) =>
            piece.piece.content.kind === 'row-groups'
              ? parseRowGroupsIntoDoor(piece, job.file, TABULAR_FORMATS, door, onBatch, signal)
              : parsePieceIntoDoor(piece, door, onBatch, parsers, signal),
          1, signal);
          if (report !== null) {
            reports.push(report);
            continue;
          }
        }
        reports.push(await parseFileIntoDoor(job, door, 0, host, settings, events, signal));
      }
      events.onBatch(0, door.drainFinal(events.sharedHours([door.hours()])));
      return reports;
    },
  };
}

/**
 * Reads a file in pieces, each through `runPiece`; null when the file is
 * not one to split (it is then read whole by the caller).
 */
export async function readInPieces(
  job: ParseJob,
  pieceBytes: number,
  host: IngestHost,
  settings: ParseSettings,
  events: Pick<ParseEvents, 'onRejects' | 'onProgress'>,
  runPiece: (piece: PieceJob) => Promise<PieceResult>,
  inFlight: number,
  signal?: AbortSignal,
): Promise<FileReport | null> {
  let rawBytes = 0;
  const opening = await openFilePieces(
    job.file,
    { host, formats: FLOW_FORMATS, tabular: TABULAR_FORMATS, options: settings.parse, limits: settings.limits },
    { pieceBytes },
    (total) => {
      rawBytes = total;
    },
    signal,
  );
  if (opening.kind === 'whole') return null;
  if (opening.kind === 'settled') return opening.report;
  return readSplitFile(job.fileIndex, opening, { options: settings.parse, limits: settings.limits, inFlight }, runPiece, events, () => rawBytes, signal);
}
