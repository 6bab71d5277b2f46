import { OBS, OBS_STRIDE, type ObsField, type ObsRows } from './obs-table';

/**
 * Per-observer rows in narrow columns, for rows that wait (the spill holds
 * every per-observer row of a long window until all files are read): 99
 * bytes a row against the obs layout's 168. All columns share one
 * ArrayBuffer, so a chunk moves to another thread without a copy.
 *
 * Each value keeps its exact number: ids, hours and ports are integers
 * within 32 bits; record counts of one batch's row fit 32 bits unsigned
 * (checked when packing); packets, bytes and times stay doubles.
 */
export interface CompactObsRows {
  readonly length: number;
  readonly buffer: ArrayBuffer;
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

type Column = Float64Array | Uint32Array | Int32Array | Uint8Array;

function columnsOf(buffer: ArrayBuffer, length: number): Column[] {
  let offset = 0;
  return COLUMNS.map(([, kind]) => {
    const column =
      kind === 'f64' ? new Float64Array(buffer, offset, length) : kind === 'u32' ? new Uint32Array(buffer, offset, length) : kind === 'i32' ? new Int32Array(buffer, offset, length) : new Uint8Array(buffer, offset, length);
    offset += length * WIDTH[kind];
    return column;
  });
}

const FIELD_AT = COLUMNS.map(([field]) => OBS[field]);

/** A record count beyond 32 bits in one row of one batch would need over 4 billion records of one conversation-hour. */
const MAX_U32 = 0xffffffff;

/**
 * Packs the rows of `rows` listed in `picks` (row numbers, in order). Throws
 * when a count does not fit its column rather than store a wrong number.
 */
export function packObsRows(rows: ObsRows, picks: Int32Array | readonly number[]): CompactObsRows {
  const length = picks.length;
  const buffer = new ArrayBuffer(length * COMPACT_ROW_BYTES);
  const columns = columnsOf(buffer, length);
  const d = rows.data;
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c]!;
    const field = FIELD_AT[c]!;
    const checked = column instanceof Uint32Array || column instanceof Int32Array || column instanceof Uint8Array;
    for (let i = 0; i < length; i++) {
      const value = d[picks[i]! * OBS_STRIDE + field]!;
      column[i] = value;
      if (checked && column[i] !== value) throw new RangeError(`obs field ${COLUMNS[c]![0]} value ${value} does not fit a ${COLUMNS[c]![1]} column (at most ${MAX_U32} records per conversation-hour and batch)`);
    }
  }
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
