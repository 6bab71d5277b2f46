import { describe, expect, it, vi } from 'vitest';
import { concatHourlyEdges, HourlyEdgeInserts } from '../../../src/core/model/hourly-edge-inserts';
import type { HourlyEdgeColumns } from '../../../src/core/model/hourly-edges';
import { openNodeDuckDb } from '../../../src/core/node/duckdb-wasm-node';
import { EDGES_HOURLY_DDL } from '../../../src/core/store/tables';

/** `length` hourly edges whose hours run from `firstHour`; every column carries a value derived from the hour. */
function hourlyRun(firstHour: number, length: number): HourlyEdgeColumns {
  const at = (f: (hour: number) => number) => Array.from({ length }, (_, i) => f(firstHour + i));
  return {
    length,
    hour: Int32Array.from(at((h) => h)),
    client: Uint32Array.from(at((h) => h % 7)),
    server: Uint32Array.from(at((h) => 100 + (h % 5))),
    proto: Uint8Array.from(at((h) => (h % 2 === 0 ? 6 : 17))),
    port: Int32Array.from(at((h) => (h % 3 === 0 ? -1 : 443))),
    action: Uint8Array.from(at((h) => h % 3)),
    flows: Float64Array.from(at((h) => h + 0.5)),
    packets: Float64Array.from(at((h) => 2 * h)),
    bytes: Float64Array.from(at((h) => 2 ** 40 + h)),
    firstMs: Float64Array.from(at((h) => (h % 4 === 0 ? Number.NaN : h * 3_600_000))),
    lastMs: Float64Array.from(at((h) => h * 3_600_000 + 59_000)),
    reason: Uint8Array.from(at((h) => h % 6)),
  };
}

function rowsOf(edges: HourlyEdgeColumns): number[][] {
  return Array.from({ length: edges.length }, (_, row) => [
    edges.hour[row]!, edges.client[row]!, edges.server[row]!, edges.proto[row]!, edges.port[row]!, edges.action[row]!,
    edges.flows[row]!, edges.packets[row]!, edges.bytes[row]!, edges.firstMs[row]!, edges.lastMs[row]!, edges.reason[row]!,
  ]);
}

describe('concatHourlyEdges', () => {
  it('puts the parts one after another, every column in its own type', () => {
    const parts = [hourlyRun(0, 3), hourlyRun(10, 0), hourlyRun(20, 4)];
    const joined = concatHourlyEdges(parts);
    expect(joined.length).toBe(7);
    expect(rowsOf(joined)).toEqual(parts.flatMap(rowsOf));
    expect(joined.bytes).toBeInstanceOf(Float64Array);
    expect(joined.client).toBeInstanceOf(Uint32Array);
    expect(joined.port).toBeInstanceOf(Int32Array);
  });

  it('reads only the first `length` rows of a part whose arrays are longer', () => {
    const long = hourlyRun(0, 5);
    const part = { ...long, length: 2 };
    expect(rowsOf(concatHourlyEdges([part, hourlyRun(9, 1)]))).toEqual([...rowsOf(long).slice(0, 2), ...rowsOf(hourlyRun(9, 1))]);
  });
});

describe('HourlyEdgeInserts', () => {
  it('gathers small days into one append, splits a large one, and keeps every row in order', async () => {
    const db = await openNodeDuckDb();
    try {
      await db.run(EDGES_HOURLY_DDL);
      const appends = vi.spyOn(db, 'insertArrow');
      const inserts = new HourlyEdgeInserts(db, 8);
      const days = [hourlyRun(0, 3), hourlyRun(24, 4), hourlyRun(48, 19), hourlyRun(72, 1), hourlyRun(96, 0)];
      for (const day of days) await inserts.add(day);
      // 3 + 4 wait; 19 would pass 8, so those 7 go first; the 19 wait alone and go as 8 + 8 + 3 once the next day comes.
      expect(appends).toHaveBeenCalledTimes(4);
      await inserts.flush();
      expect(appends).toHaveBeenCalledTimes(5);
      const stored = await db.all<Record<string, number | null>>('SELECT * FROM edges_hourly');
      expect(stored.map((row) => [row.hour, row.client, row.server, row.proto, row.port, row.action, row.flows, row.packets, row.bytes, row.first_ms ?? Number.NaN, row.last_ms, row.reason])).toEqual(days.flatMap(rowsOf));
    } finally {
      await db.close();
    }
  });

  it('appends nothing for a flush with nothing gathered', async () => {
    const db = await openNodeDuckDb();
    try {
      const appends = vi.spyOn(db, 'insertArrow');
      await new HourlyEdgeInserts(db, 8).flush();
      expect(appends).not.toHaveBeenCalled();
    } finally {
      await db.close();
    }
  });
});
