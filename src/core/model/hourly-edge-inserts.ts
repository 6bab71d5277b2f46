import type { SqlPort } from '../store/sql-port';
import { hourlyEdgesIpc } from '../store/tables';
import type { HourlyEdgeColumns } from './hourly-edges';

/**
 * Hands hourly edges to DuckDB in batches of about `batchRows` rows. Each
 * Arrow append into duckdb-wasm has a fixed cost of several milliseconds,
 * so a month of small days appended one by one cost two to five times as
 * much as the same rows in one batch (bench:ingest's 30 days' 684,519 hourly
 * edges, repeated in one process: 0.32-0.98 s against 0.19 s). Days are gathered until the next would pass `batchRows`, so at
 * most `batchRows` rows, or one day when a day is larger, wait here.
 */
export class HourlyEdgeInserts {
  private pending: HourlyEdgeColumns[] = [];
  private pendingRows = 0;

  constructor(
    private readonly db: SqlPort,
    private readonly batchRows: number,
  ) {}

  async add(hourly: HourlyEdgeColumns): Promise<void> {
    if (this.pendingRows > 0 && this.pendingRows + hourly.length > this.batchRows) await this.flush();
    this.pending.push(hourly);
    this.pendingRows += hourly.length;
  }

  /** Appends everything gathered, in the order it was added. */
  async flush(): Promise<void> {
    const rows = concatHourlyEdges(this.pending);
    this.pending = [];
    this.pendingRows = 0;
    for (let from = 0; from < rows.length; from += this.batchRows) {
      await this.db.insertArrow('edges_hourly', hourlyEdgesIpc(rows, from, Math.min(rows.length, from + this.batchRows)));
    }
  }
}

/** The parts one after another, as one set of columns (the part itself when there is one). */
export function concatHourlyEdges(parts: readonly HourlyEdgeColumns[]): HourlyEdgeColumns {
  if (parts.length === 1) return parts[0]!;
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const join = <T extends Int32Array | Uint32Array | Uint8Array | Float64Array>(columnOf: (part: HourlyEdgeColumns) => T, Column: new (length: number) => T): T => {
    const column = new Column(length);
    let at = 0;
    for (const part of parts) {
      column.set(columnOf(part).subarray(0, part.length), at);
      at += part.length;
    }
    return column;
  };
  return {
    length,
    hour: join((part) => part.hour, Int32Array),
    client: join((part) => part.client, Uint32Array),
    server: join((part) => part.server, Uint32Array),
    proto: join((part) => part.proto, Uint8Array),
    port: join((part) => part.port, Int32Array),
    action: join((part) => part.action, Uint8Array),
    flows: join((part) => part.flows, Float64Array),
    packets: join((part) => part.packets, Float64Array),
    bytes: join((part) => part.bytes, Float64Array),
    firstMs: join((part) => part.firstMs, Float64Array),
    lastMs: join((part) => part.lastMs, Float64Array),
    reason: join((part) => part.reason, Uint8Array),
  };
}
