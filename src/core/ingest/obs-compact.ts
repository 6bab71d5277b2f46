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

/** Each column's view over the buffer of `length` rows, in the layout's order. */
export function columnsOf(buffer: ArrayBuffer, length: number): CompactColumn[] {
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
  const byField: Record<string, CompactColumn | number> = { length: rows.length };
  COLUMNS.forEach(([field], c) => (byField[field] = views[c]!));
  return byField as unknown as ObsColumnRows;
}

const FIELD_AT = COLUMNS.map(([field]) => OBS[field]);

/** A record count beyond 32 bits in one row of one batch would need over 4 billion records of one conversation-hour. */
const MAX_U32 = 0xffffffff;

/**
 * Writes obs row `b` of `d` as row `i` of the columns; false when an
 * integer column could not hold its value exactly (a count past 32 bits, a
 * fraction, NaN). Every field written by name, so that each store has one
 * column type: a store through a column of any type is several times slower.
 */
function packRow(c: ObsColumnRows, i: number, d: Float64Array, b: number): boolean {
  c.pktsLH[i] = d[b + OBS.pktsLH]!;
  c.bytesLH[i] = d[b + OBS.bytesLH]!;
  c.pktsHL[i] = d[b + OBS.pktsHL]!;
  c.bytesHL[i] = d[b + OBS.bytesHL]!;
  c.firstMs[i] = d[b + OBS.firstMs]!;
  c.lastMs[i] = d[b + OBS.lastMs]!;
  c.observer[i] = d[b + OBS.observer]!;
  c.hour[i] = d[b + OBS.hour]!;
  c.lo[i] = d[b + OBS.lo]!;
  c.loPort[i] = d[b + OBS.loPort]!;
  c.hi[i] = d[b + OBS.hi]!;
  c.hiPort[i] = d[b + OBS.hiPort]!;
  c.recLH[i] = d[b + OBS.recLH]!;
  c.recHL[i] = d[b + OBS.recHL]!;
  c.allowN[i] = d[b + OBS.allowN]!;
  c.denyN[i] = d[b + OBS.denyN]!;
  c.evLo[i] = d[b + OBS.evLo]!;
  c.evHi[i] = d[b + OBS.evHi]!;
  c.proto[i] = d[b + OBS.proto]!;
  c.evLoReason[i] = d[b + OBS.evLoReason]!;
  c.evHiReason[i] = d[b + OBS.evHiReason]!;
  return (
    c.observer[i] === d[b + OBS.observer] &&
    c.hour[i] === d[b + OBS.hour] &&
    c.lo[i] === d[b + OBS.lo] &&
    c.loPort[i] === d[b + OBS.loPort] &&
    c.hi[i] === d[b + OBS.hi] &&
    c.hiPort[i] === d[b + OBS.hiPort] &&
    c.recLH[i] === d[b + OBS.recLH] &&
    c.recHL[i] === d[b + OBS.recHL] &&
    c.allowN[i] === d[b + OBS.allowN] &&
    c.denyN[i] === d[b + OBS.denyN] &&
    c.evLo[i] === d[b + OBS.evLo] &&
    c.evHi[i] === d[b + OBS.evHi] &&
    c.proto[i] === d[b + OBS.proto] &&
    c.evLoReason[i] === d[b + OBS.evLoReason] &&
    c.evHiReason[i] === d[b + OBS.evHiReason]
  );
}

/** Why row `b` of `d` did not fit: the first integer column that cannot hold its value. */
function notFitting(d: Float64Array, b: number): RangeError {
  const probe = obsColumnRows({ length: 1, buffer: new ArrayBuffer(COMPACT_ROW_BYTES) });
  packRow(probe, 0, d, b);
  const [field, kind] = COLUMNS.find(([name]) => probe[name][0] !== d[b + OBS[name]] && !Number.isNaN(probe[name][0]!))!;
  return new RangeError(`obs field ${field} value ${d[b + OBS[field]]} does not fit a ${kind} column (at most ${MAX_U32} records per conversation-hour and batch)`);
}

/** Packs the rows of `rows` listed in `picks` (row numbers, in order; every row when absent) into a new buffer. */
export function packObsRows(rows: ObsRows, picks?: Int32Array | readonly number[]): CompactObsRows {
  const length = picks?.length ?? rows.length;
  const packed = { length, buffer: new ArrayBuffer(length * COMPACT_ROW_BYTES) };
  const columns = obsColumnRows(packed);
  const d = rows.data;
  for (let i = 0; i < length; i++) {
    const b = (picks === undefined ? i : picks[i]!) * OBS_STRIDE;
    if (!packRow(columns, i, d, b)) throw notFitting(d, b);
  }
  return packed;
}

/** Every row of `table`, in slot order, in a new buffer of exactly their size, with no obs-layout copy on the way. */
export function packObsTable(table: ObsTable): CompactObsRows {
  const packed = { length: table.size, buffer: new ArrayBuffer(table.size * COMPACT_ROW_BYTES) };
  const columns = obsColumnRows(packed);
  let row = 0;
  table.forEachRow((data, base) => {
    if (!packRow(columns, row++, data, base)) throw notFitting(data, base);
  });
  return packed;
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
