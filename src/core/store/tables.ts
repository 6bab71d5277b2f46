import { Table, makeVector, tableFromArrays, tableToIPC } from 'apache-arrow';
import { nullableFloat64Vector, utf8Vector } from './arrow-columns';
import type { ConvColumns } from '../ingest/fold-observers';
import type { EdgeColumns, HourlyEdgeColumns } from '../model/hourly-edges';
import type { WholeEdgeColumns } from '../model/whole-edges';
import type { ObsColumns } from '../ingest/obs-table';

/**
 * Tables the ingest stage fills. Column order here is the order of the Arrow
 * batches too: duckdb-wasm appends Arrow by position, so one list serves both.
 */
const OBS_COLUMNS = [
  ['observer', 'UINTEGER', 'observer'],
  ['hour', 'INTEGER', 'hour'],
  ['lo', 'UINTEGER', 'lo'],
  ['lo_port', 'INTEGER', 'loPort'],
  ['hi', 'UINTEGER', 'hi'],
  ['hi_port', 'INTEGER', 'hiPort'],
  ['proto', 'UTINYINT', 'proto'],
  ['rec_lh', 'UINTEGER', 'recLH'],
  ['rec_hl', 'UINTEGER', 'recHL'],
  ['pkts_lh', 'DOUBLE', 'pktsLH'],
  ['bytes_lh', 'DOUBLE', 'bytesLH'],
  ['pkts_hl', 'DOUBLE', 'pktsHL'],
  ['bytes_hl', 'DOUBLE', 'bytesHL'],
  ['first_ms', 'DOUBLE', 'firstMs'],
  ['last_ms', 'DOUBLE', 'lastMs'],
  ['allow_n', 'UINTEGER', 'allowN'],
  ['deny_n', 'UINTEGER', 'denyN'],
  ['ev_lo', 'UINTEGER', 'evLo'],
  ['ev_hi', 'UINTEGER', 'evHi'],
  ['ev_lo_reason', 'UTINYINT', 'evLoReason'],
  ['ev_hi_reason', 'UTINYINT', 'evHiReason'],
] as const satisfies readonly (readonly [string, string, keyof ObsColumns])[];

function ddl(table: string, columns: readonly (readonly [string, string, ...unknown[]])[]): string {
  return `CREATE TABLE ${table} (${columns.map(([name, type]) => `${name} ${type}`).join(', ')})`;
}

export const INGEST_SCHEMA_SQL: readonly string[] = [
  ddl('obs', OBS_COLUMNS),
  // Conversation-hours folded across observers during ingest (see fold-observers.ts).
  'CREATE TABLE conv_in (hour INTEGER, lo UINTEGER, lo_port INTEGER, hi UINTEGER, hi_port INTEGER, proto UTINYINT, flows DOUBLE, packets DOUBLE, bytes DOUBLE, first_ms DOUBLE, last_ms DOUBLE, action UTINYINT, ev_lo DOUBLE, ev_hi DOUBLE, ev_lo_reason UTINYINT, ev_hi_reason UTINYINT)',
  'CREATE TABLE hosts (host_id UINTEGER, ip VARCHAR, sort_key VARCHAR)',
  'CREATE TABLE rejects (file_id UINTEGER, line UINTEGER, reason VARCHAR)',
  'CREATE TABLE input_files (file_id UINTEGER, path VARCHAR)',
  'CREATE TABLE server_pins (proto UTINYINT, port INTEGER)',
];

export function hostsIpc(ids: Uint32Array, ips: readonly string[], sortKeys: readonly string[]): Uint8Array {
  return tableToIPC(
    new Table({
      host_id: makeVector(ids),
      ip: utf8Vector(ips),
      sort_key: utf8Vector(sortKeys),
    }),
    'stream',
  );
}

export function rejectsIpc(fileIds: Uint32Array, lines: Uint32Array, reasons: readonly string[]): Uint8Array {
  return tableToIPC(
    new Table({
      file_id: makeVector(fileIds),
      line: makeVector(lines),
      reason: utf8Vector(reasons),
    }),
    'stream',
  );
}

