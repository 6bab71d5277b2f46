import { describe, expect, it } from 'vitest';
import { HOUR_UNKNOWN } from '../../../src/core/ingest/door';
import { COMPACT_ROW_BYTES, obsColumnRows, packObsRows, packObsTable, unpackObsRows } from '../../../src/core/ingest/obs-compact';
import { OBS, OBS_STRIDE, ObsTable, type ObsRows } from '../../../src/core/ingest/obs-table';

function rows(values: readonly (readonly number[])[]): ObsRows {
  const data = new Float64Array(values.length * OBS_STRIDE);
  values.forEach((row, i) => data.set(row, i * OBS_STRIDE));
  return { length: values.length, data };
}

/** A row with every field at the edge of its column: largest ids, unknown hour and times, no port, bytes past 2^32. */
const EDGE_ROW = [2 ** 32 - 1, HOUR_UNKNOWN, 2 ** 32 - 2, -1, 7, 65_535, 255, 2 ** 32 - 1, 0, 2 ** 40 + 3, 2 ** 52 + 1, 0.5, 123_456_789_012, Number.NaN, Number.NaN, 1, 2, 3, 4, 255, 9];
const PLAIN_ROW = [3, 490_000, 10, 443, 11, 50_123, 6, 5, 4, 40, 4_000, 30, 3_000, 1_764_000_000_123, 1_764_000_060_456, 9, 0, 2, 0, 3, 0];

describe('compact obs rows', () => {
  it('hold every value exactly, in fewer bytes than the obs layout', () => {
    const source = rows([PLAIN_ROW, EDGE_ROW, PLAIN_ROW.map((value, field) => (field === OBS.hour ? 490_001 : value))]);
    const back = unpackObsRows(packObsRows(source));
    expect(Array.from(back.data)).toEqual(Array.from(source.data));
    expect(COMPACT_ROW_BYTES).toBeLessThan((OBS_STRIDE * 8) * 0.6);
  });

  it('pack only the rows picked, in the order picked', () => {
    const source = rows([PLAIN_ROW, EDGE_ROW]);
    const back = unpackObsRows(packObsRows(source, [1]));
    expect(back.length).toBe(1);
    expect(Array.from(back.data)).toEqual(Array.from(source.data.subarray(OBS_STRIDE)));
  });

  it('refuse a value their column cannot hold rather than store a wrong one', () => {
    const tooMany = PLAIN_ROW.map((value, field) => (field === OBS.recLH ? 2 ** 32 : value));
    expect(() => packObsRows(rows([tooMany]), [0])).toThrow(/recLH value 4294967296 does not fit/);
    const fraction = PLAIN_ROW.map((value, field) => (field === OBS.allowN ? 1.5 : value));
    expect(() => packObsRows(rows([fraction]), [0])).toThrow(/allowN/);
  });

  it('pack a table in slot order into a buffer of its size, read back as columns', () => {
    const packed = packObsTable(tableOf([EDGE_ROW, PLAIN_ROW]));
    expect(packed.length).toBe(2);
    expect(packed.buffer.byteLength).toBe(2 * COMPACT_ROW_BYTES);
    expect(Array.from(unpackObsRows(packed).data)).toEqual([...EDGE_ROW, ...PLAIN_ROW]);
    const columns = obsColumnRows(packed);
    expect(columns.length).toBe(2);
    expect(Array.from(columns.hiPort)).toEqual([65_535, 50_123]);
    expect(Array.from(columns.bytesLH)).toEqual([2 ** 52 + 1, 4_000]);
  });

  it('read rows from the start of a buffer larger than they need (a reused scratch copy)', () => {
    const packed = packObsRows(rows([PLAIN_ROW, EDGE_ROW]));
    const roomy = new ArrayBuffer(packed.buffer.byteLength * 3);
    new Uint8Array(roomy).set(new Uint8Array(packed.buffer));
    expect(Array.from(unpackObsRows({ length: 2, buffer: roomy }).data)).toEqual([...PLAIN_ROW, ...EDGE_ROW]);
  });

  it('refuse, from a table too, a value an integer column cannot hold', () => {
    expect(() => packObsTable(tableOf([PLAIN_ROW.map((value, field) => (field === OBS.denyN ? Number.NaN : value))]))).toThrow(/denyN value NaN/);
  });
});

/** A table holding these rows (in the obs layout), in order. */
function tableOf(values: readonly (readonly number[])[]): ObsTable {
  const table = new ObsTable(values.length);
  for (const row of values) {
    const slot = table.slot(row[OBS.observer]!, row[OBS.hour]!, row[OBS.lo]!, row[OBS.loPort]!, row[OBS.hi]!, row[OBS.hiPort]!, row[OBS.proto]!);
    table.segment(slot).set(row, (slot & 0xffff) * OBS_STRIDE);
  }
  return table;
}
