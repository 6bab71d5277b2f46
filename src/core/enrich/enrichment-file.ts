import type { FileReport } from '../ingest/file-report';
import { RowError } from '../ingest/row-error';

/** Formats of enrichment files, reported in `inputs[]` beside the flow formats. */
export const ENRICHMENT_FORMAT_IDS = ['inventory', 'k8s-pods', 'windows-logons'] as const;
export type EnrichmentFormatId = (typeof ENRICHMENT_FORMAT_IDS)[number];

/**
 * Accounting for enrichment rows, with the same rule as flows: every row is
 * accepted or rejected with a reason, and the report says how many of each.
 */
export class RowAccount {
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
    const summary = error instanceof RowError ? error.summary : 'unexpected parser error';
    const detail = error instanceof Error ? error.message : String(error);
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
