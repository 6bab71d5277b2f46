import type { FlowRecord } from '../../flow/record';
import { RowError } from '../row-error';
import { isObject, parseJsonLine } from './json-fields';
import {
  CANONICAL_NAMES,
  CONN_ALIASES,
  CONN_FIELDS,
  CONN_ONLY_COLUMNS,
  INTERFACE_COLUMN,
  OBSERVER_COLUMNS,
  joinObserver,
  readConn,
  type ConnField,
  type ConnValues,
} from './zeek-fields';

/**
 * Zeek conn records as JSON lines: LogAscii::use_json (flat "id.orig_h"
 * keys, float or ISO ts, true/false booleans), brim/zui exports that mix
 * every log with "_path", and shippers that nest the tuple as id: {orig_h…}.
 */

/** Where a nested `id` object keeps each tuple field. */
const NESTED_ID: Partial<Record<ConnField, string>> = {
  origH: 'orig_h',
  origP: 'orig_p',
  respH: 'resp_h',
  respP: 'resp_p',
};

export function isConnPath(path: string): boolean {
  if (!path.startsWith('conn')) return false;
  if (path.length === 4) return true;
  // Filters that split conn.log keep the stem: conn_long, conn-internal.
  const next = path.charCodeAt(4);
  return next === 95 /* _ */ || next === 45 /* - */ || next === 46 /* . */;
}

/** A JSON value as conn text: numbers as written; null, '-' and '(empty)' as unset. */
function jsonText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value === '' || value === '-' || value === '(empty)' ? undefined : value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RowError(field, 'not a number', String(value));
    return String(value);
  }
  if (typeof value === 'bigint') return String(value);
  throw new RowError(field, 'expected a string or number', JSON.stringify(value));
}

function pick(object: Record<string, unknown>, field: ConnField): unknown {
  for (const alias of CONN_ALIASES[field]) {
    const value = object[alias];
    if (value !== undefined) return value;
  }
  const nested = NESTED_ID[field];
  if (nested !== undefined) {
    const id = object.id;
    if (isObject(id)) return id[nested];
  }
  return undefined;
}

function hasConnOnlyKey(object: Record<string, unknown>): boolean {
  for (const key of CONN_ONLY_COLUMNS) if (object[key] !== undefined) return true;
  return false;
}

/** Reads one JSON line into `record`; throws RowError for records that are not conn flows. */
export function readJsonConn(line: string, values: ConnValues, record: FlowRecord): void {
  const object = parseJsonLine(line);
  if (!isObject(object)) throw new RowError('', 'not a JSON object');
  const path = object._path;
  if (path !== undefined) {
    if (typeof path !== 'string' || !isConnPath(path)) {
      throw new RowError('_path', 'record of another Zeek log, not conn', String(path));
    }
  } else if (!hasConnOnlyKey(object)) {
    throw new RowError('', 'not a Zeek conn record (no _path, conn_state or packet counters)');
  }
  for (const field of CONN_FIELDS) values[field] = jsonText(pick(object, field), CANONICAL_NAMES[field]);
  let sensor: string | undefined;
  for (const key of OBSERVER_COLUMNS) {
    sensor = jsonText(object[key], key);
    if (sensor !== undefined) break;
  }
  values.observer = joinObserver(sensor, jsonText(object[INTERFACE_COLUMN], INTERFACE_COLUMN));
  readConn(values, CANONICAL_NAMES, record);
}

/**
 * How sure a JSON line is a Zeek record: 1 for a conn record, 0.8 for a
 * record of another Zeek log (its rows are then rejected one by one, which
 * says more than "unknown format"), 0 otherwise.
 */
export function zeekJsonScore(line: string): number {
  let object: unknown;
  try {
    object = JSON.parse(line);
  } catch {
    return 0;
  }
  if (!isObject(object)) return 0;
  const path = object._path;
  if (typeof path === 'string' && (object._write_ts !== undefined || object.ts !== undefined)) {
    return isConnPath(path) ? 1 : 0.8;
  }
  const hasTuple = pick(object, 'origH') !== undefined && pick(object, 'respH') !== undefined;
  if (!hasTuple || object.ts === undefined) return 0;
  return hasConnOnlyKey(object) && object.proto !== undefined ? 1 : 0;
}
