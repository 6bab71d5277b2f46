import { parquetMetadataAsync, parquetRead, type AsyncBuffer } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ParseOptions, TabularRowReader, TabularSupport, FormatId } from './format';
import type { InputFile } from './source';

/**
 * Parquet files carrying the columns of one of the tabular formats (AWS flow
 * logs delivered as Parquet, nfdump or Zeek exported through a data lake…).
 * hyparquet is a dependency-free pure-JS reader that runs in the browser
 * worker and in Node alike, with the codecs (snappy, gzip, zstd, brotli, lz4)
 * from hyparquet-compressors, so no DuckDB extension is ever needed.
 */
export interface ParquetTable {
  readonly columns: readonly string[];
  /** Rows in each row group, in file order. */
  readonly groupRows: readonly number[];
  /** Row groups in order, each as rows of decoded values (convert with parquetValueText, row by row). */
  rowGroups(first?: number, end?: number): AsyncIterable<unknown[][]>;
}

export async function openParquet(buffer: AsyncBuffer): Promise<ParquetTable> {
  const metadata = await parquetMetadataAsync(buffer);
  const columns = metadata.schema
    .slice(1)
    .filter((element) => element.num_children === undefined || element.num_children === 0)
    .map((element) => element.name);
  const groupRows = metadata.row_groups.map((group) => Number(group.num_rows));
  return {
    columns,
    groupRows,
    /** Groups `first` to `end` (exclusive), one at a time: a group of a million rows is held once, not the file. */
    async *rowGroups(first = 0, end = groupRows.length) {
      let rowStart = groupRows.slice(0, first).reduce((sum, rows) => sum + rows, 0);
      for (let group = first; group < end; group++) {
        const rowEnd = rowStart + groupRows[group]!;
        let rows: unknown[][] = [];
        await parquetRead({
          file: buffer,
          metadata,
          compressors,
          rowStart,
          rowEnd,
          rowFormat: 'array',
          onComplete: (result: unknown[][]) => {
            rows = result;
          },
        });
        yield rows;
        rowStart = rowEnd;
      }
    },
  };
}

/** An uncompressed file read by random access, as hyparquet reads it. */
export function randomAccessBuffer(file: Pick<InputFile, 'size' | 'read'>): AsyncBuffer {
  return {
    byteLength: file.size,
    slice: async (start: number, end?: number) => toArrayBuffer(await file.read(start, end ?? file.size)),
  };
}

/** Bytes as an ArrayBuffer of exactly them: the view's own buffer when it is all of it, else a copy. */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
    ? bytes.buffer
    : (bytes.slice().buffer as ArrayBuffer);
}

/** Parquet values as the text the same column would hold in the text format. */
export function parquetValueText(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return JSON.stringify(value);
}

export interface TabularMatch {
  readonly id: FormatId;
  readonly reader: TabularRowReader;
}

/** The first tabular format that recognises these columns. */
export function matchTabular(
  formats: readonly TabularSupport[],
  columns: readonly string[],
  options: ParseOptions,
): TabularMatch | null {
  for (const format of formats) {
    const reader = format.tabularReader(columns, options);
    if (reader !== null) return { id: format.id, reader };
  }
  return null;
}
