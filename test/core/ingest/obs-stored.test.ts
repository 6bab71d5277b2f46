import { describe, expect, it } from 'vitest';
import { HOUR_UNKNOWN } from '../../../src/core/ingest/door';
import { COMPACT_ROW_BYTES, packObsRows, unpackObsRows } from '../../../src/core/ingest/obs-compact';
import { storeObsRows, widenObsRows } from '../../../src/core/ingest/obs-stored';
import { OBS, OBS_STRIDE, type ObsField, type ObsRows } from '../../../src/core/ingest/obs-table';

function rows(values: readonly (readonly number[])[]): ObsRows {
  const data = new Float64Array(values.length * OBS_STRIDE);
  values.forEach((row, i) => data.set(row, i * OBS_STRIDE));
  return { length: values.length, data };
}

function isResizable(buffer: ArrayBuffer): boolean {
  return (buffer as { readonly resizable?: boolean }).resizable === true;
}

/** Small ids, ports and counts, as most conversation-hours have. */
const SMALL_ROW = [3, 490_000, 10, 443, 11, 50_123, 6, 5, 4, 40, 4_000, 30, 3_000, 1_764_000_000_123, 1_764_000_060_456, 9, 0, 2, 0, 3, 0];
/** Every field at the edge of its compact column: largest ids, unknown hour and times, no port, bytes past 2^32, a fraction. */
const EDGE_ROW = [2 ** 32 - 1, HOUR_UNKNOWN, 2 ** 32 - 2, -1, 7, 65_535, 255, 2 ** 32 - 1, 0, 2 ** 40 + 3, 2 ** 52 + 1, 0.5, 123_456_789_012, Number.NaN, Number.NaN, 1, 2, 3, 4, 255, 9];

function kindsByField(kinds: readonly string[]): Record<string, string> {
  const order: ObsField[] = ['pktsLH', 'bytesLH', 'pktsHL', 'bytesHL', 'firstMs', 'lastMs', 'observer', 'hour', 'lo', 'loPort', 'hi', 'hiPort', 'recLH', 'recHL', 'allowN', 'denyN', 'evLo', 'evHi', 'proto', 'evLoReason', 'evHiReason'];
  return Object.fromEntries(order.map((field, c) => [field, kinds[c]!]));
}

describe('stored obs rows', () => {
  it('narrow each column to the smallest type that holds all its values, in a page-backed buffer, and widen back exactly', () => {
    const source = rows([SMALL_ROW, SMALL_ROW.map((value, field) => (field === OBS.observer ? 300 : field === OBS.pktsLH ? 2 ** 32 - 1 : value))]);
    const stored = storeObsRows(packObsRows(source));
    const kinds = kindsByField(stored.kinds);
    expect(kinds).toMatchObject({ observer: 'u16', lo: 'u8', loPort: 'u16', hiPort: 'u16', hour: 'i32', pktsLH: 'u32', bytesLH: 'u32', firstMs: 'f64', recLH: 'u8', proto: 'u8' });
    expect(isResizable(stored.buffer)).toBe(true);
    expect(stored.buffer.byteLength).toBeLessThan(2 * COMPACT_ROW_BYTES * 0.65);
    const back = widenObsRows(stored);
    expect(isResizable(back.buffer)).toBe(false);
    expect(Array.from(unpackObsRows(back).data)).toEqual(Array.from(source.data));
  });

  it('keep a column wide, for its chunk alone, when one value needs it: no port (-1), NaN, fractions, -0, past 32 bits', () => {
    const negativeZero = SMALL_ROW.map((value, field) => (field === OBS.pktsHL ? -0 : value));
    const source = rows([SMALL_ROW, EDGE_ROW, negativeZero]);
    const stored = storeObsRows(packObsRows(source));
    expect(kindsByField(stored.kinds)).toMatchObject({ observer: 'u32', loPort: 'i32', hiPort: 'u16', bytesLH: 'f64', pktsHL: 'f64', bytesHL: 'f64', recLH: 'u32' });
    const back = unpackObsRows(widenObsRows(stored)).data;
    expect(Array.from(back)).toEqual(Array.from(source.data));
    expect(Object.is(back[2 * OBS_STRIDE + OBS.pktsHL], -0)).toBe(true);
    const other = storeObsRows(packObsRows(rows([SMALL_ROW])));
    expect(kindsByField(other.kinds)).toMatchObject({ observer: 'u8', loPort: 'u16', bytesLH: 'u32' });
  });

  it('widen into a scratch buffer when it is large enough, leaving bytes past the rows alone', () => {
    const small = storeObsRows(packObsRows(rows([SMALL_ROW])));
    const scratch = new ArrayBuffer(5 * COMPACT_ROW_BYTES);
    new Uint8Array(scratch).fill(0xaa);
    const back = widenObsRows(small, scratch);
    expect(back.buffer).toBe(scratch);
    expect(Array.from(unpackObsRows(back).data)).toEqual(SMALL_ROW);
    expect(new Uint8Array(scratch, COMPACT_ROW_BYTES).every((byte) => byte === 0xaa)).toBe(true);
    expect(widenObsRows(storeObsRows(packObsRows(rows([SMALL_ROW, SMALL_ROW, SMALL_ROW, SMALL_ROW, SMALL_ROW, SMALL_ROW]))), scratch).buffer).not.toBe(scratch);
  });
});
