import { parquetMetadataAsync, parquetRead, type AsyncBuffer } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ParseOptions, TabularRowReader, TabularSupport, FormatId } from './format';

/**
 * Parquet files carrying the columns of one of the tabular formats (AWS flow
 * logs delivered as Parquet, nfdump or Zeek exported through a data lake…).
 * hyparquet is a dependency-free pure-JS reader that runs in the browser
 * worker and in Node alike, with the codecs (snappy, gzip, zstd, brotli, lz4)
 * from hyparquet-compressors, so no DuckDB extension is ever needed.
 */
export interface ParquetTable {
  readonly columns: readonly string[];
  /** Row groups in order, each as rows of decoded values (convert with parquetValueText, row by row). */
  rowGroups(): AsyncIterable<unknown[][]>;
}

export async function openParquet(buffer: AsyncBuffer): Promise<ParquetTable> {
  const metadata = await parquetMetadataAsync(buffer);
  const columns = metadata.schema
    .slice(1)
    .filter((element) => element.num_children === undefined || element.num_children === 0)
    .map((element) => element.name);
  return {
    columns,
    async *rowGroups() {
      let rowStart = 0;
      for (const group of metadata.row_groups) {
        const rowEnd = rowStart + Number(group.num_rows);
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
