import { PlausibleTimes } from '../../flow/plausible-time';
import { finish, keepObserved } from '../file-reader';
import type { FileReport } from '../file-report';
import type { LineParser } from '../format';
import type { ObservedCall } from '../observed-calls';
import type { PieceResult } from './parse-piece';

/**
 * Puts a split file's pieces back together, in file order whatever order
 * they finish in: counts add up, each reject gets its line in the file (the
 * lines of the pieces before it plus its line in its piece), the observed
 * things are replayed into the file's collectors, and the report ends as a
 * whole read ends it.
 */
export class PieceMerge {
  private readonly waiting = new Map<number, PieceResult>();
  private next = 0;
  private linesBefore = 0;
  private readonly times: PlausibleTimes;
  /** Set once a piece could not be read to its end: pieces after it do not count. */
  failedAt: number | null = null;

  constructor(
    readonly report: FileReport,
    /** A parser of the file's format, used only for its (keeping) observed collectors; none for Parquet. */
    private readonly observed: Partial<Pick<LineParser, 'observedPods' | 'observedNames' | 'observedServices' | 'observedLabels'>>,
    nowMs: number,
    private readonly onRejects: (lines: readonly number[], reasons: readonly string[]) => void,
  ) {
    this.times = new PlausibleTimes(nowMs);
  }

  /** Pieces merged so far. */
  get merged(): number {
    return this.next;
  }

  add(result: PieceResult): void {
    this.waiting.set(result.index, result);
    for (let ready = this.waiting.get(this.next); ready !== undefined; ready = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      this.next++;
      if (this.failedAt === null) this.merge(ready);
    }
  }

  /** The report once every piece is merged; `readError` when the file could not be read to its end. */
  finish(describeError: ((error: unknown, report: FileReport) => string) | null, readError?: unknown): FileReport {
    const report = this.report;
    if (report.error !== null) return report;
    if (readError !== undefined && describeError !== null) {
      report.error = describeError(readError, report);
      return report;
    }
    keepObserved(report, this.observed);
    this.times.implausible = this.implausibleRows;
    finish(report, { times: this.times });
    return report;
  }

  private implausibleRows = 0;

  private merge(piece: PieceResult): void {
    const report = this.report;
    report.read += piece.read;
    report.accepted += piece.accepted;
    report.rejected += piece.rejected;
    for (const [reason, count] of Object.entries(piece.rejectReasons)) report.rejectReasons[reason] = (report.rejectReasons[reason] ?? 0) + count;
    this.implausibleRows += piece.implausible;
    if (piece.rejectLines.length > 0) {
      const base = this.linesBefore;
      this.onRejects(
        piece.rejectLines.map((line) => line + base),
        piece.rejectDetails,
      );
    }
    replay(piece.observed.pods, (args, times) => this.observed.observedPods?.add(args[0], times));
    replay(piece.observed.names, (args, times) => this.observed.observedNames?.add(args[0], args[1], times));
    replay(piece.observed.services, (args, times) => this.observed.observedServices?.add(args[0], args[1], args[2], args[3], times));
    replay(piece.observed.labels, (args, times) => this.observed.observedLabels?.add(args[0], args[1], args[2], times));
    if (piece.failure !== null) {
      this.failedAt = piece.index;
      report.error = `line ${this.linesBefore + piece.failure.line}: ${piece.failure.problem}`;
    }
    this.linesBefore += piece.lines;
  }
}

function replay<A extends readonly unknown[]>(calls: readonly ObservedCall<A>[] | undefined, add: (args: A, times: number) => void): void {
  if (calls === undefined) return;
  for (const call of calls) add(call.args, call.times);
}
