import { OBS, OBS_STRIDE, type ObsColumns, type ObsField, type ObsRows, type ObsTable } from './obs-table';

/**
 * Obs rows in narrow columns, for rows that wait: the spill holds every
 * per-observer row of a long window until all files are read, and the
 * folded conversation-hours stay until their edges are built. 99 bytes a
 * row against the obs layout's 168. All columns share one ArrayBuffer, one
 * after another, so a chunk moves to another thread without a copy, or is
 * copied whole in one call.
 *
 * Each value keeps its exact number: ids, hours and ports are integers
 * within 32 bits; record counts of one batch's row fit 32 bits unsigned
 * (checked when packing); packets, bytes and times stay doubles.
 */
export interface CompactObsRows {
  readonly length: number;
  /** At least `length` × COMPACT_ROW_BYTES; the columns are laid out for `length` rows from its start. */
  readonly buffer: ArrayBuffer;
}

/** Compact rows read as columns (views over their buffer, no copy). */
export interface ObsColumnRows extends ObsColumns {
  readonly length: number;
}

type ColumnKind = 'f64' | 'u32' | 'i32' | 'u8';

/** Doubles first, then 32-bit columns, then bytes: every column starts aligned for its type. */
const COLUMNS: readonly (readonly [ObsField, ColumnKind])[] = [
  ['pktsLH', 'f64'],
  ['bytesLH', 'f64'],
  ['pktsHL', 'f64'],
  ['bytesHL', 'f64'],
  ['firstMs', 'f64'],
  ['lastMs', 'f64'],
  ['observer', 'u32'],
  ['hour', 'i32'],
  ['lo', 'u32'],
  ['loPort', 'i32'],
  ['hi', 'u32'],
  ['hiPort', 'i32'],
  ['recLH', 'u32'],
  ['recHL', 'u32'],
  ['allowN', 'u32'],
  ['denyN', 'u32'],
  ['evLo', 'u32'],
  ['evHi', 'u32'],
  ['proto', 'u8'],
  ['evLoReason', 'u8'],
  ['evHiReason', 'u8'],
];

const WIDTH: Readonly<Record<ColumnKind, number>> = { f64: 8, u32: 4, i32: 4, u8: 1 };

export const COMPACT_ROW_BYTES = COLUMNS.reduce((sum, [, kind]) => sum + WIDTH[kind], 0);

export type CompactColumn = Float64Array | Uint32Array | Int32Array | Uint8Array;
type Column = CompactColumn;

/** Each column's view over the buffer of `length` rows, in the layout's order. */
export function columnsOf(buffer: ArrayBuffer, length: number): Column[] {
  let offset = 0;
  return COLUMNS.map(([, kind]) => {
    const column =
      kind === 'f64' ? new Float64Array(buffer, offset, length) : kind === 'u32' ? new Uint32Array(buffer, offset, length) : kind === 'i32' ? new Int32Array(buffer, offset, length) : new Uint8Array(buffer, offset, length);
    offset += length * WIDTH[kind];
    return column;
  });
}

/** The rows' columns by field name, as views. */
export function obsColumnRows(rows: CompactObsRows): ObsColumnRows {
  const views = columnsOf(rows.buffer, rows.length);
  const byField: Record<string, Column | number> = { length: rows.length };
  COLUMNS.forEach(([field], c) => (byField[field] = views[c]!));
  return byField as unknown as ObsColumnRows;
}

const FIELD_AT = COLUMNS.map(([field]) => OBS[field]);

/** A record count beyond 32 bits in one row of one batch would need over 4 billion records of one conversation-hour. */
const MAX_U32 = 0xffffffff;

/**
 * Writes `value` as row `at` of column `c`. Throws when the column cannot
 * hold it (a count past 32 bits, a fraction, NaN in an integer column)
 * rather than store a wrong number; doubles hold NaN (an unknown time).
 */
function store(columns: readonly Column[], c: number, at: number, value: number): void {
  const column = columns[c]!;
  column[at] = value;
  if (column[at] !== value && !(value !== value && column instanceof Float64Array)) {
    throw new RangeError(`obs field ${COLUMNS[c]![0]} value ${value} does not fit a ${COLUMNS[c]![1]} column (at most ${MAX_U32} records per conversation-hour and batch)`);
  }
}

/** Packs the rows of `rows` listed in `picks` (row numbers, in order; every row when absent) into a new buffer. */
export function packObsRows(rows: ObsRows, picks?: Int32Array | readonly number[]): CompactObsRows {
  const length = picks?.length ?? rows.length;
  const buffer = new ArrayBuffer(length * COMPACT_ROW_BYTES);
  const columns = columnsOf(buffer, length);
  const d = rows.data;
  for (let c = 0; c < columns.length; c++) {
    const field = FIELD_AT[c]!;
    for (let i = 0; i < length; i++) store(columns, c, i, d[(picks === undefined ? i : picks[i]!) * OBS_STRIDE + field]!);
  }
  return { length, buffer };
}

/** Every row of `table`, in slot order, in a new buffer of exactly their size, with no obs-layout copy on the way. */
export function packObsTable(table: ObsTable): CompactObsRows {
  const length = table.size;
  const buffer = new ArrayBuffer(length * COMPACT_ROW_BYTES);
  const columns = columnsOf(buffer, length);
  let row = 0;
  table.forEachRow((data, base) => {
    for (let c = 0; c < columns.length; c++) store(columns, c, row, data[base + FIELD_AT[c]!]!);
    row++;
  });
  return { length, buffer };
}

/** Back to the obs layout (one Float64Array), for merging. */
export function unpackObsRows(compact: CompactObsRows): ObsRows {
  const { length } = compact;
  const data = new Float64Array(length * OBS_STRIDE);
  const columns = columnsOf(compact.buffer, length);
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c]!;
    const field = FIELD_AT[c]!;
    for (let i = 0; i < length; i++) data[i * OBS_STRIDE + field] = column[i]!;
  }
  return { length, data };
}
