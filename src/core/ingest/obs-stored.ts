import { COMPACT_ROW_BYTES, columnsOf, type CompactColumn, type CompactObsRows } from './obs-compact';
import { pageBackedBuffer } from '../util/page-backed-buffer';

/**
 * Compact obs rows (obs-compact.ts) as the spill stores them while every
 * file is read: each column in the narrowest type that holds all of this
 * chunk's values exactly, in a page-backed buffer (page-backed-buffer.ts).
 * Host and observer ids of a few thousand hosts, ports, and the counts of
 * one conversation-hour are small numbers: on bench:scale's data (12.9M
 * records, 5.25M spilled rows) a row took 55.0 bytes here against 99
 * compact, and the spill is the largest thing held at the end of parsing.
 * A value that needs the full width keeps it, for its chunk alone. Rows are widened back to the
 * compact layout, in plain memory, to be folded.
 */
export interface StoredObsRows {
  readonly length: number;
  /** Each compact column's stored type, in the compact layout's order. */
  readonly kinds: readonly StoredKind[];
  readonly buffer: ArrayBuffer;
}

type StoredKind = 'f64' | 'i32' | 'u32' | 'u16' | 'u8';

const WIDTH: Readonly<Record<StoredKind, number>> = { f64: 8, i32: 4, u32: 4, u16: 2, u8: 1 };

/** Stores `rows` narrowed, in a new page-backed buffer. */
export function storeObsRows(rows: CompactObsRows): StoredObsRows {
  const { length } = rows;
  const columns = columnsOf(rows.buffer, length);
  const kinds = columns.map(narrowestKind);
  const { offsets, bytes } = layout(kinds, length);
  const buffer = pageBackedBuffer(bytes);
  columns.forEach((column, c) => viewOf(kinds[c]!, buffer, offsets[c]!, length).set(column));
  return { length, kinds, buffer };
}

/** The rows back in the compact layout, in plain memory: in `scratch` when it is large enough (a buffer reused from chunk to chunk), else in a new buffer. */
export function widenObsRows(stored: StoredObsRows, scratch?: ArrayBuffer): CompactObsRows {
  const { length, kinds } = stored;
  const bytes = length * COMPACT_ROW_BYTES;
  const buffer = scratch !== undefined && scratch.byteLength >= bytes ? scratch : new ArrayBuffer(bytes);
  const { offsets } = layout(kinds, length);
  columnsOf(buffer, length).forEach((column, c) => column.set(viewOf(kinds[c]!, stored.buffer, offsets[c]!, length)));
  return { length, buffer };
}

/** Widest columns first, so that every column starts aligned for its type. */
function layout(kinds: readonly StoredKind[], length: number): { offsets: number[]; bytes: number } {
  const offsets = new Array<number>(kinds.length);
  let bytes = 0;
  for (const width of [8, 4, 2, 1]) {
    kinds.forEach((kind, c) => {
      if (WIDTH[kind] !== width) return;
      offsets[c] = bytes;
      bytes += length * width;
    });
  }
  return { offsets, bytes };
}

function viewOf(kind: StoredKind, buffer: ArrayBuffer, offset: number, length: number): CompactColumn | Uint16Array {
  switch (kind) {
    case 'f64':
      return new Float64Array(buffer, offset, length);
    case 'i32':
      return new Int32Array(buffer, offset, length);
    case 'u32':
      return new Uint32Array(buffer, offset, length);
    case 'u16':
      return new Uint16Array(buffer, offset, length);
    case 'u8':
      return new Uint8Array(buffer, offset, length);
  }
}

/**
 * The narrowest type holding every value of `column` as it is: doubles
 * that are all whole numbers from 0 to 2^32 - 1 (not -0, not NaN) fit 32
 * bits unsigned; integers fit 16 or 8 bits unsigned when none is negative
 * and the largest fits.
 */
function narrowestKind(column: CompactColumn): StoredKind {
  if (column instanceof Uint8Array) return 'u8';
  if (column instanceof Float64Array) {
    for (let i = 0; i < column.length; i++) {
      const value = column[i]!;
      if (value >>> 0 !== value || (value === 0 && 1 / value < 0)) return 'f64';
    }
    return 'u32';
  }
  let min = 0;
  let max = 0;
  for (let i = 0; i < column.length; i++) {
    const value = column[i]!;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (min < 0) return 'i32';
  return max <= 0xff ? 'u8' : max <= 0xffff ? 'u16' : column instanceof Int32Array ? 'i32' : 'u32';
}
