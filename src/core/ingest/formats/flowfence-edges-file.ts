import { PARQUET_MAGIC, readAll, startsWith } from '../byte-stream';
import { newFileReport, type FileReport } from '../file-report';
import { openContent, type OpenedContent } from '../open-content';
import { openParquet, parquetValueText, randomAccessBuffer, toArrayBuffer } from '../parquet';
import { FormatError, RowError } from '../row-error';
import { RowTally } from '../row-tally';
import type { IngestHost, InputFile } from '../source';
import { EDGE_FILE_COLUMNS } from '../../pushdown/edge-file-columns';
import { csvFields, edgeColumnsOf, isEdgeHeader, readEdgeRow, type EdgeFileRow } from './flowfence-edges';

/** Compressed Parquet is decompressed into memory: an edge table is small, and this bounds a hostile one. */
const MAX_IN_MEMORY_BYTES = 1 << 30;

export interface EdgeFileContent {
  readonly report: FileReport;
  readonly rows: EdgeFileRow[];
  /** Rejected rows: line (CSV, header is line 1) or row number (Parquet), and why. */
  readonly rejects: { readonly line: number; readonly reason: string }[];
}

/**
 * Reads one flowfence-edges file, CSV or Parquet, gzip undone, into its
 * rows, counting each one accepted or rejected with its line. A file whose
 * header or columns are not this format's fails whole with a message.
 */
export async function readEdgeFile(file: InputFile, host: IngestHost, signal?: AbortSignal): Promise<EdgeFileContent> {
  const report = newFileReport(file.path);
  report.format = 'flowfence-edges';
  const rows: EdgeFileRow[] = [];
  const rejects: { line: number; reason: string }[] = [];
  const tally = new RowTally(report, (line, reason) => rejects.push({ line, reason }));
  const take = (values: readonly string[], at: NonNullable<ReturnType<typeof edgeColumnsOf>>, line: number): void => {
    const row = tally.row(line, () => readEdgeRow(values, at, rows[0] ?? null));
    if (row !== undefined) rows.push(row);
  };
  const opened = await openContent(file, host, undefined, signal);
  try {
    report.compression = opened.compression;
    if (startsWith(opened.head, PARQUET_MAGIC)) {
      report.container = 'parquet';
      const bytes = opened.compression === null ? await file.read(0, file.size) : await readAll(opened.bytes, MAX_IN_MEMORY_BYTES, 'compressed Parquet');
      // Copies: a Node Buffer's slice is a view into a shared pool, whose .buffer is not these bytes.
      const slice = (start: number, end = bytes.byteLength): Promise<ArrayBuffer> => {
        const copy = new Uint8Array(end - start);
        copy.set(bytes.subarray(start, end));
        return Promise.resolve(copy.buffer);
      };
      const table = await openParquet({ byteLength: bytes.byteLength, slice });
      const at = edgeColumnsOf(table.columns);
      if (at === null) throw new FormatError(`Parquet columns ${table.columns.join(', ')} are not flowfence-edges' (${EDGE_FILE_COLUMNS.join(', ')})`);
      let rowNumber = 0;
      for await (const group of table.rowGroups()) {
        signal?.throwIfAborted();
        for (const values of group) take(values.map(parquetValueText), at, ++rowNumber);
      }
    } else {
      const text = new TextDecoder('utf-8').decode(await readAll(opened.bytes, MAX_IN_MEMORY_BYTES, 'flowfence-edges CSV')).replace(/^\uFEFF/, '');
      const lines = text.split('\n');
      let at: ReturnType<typeof edgeColumnsOf> = null;
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!.replace(/\r$/, '');
        if (line.trim() === '') continue;
        if (at === null) {
          at = edgeColumnsOf(csvFields(line));
          if (at === null) throw new FormatError(`line ${i + 1}: not a flowfence-edges header`);
          continue;
        }
        let values: string[];
        try {
          values = csvFields(line);
        } catch (error) {
          tally.reject(i + 1, error instanceof RowError ? error : new RowError('', String(error)));
          continue;
        }
        take(values, at, i + 1);
      }
    }
  } catch (error) {
    if (signal?.aborted === true) throw error;
    report.error = error instanceof Error ? error.message : String(error);
  } finally {
    await opened.close().catch(() => undefined);
  }
  if (rows.length > 0) report.pushdown = { querySha256: rows[0]!.querySha256, source: rows[0]!.source };
  if (report.error === null && report.read === 0) report.warnings.push('no rows: the file holds only a header');
  return { report, rows, rejects };
}

/**
 * Whether an opened file is a flowfence-edges result (its CSV header, or
 * its Parquet columns), for the host that routes such files to
 * loadEdgeFiles instead of the flow parsers. Unreadable files are not: the
 * flow reader reports why. Reads from `opened` only for compressed Parquet.
 */
export async function isEdgeContent(file: InputFile, opened: OpenedContent): Promise<boolean> {
  try {
    if (!startsWith(opened.head, PARQUET_MAGIC)) {
      const text = new TextDecoder('utf-8').decode(opened.head, { stream: true }).replace(/^\uFEFF/, '');
      const first = text.split('\n').find((line) => line.trim() !== '');
      return first !== undefined && isEdgeHeader(first.replace(/\r$/, ''));
    }
    // A compressed Parquet file has its column list at its end: only decompressing it whole reaches it (rare: Parquet compresses itself).
    const whole = opened.compression === null ? null : await readAll(opened.bytes, MAX_IN_MEMORY_BYTES, 'compressed Parquet');
    const table =
      whole === null
        ? await openParquet(randomAccessBuffer(file))
        : await openParquet({ byteLength: whole.byteLength, slice: (start, end) => Promise.resolve(toArrayBuffer(whole.subarray(start, end ?? whole.byteLength))) });
    return edgeColumnsOf(table.columns) !== null;
  } catch {
    return false;
  }
}