/** Rows [from, to) of folded conversation-hours, in conv_in's column order. */
export function convIpc(conv: ConvColumns, from = 0, to = conv.length): Uint8Array {
  const slice = <T extends { subarray(a: number, b: number): T }>(column: T): T => column.subarray(from, to);
  return tableToIPC(
    tableFromArrays({
      hour: slice(conv.hour),
      lo: slice(conv.lo),
      lo_port: slice(conv.loPort),
      hi: slice(conv.hi),
      hi_port: slice(conv.hiPort),
      proto: slice(conv.proto),
      flows: slice(conv.flows),
      packets: slice(conv.packets),
      bytes: slice(conv.bytes),
      first_ms: slice(conv.firstMs),
      last_ms: slice(conv.lastMs),
      action: slice(conv.action),
      ev_lo: slice(conv.evLo),
      ev_hi: slice(conv.evHi),
      ev_lo_reason: slice(conv.evLoReason),
      ev_hi_reason: slice(conv.evHiReason),
    }),
    'stream',
  );
}

export function inputFilesIpc(paths: readonly string[]): Uint8Array {
  return tableToIPC(new Table({ file_id: makeVector(Uint32Array.from(paths, (_path, id) => id)), path: utf8Vector(paths) }), 'stream');
}

/** Client→server edges per hour; filled by model/hourly-edges.ts, or created by edges-sql.ts when DuckDB orients. */
export const EDGES_HOURLY_DDL =
  'CREATE TABLE edges_hourly (hour INTEGER, client UINTEGER, server UINTEGER, proto UTINYINT, port INTEGER, action UTINYINT, flows DOUBLE, packets DOUBLE, bytes DOUBLE, first_ms DOUBLE, last_ms DOUBLE, reason UTINYINT)';

/** The columns every edge table shares, rows [from, to), in table order; unknown times become NULL. */
function edgeVectors(edges: EdgeColumns, from: number, to: number) {
  const slice = <T extends { subarray(a: number, b: number): T }>(column: T): T => column.subarray(from, to);
  return {
    client: makeVector(slice(edges.client)),
    server: makeVector(slice(edges.server)),
    proto: makeVector(slice(edges.proto)),
    port: makeVector(slice(edges.port)),
    action: makeVector(slice(edges.action)),
    flows: makeVector(slice(edges.flows)),
    packets: makeVector(slice(edges.packets)),
    bytes: makeVector(slice(edges.bytes)),
    first_ms: nullableFloat64Vector(slice(edges.firstMs)),
    last_ms: nullableFloat64Vector(slice(edges.lastMs)),
    reason: makeVector(slice(edges.reason)),
  };
}

/** Rows [from, to) of hourly edges in edges_hourly's column order. */
export function hourlyEdgesIpc(edges: HourlyEdgeColumns, from = 0, to = edges.length): Uint8Array {
  return tableToIPC(new Table({ hour: makeVector(edges.hour.subarray(from, to)), ...edgeVectors(edges, from, to) }), 'stream');
}

/** The edges table as EDGES_FROM_HOURLY_SQL (edges-sql.ts) creates it, for edges grouped in memory. */
export const EDGES_DDL =
  'CREATE TABLE edges (client UINTEGER, server UINTEGER, proto UTINYINT, port INTEGER, action UTINYINT, flows DOUBLE, packets DOUBLE, bytes DOUBLE, first_ms DOUBLE, last_ms DOUBLE, reason UTINYINT, hours BIGINT)';

/** Rows [from, to) of whole-window edges in the edges table's column order. */
export function wholeEdgesIpc(edges: WholeEdgeColumns, from = 0, to = edges.length): Uint8Array {
  return tableToIPC(new Table({ ...edgeVectors(edges, from, to), hours: makeVector(edges.hours.subarray(from, to)) }), 'stream');
}

/** Edges anomaly detection flagged, as rows of the flagged_edges table. */
export function flaggedEdgesIpc(rows: readonly { client: string; server: string; proto: number; port: number; kind: string }[]): Uint8Array {
  return tableToIPC(
    new Table({
      client: utf8Vector(rows.map((row) => row.client)),
      server: utf8Vector(rows.map((row) => row.server)),
      proto: makeVector(Uint8Array.from(rows, (row) => row.proto)),
      port: makeVector(Int32Array.from(rows, (row) => row.port)),
      kind: utf8Vector(rows.map((row) => row.kind)),
    }),
    'stream',
  );
}
