import type { DoorAggregator, DoorBatch } from '../door';
import type { TabularSupport } from '../format';
import { newFileReport } from '../file-report';
import { RowCounter } from '../line-reader';
import { matchTabular, openParquet, randomAccessBuffer } from '../parquet';
import { FormatError } from '../row-error';
import type { InputFile } from '../source';
import { noTabularMatch, readTabularRows } from '../tabular-rows';
import { pieceResult, type PieceJob, type PieceResult } from './parse-piece';

/**
 * Reads one piece of a split Parquet file (parquet-pieces.ts), a run of
 * row groups, from the file itself into a door, with the same row reader
 * as a whole read. Row numbers are the piece's own, as for lines.
 */
export async function parseRowGroupsIntoDoor(
  job: PieceJob,
  file: InputFile,
  tabular: readonly TabularSupport[],
  door: DoorAggregator,
  onBatch: (batch: DoorBatch) => void,
  signal?: AbortSignal,
): Promise<PieceResult> {
  const content = job.piece.content;
  if (content.kind !== 'row-groups') throw new Error(`piece ${job.piece.index} holds ${content.kind}, not row groups`);
  const table = await openParquet(randomAccessBuffer(file));
  const match = matchTabular(tabular, table.columns, job.options);
  // The file was matched when it was cut: only a file changed since gets here.
  if (match?.id !== job.format.id) throw new Error(noTabularMatch(table.columns, tabular));
  const report = newFileReport('');
  const rejectLines: number[] = [];
  const rejectDetails: string[] = [];
  const counter = new RowCounter(report, { onRecord: (record) => door.add(record, job.fileIndex), onReject: (line, reason) => (rejectLines.push(line), rejectDetails.push(reason)) }, job.nowMs);
  let rowsBefore = 0;
  let failure: PieceResult['failure'] = null;
  try {
    for await (const rows of table.rowGroups(content.first, content.end)) {
      readTabularRows(rows, match.reader, counter, rowsBefore);
      rowsBefore += rows.length;
      if (door.full) onBatch(door.drain());
      signal?.throwIfAborted();
    }
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    failure = { line: report.read + 1, problem: error.message };
  }
  const lines = table.groupRows.slice(content.first, content.end).reduce((sum, rows) => sum + rows, 0);
  return pieceResult(job, report, lines, rejectLines, rejectDetails, counter.times.implausible, {}, failure);
}
