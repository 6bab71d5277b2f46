import { Table, makeVector, tableFromArrays, tableToIPC } from 'apache-arrow';
import { utf8Vector } from './arrow-columns';
import type { ObsColumns } from '../ingest/obs-table';

/**
 * Tables the ingest stage fills. Column order here is the order of the Arrow
 * batches too: duckdb-wasm appends Arrow by position, so one list serves both.
 */
const OBS_COLUMNS = [
  ['observer', 'UINTEGER'],
  ['hour', 'INTEGER'],
  ['lo', 'UINTEGER'],
  ['lo_port', 'INTEGER'],
  ['hi', 'UINTEGER'],
  ['hi_port', 'INTEGER'],
  ['proto', 'UTINYINT'],
  ['rec_lh', 'UINTEGER'],
  ['rec_hl', 'UINTEGER'],
  ['pkts_lh', 'DOUBLE'],
  ['bytes_lh', 'DOUBLE'],
  ['pkts_hl', 'DOUBLE'],
  ['bytes_hl', 'DOUBLE'],
  ['first_ms', 'DOUBLE'],
  ['last_ms', 'DOUBLE'],
  ['allow_n', 'UINTEGER'],
  ['deny_n', 'UINTEGER'],
  ['ev_lo', 'UINTEGER'],
  ['ev_hi', 'UINTEGER'],
  ['ev_reason', 'UTINYINT'],
] as const;

const OBS_FIELDS: Record<(typeof OBS_COLUMNS)[number][0], Exclude<keyof ObsColumns, 'length'>> = {
  observer: 'observer',
  hour: 'hour',
  lo: 'lo',
  lo_port: 'loPort',
  hi: 'hi',
  hi_port: 'hiPort',
  proto: 'proto',
  rec_lh: 'recLH',
  rec_hl: 'recHL',
  pkts_lh: 'pktsLH',
  bytes_lh: 'bytesLH',
  pkts_hl: 'pktsHL',
  bytes_hl: 'bytesHL',
  first_ms: 'firstMs',
  last_ms: 'lastMs',
  allow_n: 'allowN',
  deny_n: 'denyN',
  ev_lo: 'evLo',
  ev_hi: 'evHi',
  ev_reason: 'evReason',
};

function ddl(table: string, columns: readonly (readonly [string, string])[]): string {
  return `CREATE TABLE ${table} (${columns.map(([name, type]) => `${name} ${type}`).join(', ')})`;
}

export const INGEST_SCHEMA_SQL: readonly string[] = [
  ddl('obs', OBS_COLUMNS),
  'CREATE TABLE hosts (host_id UINTEGER, ip VARCHAR, sort_key VARCHAR)',
  'CREATE TABLE rejects (file_id UINTEGER, line UINTEGER, reason VARCHAR)',
  'CREATE TABLE server_pins (proto UTINYINT, port INTEGER)',
];

/** Rows [from, to) of door aggregates as an Arrow IPC stream in the obs table's column order. */
export function obsIpc(rows: ObsColumns, from = 0, to = rows.length): Uint8Array {
  const columns: Record<string, Uint32Array> = {};
  for (const [name] of OBS_COLUMNS) columns[name] = (rows[OBS_FIELDS[name]] as Uint32Array).subarray(from, to);
  return tableToIPC(tableFromArrays(columns), 'stream');
}

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
