import type { TabularRowReader, TabularSupport } from './format';
import type { RowCounter } from './line-reader';
import { parquetValueText } from './parquet';
import { FormatError } from './row-error';

/**
 * Reads decoded Parquet rows through a tabular reader, each accepted or
 * rejected with its row number: `rowsBefore` + its place here, from 1.
 * Shared by the whole read and the pieces of a split file, so both number
 * and judge every row alike. A FormatError ends the file and is thrown.
 */
export function readTabularRows(rows: readonly unknown[][], reader: TabularRowReader, counter: RowCounter, rowsBefore: number): void {
  // One row's text at a time: a row group of a million rows is decoded once, not again as strings.
  const values: string[] = [];
  let rowNumber = rowsBefore;
  for (const row of rows) {
    rowNumber++;
    counter.record.reset();
    values.length = row.length;
    for (let i = 0; i < row.length; i++) values[i] = parquetValueText(row[i]);
    try {
      reader(values, counter.record);
      counter.accept();
    } catch (error) {
      if (error instanceof FormatError) throw error;
      counter.reject(rowNumber, error);
    }
  }
}

/** Why a Parquet file with these columns is not read. */
export function noTabularMatch(columns: readonly string[], tabular: readonly TabularSupport[]): string {
  return `Parquet file with columns ${columns.join(', ')} matches no known flow format; tried ${tabular.map((format) => format.id).join(', ')}`;
}
