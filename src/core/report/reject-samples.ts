import type { SqlPort } from '../store/sql-port';

/**
 * The first rejected lines of each input file, with their reasons: what
 * the page shows behind a file's rejected count (rejects.csv of the CLI
 * holds them all). A bounded sample, so a file of millions of bad lines
 * costs the page nothing.
 */
export const REJECT_SAMPLES_PER_FILE = 200;

export interface RejectedLine {
  readonly line: number;
  readonly reason: string;
}

export async function rejectSamples(db: SqlPort, perFile = REJECT_SAMPLES_PER_FILE): Promise<Record<string, RejectedLine[]>> {
  const rows = await db.all<{ path: string; line: number; reason: string }>(
    `SELECT f.path, r.line, r.reason FROM rejects r JOIN input_files f ON f.file_id = r.file_id
     QUALIFY row_number() OVER (PARTITION BY r.file_id ORDER BY r.line, r.reason) <= ${Math.max(1, Math.floor(perFile))}
     ORDER BY f.path, r.line, r.reason`,
  );
  const samples: Record<string, RejectedLine[]> = {};
  for (const row of rows) (samples[row.path] ??= []).push({ line: row.line, reason: row.reason });
  return samples;
}
