import { describe, expect, it } from 'vitest';
import { COMPACT_ROW_BYTES, unpackObsRows } from '../../../src/core/ingest/obs-compact';
import { FoldScratch, ObsSpill, foldDay } from '../../../src/core/ingest/obs-spill';
import { OBS, OBS_STRIDE, type ObsRows } from '../../../src/core/ingest/obs-table';

/** Per-observer rows over three days, with keys repeated across batches (as a full merger hands them over). */
function rowsOf(seed: number, count: number): ObsRows {
  const data = new Float64Array(count * OBS_STRIDE);
  let x = seed;
  const next = (n: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  for (let row = 0; row < count; row++) {
    const b = row * OBS_STRIDE;
    data[b + OBS.observer] = next(3);
    data[b + OBS.hour] = 490_008 + next(72);
    data[b + OBS.lo] = next(4);
    data[b + OBS.loPort] = 443;
    data[b + OBS.hi] = 20 + next(4);
    data[b + OBS.hiPort] = 50_000 + next(2);
    data[b + OBS.proto] = 6;
    data[b + OBS.recLH] = next(5);
    data[b + OBS.recHL] = next(5);
    data[b + OBS.pktsLH] = next(100);
    data[b + OBS.bytesLH] = next(1e6);
    data[b + OBS.pktsHL] = next(100);
    data[b + OBS.bytesHL] = next(1e6);
    data[b + OBS.firstMs] = next(4) === 0 ? Number.NaN : next(1e9);
    data[b + OBS.lastMs] = next(4) === 0 ? Number.NaN : 1e9 + next(1e9);
    data[b + OBS.allowN] = next(3);
    data[b + OBS.denyN] = next(2);
    data[b + OBS.evLo] = next(3);
    data[b + OBS.evHi] = next(3);
    data[b + OBS.evLoReason] = next(4);
    data[b + OBS.evHiReason] = next(4);
  }
  return { length: count, data };
}

/** Rows as sorted strings: the fold's row order is not part of its result. */
function sortedRows(batches: readonly ObsRows[]): string[] {
  const out: string[] = [];
  for (const batch of batches) {
    for (let row = 0; row < batch.length; row++) out.push(Array.from(batch.data.subarray(row * OBS_STRIDE, (row + 1) * OBS_STRIDE)).join(','));
  }
  return out.sort();
}

/** Keeps the earlier known time, the later, the added counts and the stronger (lower, non-zero) reason of `from` in `into`. */
function combineShared(into: Float64Array, from: Float64Array, f: number): void {
  const first = from[f + OBS.firstMs]!;
  const last = from[f + OBS.lastMs]!;
  if (!Number.isNaN(first) && (Number.isNaN(into[OBS.firstMs]!) || first < into[OBS.firstMs]!)) into[OBS.firstMs] = first;
  if (!Number.isNaN(last) && (Number.isNaN(into[OBS.lastMs]!) || last > into[OBS.lastMs]!)) into[OBS.lastMs] = last;
  for (const field of [OBS.allowN, OBS.denyN, OBS.evLo, OBS.evHi]) into[field]! += from[f + field]!;
  for (const field of [OBS.evLoReason, OBS.evHiReason]) {
    const reason = from[f + field]!;
    if (reason !== 0 && (into[field] === 0 || reason < into[field]!)) into[field] = reason;
  }
}

/**
 * The reference, written apart from the engine's tables: every row added
 * up per (observer, hour, conversation), then folded across observers (the
 * larger per-direction count wins, the rest combines), in one go.
 */
function mergeThenFold(batches: readonly ObsRows[]): ObsRows {
  const DIRECTION_COUNTS = [OBS.recLH, OBS.recHL, OBS.pktsLH, OBS.bytesLH, OBS.pktsHL, OBS.bytesHL];
  const fresh = (from: Float64Array, f: number, observer: number): Float64Array => {
    const row = new Float64Array(OBS_STRIDE);
    row.set(from.subarray(f, f + OBS.proto + 1));
    row[OBS.observer] = observer;
    row[OBS.firstMs] = Number.NaN;
    row[OBS.lastMs] = Number.NaN;
    return row;
  };
  const keyOf = (d: Float64Array, f: number, observer: number): string => [observer, ...d.subarray(f + OBS.hour, f + OBS.proto + 1)].join(',');
  const perObserver = new Map<string, Float64Array>();
  for (const { length, data } of batches) {
    for (let f = 0; f < length * OBS_STRIDE; f += OBS_STRIDE) {
      const key = keyOf(data, f, data[f + OBS.observer]!);
      let row = perObserver.get(key);
      if (row === undefined) perObserver.set(key, (row = fresh(data, f, data[f + OBS.observer]!)));
      for (const field of DIRECTION_COUNTS) row[field]! += data[f + field]!;
      combineShared(row, data, f);
    }
  }
  const folded = new Map<string, Float64Array>();
  for (const each of perObserver.values()) {
    const key = keyOf(each, 0, 0);
    let row = folded.get(key);
    if (row === undefined) folded.set(key, (row = fresh(each, 0, 0)));
    for (const field of DIRECTION_COUNTS) row[field] = Math.max(row[field]!, each[field]!);
    combineShared(row, each, 0);
  }
  const data = new Float64Array(folded.size * OBS_STRIDE);
  [...folded.values()].forEach((row, i) => data.set(row, i * OBS_STRIDE));
  return { length: folded.size, data };
}

/** ES2024's ArrayBuffer.prototype.resizable (the project's lib is ES2023; Node 20 has it). */
function isResizable(buffer: ArrayBuffer): boolean {
  return (buffer as { readonly resizable?: boolean }).resizable === true;
}

describe('ObsSpill', () => {
  it('folds rows spilled in several batches, day by day, exactly as one merge of all of them', () => {
    const batches = [rowsOf(1, 4000), rowsOf(2, 3000), rowsOf(3, 5000)];
    const expected = sortedRows([mergeThenFold(batches)]);

    const spill = new ObsSpill();
    for (const batch of batches) spill.add(batch);
    expect(spill.size).toBe(12_000);
    const days = spill.takeDays();
    expect(days.length).toBe(3);
    // Each day holds a chunk of every batch, in the order they came.
    expect(days.map((day) => day.length)).toEqual([3, 3, 3]);
    const folded = days.map((day) => unpackObsRows(foldDay(day)));
    // Keys repeat within and across batches (6,912 keys, 12,000 rows): a fold per batch would differ.
    expect(expected.length).toBeLessThan(12_000 / 2);
    expect(sortedRows(folded)).toEqual(expected);
    expect(spill.size).toBe(0);
  });

  it('holds spilled rows narrowed in page-backed buffers, and folds a day into a plain buffer of the result\'s size', () => {
    const spill = new ObsSpill();
    spill.add(rowsOf(4, 300));
    spill.add(rowsOf(5, 900));
    const day = spill.takeDays()[0]!;
    // Resizable buffers come from the page allocator: dropped after the fold, their memory goes back to the system.
    expect(day.every((chunk) => isResizable(chunk.buffer) && chunk.buffer.byteLength < chunk.length * COMPACT_ROW_BYTES)).toBe(true);
    const folded = foldDay(day);
    expect(isResizable(folded.buffer)).toBe(false);
    expect(folded.buffer.byteLength).toBe(folded.length * COMPACT_ROW_BYTES);
    const firstDay = sortedRows([mergeThenFold([rowsOf(4, 300), rowsOf(5, 900)])]).filter((row) => Number(row.split(',')[OBS.hour]) < 490_008 + 24);
    expect(sortedRows([unpackObsRows(folded)])).toEqual(firstDay);
  });

  it('folds each day alike whether its scratch copy is fresh or left larger by an earlier day', () => {
    const spill = new ObsSpill();
    spill.add(rowsOf(6, 6000));
    spill.add(rowsOf(8, 50));
    const days = spill.takeDays();
    const fresh = days.map((day) => sortedRows([unpackObsRows(foldDay(day))]));
    const scratch = new FoldScratch();
    // The largest chunk first, so that later, smaller chunks are read from a copy with stale rows past their end.
    const order = days.map((_, i) => i).sort((a, b) => Math.max(...days[b]!.map((c) => c.length)) - Math.max(...days[a]!.map((c) => c.length)));
    for (const i of order) expect(sortedRows([unpackObsRows(foldDay(days[i]!, scratch))])).toEqual(fresh[i]);
  });
});
