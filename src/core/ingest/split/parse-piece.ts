import type { DoorAggregator, DoorBatch } from '../door';
import type { ReadLimits } from '../file-reader';
import { newFileReport } from '../file-report';
import type { ByteLineParser, LineFormat, LineParser, ParseOptions } from '../format';
import { RowCounter, readLines } from '../line-reader';
import type { ObservedCallLogs } from '../observed-calls';
import { FormatError, RowError } from '../row-error';
import { RowTally } from '../row-tally';
import type { FilePiece } from './file-pieces';

/** What reading one piece gave, in the piece's own line numbers (plain data: it crosses threads). */
export interface PieceResult {
  readonly index: number;
  /** Lines in the piece (the next piece's first line is one more, counted from here). */
  readonly lines: number;
  readonly read: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly rejectReasons: Readonly<Record<string, number>>;
  readonly rejectLines: readonly number[];
  readonly rejectDetails: readonly string[];
  /** Rows whose times cannot be right (plausible-time.ts). */
  readonly implausible: number;
  readonly observed: ObservedCallLogs;
  /** A problem that ends the file (FormatError) at this line of the piece; rows after it were not read. */
  readonly failure: { readonly line: number; readonly problem: string } | null;
}

export interface PieceJob {
  readonly fileIndex: number;
  readonly format: LineFormat;
  readonly piece: FilePiece;
  readonly options: ParseOptions;
  readonly limits: ReadLimits;
  /** The clock for plausible times, the same for every piece of a file. */
  readonly nowMs: number;
  /** Whether this piece ends the file. */
  readonly last: boolean;
  /** The version of the context where the next piece starts (-1 for none): a parser ending this piece is in that state. */
  readonly endVersion: number;
}

/**
 * The parser that read a thread's last piece, kept for the next piece of
 * the same file that starts in the state it ended in: building a parser
 * (its byte-string cache is 4 MB) and warming its caches for every piece
 * would cost more than a tenth of the parsing.
 */
export class PieceParsers {
  private kept: { fileIndex: number; version: number; parser: LineParser | ByteLineParser } | null = null;

  take(job: PieceJob): LineParser | ByteLineParser | undefined {
    const kept = this.kept;
    this.kept = null;
    return kept !== null && kept.fileIndex === job.fileIndex && kept.version === job.piece.version ? kept.parser : undefined;
  }

  keep(job: PieceJob, parser: LineParser | ByteLineParser): void {
    if (job.endVersion >= 0) this.kept = { fileIndex: job.fileIndex, version: job.endVersion, parser };
  }
}

/**
 * Reads one piece into a door with the same line reader as a whole file.
 * The door may hand batches over while it fills (`onBatch`).
 */
export async function parsePieceIntoDoor(
  job: PieceJob,
  door: DoorAggregator,
  onBatch: (batch: DoorBatch) => void,
  parsers: PieceParsers,
  signal?: AbortSignal,
): Promise<PieceResult> {
  const report = newFileReport('');
  const rejectLines: number[] = [];
  const rejectDetails: string[] = [];
  const onReject = (line: number, reason: string): void => {
    rejectLines.push(line);
    rejectDetails.push(reason);
  };
  const content = job.piece.content;
  if (content.kind === 'overlong') {
    // As the line splitters report it.
    new RowTally(report, onReject).reject(1, new RowError('', `line longer than ${job.limits.maxLineLength} characters`, `${content.length} characters`));
    return pieceResult(job, report, 1, rejectLines, rejectDetails, 0, {}, null);
  }
  if (content.kind === 'row-groups' || content.kind === 'uncuttable') throw new Error(`a piece of ${content.kind} is not lines`);
  const counter = new RowCounter(report, { onRecord: (record) => door.add(record, job.fileIndex), onReject }, job.nowMs);
  let lines = 0;
  let parser: LineParser | undefined;
  let failure: PieceResult['failure'] = null;
  try {
    const read = await readLines(
      once(content.bytes),
      job.format,
      { options: { ...job.options, recordObserved: true }, limits: job.limits },
      counter,
      {
        checkpoint: () => {
          if (door.full) onBatch(door.drain());
          return Promise.resolve();
        },
        signal,
      },
      { context: job.piece.context, fileStart: job.piece.index === 0, fileEnd: job.last, parser: parsers.take(job) },
    );
    lines = read.lines;
    parser = read.parser;
    parsers.keep(job, read.used);
  } catch (error) {
    if (!(error instanceof FormatError) || error.at === undefined) throw error;
    failure = error.at;
  }
  const observed: ObservedCallLogs = {
    ...(parser?.observedPods === undefined ? {} : { pods: parser.observedPods.takeCalls() }),
    ...(parser?.observedNames === undefined ? {} : { names: parser.observedNames.takeCalls() }),
    ...(parser?.observedServices === undefined ? {} : { services: parser.observedServices.takeCalls() }),
    ...(parser?.observedLabels === undefined ? {} : { labels: parser.observedLabels.takeCalls() }),
  };
  return pieceResult(job, report, lines, rejectLines, rejectDetails, counter.times.implausible, observed, failure);
}

/** A piece's counts, as plain data. */
export function pieceResult(
  job: PieceJob,
  report: ReturnType<typeof newFileReport>,
  lines: number,
  rejectLines: number[],
  rejectDetails: string[],
  implausible: number,
  observed: ObservedCallLogs,
  failure: PieceResult['failure'],
): PieceResult {
  return {
    index: job.piece.index,
    lines,
    read: report.read,
    accepted: report.accepted,
    rejected: report.rejected,
    rejectReasons: report.rejectReasons,
    rejectLines,
    rejectDetails,
    implausible,
    observed,
    failure,
  };
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}
