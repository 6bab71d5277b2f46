import { mostFrequentSeparator } from '../../core/ingest/delimiters';
import { CSV_FIELDS, type ColumnMap, type CsvField } from '../../core/ingest/format';
import { resolveColumns } from '../../core/ingest/formats/csv-columns';

/**
 * What the column-mapping dialog shows of a CSV file: its header, its first
 * rows split the way the engine splits them (the most frequent separator of
 * the header line), and the columns the engine would pick for each field on
 * its own (its aliases), as the starting mapping. Pure: the dialog reads the
 * first bytes of the file and passes their text here.
 */
export const PREVIEW_ROWS = 10;

export interface CsvPreview {
  readonly delimiter: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly suggested: ColumnMap;
}

/** The fields a flow record cannot do without: the engine refuses a row that lacks one. */
export const REQUIRED_FIELDS: readonly CsvField[] = ['src', 'dst', 'proto'];

export function csvPreview(text: string): CsvPreview | null {
  const lines = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
  const headerLine = lines[0];
  if (headerLine === undefined) return null;
  const delimiter = mostFrequentSeparator(headerLine);
  const header = headerLine.split(delimiter).map((name) => name.trim());
  if (header.length < 2) return null;
  // The last line of a partial read may be cut: it is left out.
  const rows = lines.slice(1, 1 + PREVIEW_ROWS + 1).slice(0, PREVIEW_ROWS).map((line) => line.split(delimiter));
  const resolved = resolveColumns(header, undefined);
  const suggested: ColumnMap = {};
  for (const field of CSV_FIELDS) {
    const index = resolved[field];
    if (index !== undefined) suggested[field] = header[index]!;
  }
  return { delimiter, header, rows, suggested };
}

/** The mapping's fields that must be chosen and are not. */
export function missingRequired(map: ColumnMap): CsvField[] {
  return REQUIRED_FIELDS.filter((field) => map[field] === undefined || map[field] === '');
}
