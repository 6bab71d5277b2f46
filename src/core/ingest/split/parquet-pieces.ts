import type { FileReaderDeps } from '../file-reader';
import type { FileReport } from '../file-report';
import { matchTabular, openParquet, randomAccessBuffer } from '../parquet';
import type { InputFile } from '../source';
import type { FileOpening, FilePiece, SplitSettings } from './file-pieces';

/**
 * A decompressed text row of a flow log is about 100 bytes: a piece of
 * pieceBytes / 100 rows is about as much parsing as a text piece, and
 * enough that reading the file's footer again for each piece costs little.
 */
const TEXT_ROW_BYTES = 100;

/**
 * Opens an uncompressed Parquet file to read in pieces: runs of whole row
 * groups, which each parser reads from the file itself by random access
 * (parse-row-groups.ts), so no bytes pass through this thread. A file of
 * one row group, columns no tabular format reads, or edges written by
 * Flowfence itself are read whole (which reports what is wrong).
 */
export async function openParquetPieces(
  file: InputFile,
  deps: Pick<FileReaderDeps, 'formats' | 'tabular' | 'options'>,
  report: FileReport,
  settings: SplitSettings,
  onRawBytes: (total: number) => void,
): Promise<FileOpening> {
  const table = await openParquet(randomAccessBuffer(file));
  if (table.groupRows.length < 2) return { kind: 'whole' };
  const match = matchTabular(deps.tabular, table.columns, deps.options);
  const format = deps.formats.find((each) => each.id === match?.id);
  if (match === null || format?.kind !== 'lines' || format.id === 'flowfence-edges') return { kind: 'whole' };
  report.container = 'parquet';
  report.format = match.id;
  const minRows = Math.max(1, Math.ceil(settings.pieceBytes / TEXT_ROW_BYTES));
  const totalRows = table.groupRows.reduce((sum, rows) => sum + rows, 0);
  async function* pieces(): AsyncGenerator<FilePiece> {
    let index = 0;
    let rowsBefore = 0;
    for (let first = 0; first < table.groupRows.length; ) {
      let end = first;
      let rows = 0;
      while (end < table.groupRows.length && (end === first || rows < minRows)) rows += table.groupRows[end++]!;
      rowsBefore += rows;
      // Progress in bytes, as for text: the share of the file's rows handed out so far.
      onRawBytes(Math.round((file.size * rowsBefore) / Math.max(1, totalRows)));
      yield { index: index++, content: { kind: 'row-groups', first, end }, context: [], version: -1 };
      first = end;
    }
  }
  return { kind: 'pieces', report, format, pieces: pieces(), close: () => Promise.resolve(), source: 'parquet' };
}
