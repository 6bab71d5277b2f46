import type { FileReport } from './file-report';
import { RowError } from './row-error';

/**
 * The one place a file's rows are counted, for flows and enrichment files
 * alike: every row is accepted or rejected with a reason, so read =
 * accepted + rejected holds by construction, and rejects are counted per
 * reason (without the offending value) and reported with it.
 */
export class RowTally {
  constructor(
    readonly report: FileReport,
    private readonly onReject: (line: number, reason: string) => void,
  ) {}

  accept(): void {
    this.report.read++;
    this.report.accepted++;
  }

  reject(line: number, error: unknown, where = ''): void {
    this.report.read++;
    this.report.rejected++;
    const { summary, detail } = describeRowProblem(error);
    this.report.rejectReasons[summary] = (this.report.rejectReasons[summary] ?? 0) + 1;
    this.onReject(line, where ? `${where}: ${detail}` : detail);
  }

  /** Runs `read` for one row: it returns the row's value, or throws RowError to reject it. */
  row<T>(line: number, read: () => T, where = ''): T | undefined {
    try {
      const value = read();
      this.accept();
      return value;
    } catch (error) {
      this.reject(line, error, where);
      return undefined;
    }
  }
}

function describeRowProblem(error: unknown): { summary: string; detail: string } {
  if (error instanceof RowError) return { summary: error.summary, detail: error.message };
  // A parser bug must cost one row, not the file: keep it visible as its own reason.
  const message = error instanceof Error ? error.message : String(error);
  return { summary: 'unexpected parser error', detail: `unexpected parser error: ${message}` };
}
