import { DIRECTION_REASON_NAMES } from '../../flow/record';
import { canonicalIp } from '../../net/ip';
import { EDGE_FILE_COLUMNS, type EdgeFileColumn } from '../../pushdown/edge-file-columns';
import { HOUR_UNKNOWN, MS_PER_HOUR } from '../door';
import type { LineFormat, SniffSample, TabularSupport } from '../format';
import { FormatError, RowError } from '../row-error';

/**
 * flowfence-edges: the result of a pushdown query (pushdown/edge-plan.ts),
 * as a warehouse exports it: CSV with a header naming EDGE_FILE_COLUMNS in
 * any order (quoted or not, as Athena, BigQuery, ClickHouse and Log
 * Analytics write them; NULL as empty, \N, NULL or -), or Parquet with the
 * same columns. Each row is one client→server edge and hour, already
 * oriented: it goes into edges_hourly as it is (flowfence-edges-store.ts),
 * never through the door and the orientation again. Every row carries the
 * query's digest and source; they must be the same in every row, and the
 * file's report keeps them as its provenance.
 */

export interface EdgeFileRow {
  readonly hour: number;
  readonly client: string;
  readonly server: string;
  readonly proto: number;
  readonly port: number;
  readonly action: number;
  readonly flows: number;
  readonly packets: number;
  readonly bytes: number;
  /** NaN when unknown. */
  readonly firstMs: number;
  readonly lastMs: number;
  readonly reason: number;
  readonly querySha256: string;
  readonly source: string;
}

/** Splits one CSV line (RFC 4180 quoting, no line breaks inside fields: none of these values has one). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) throw new RowError('', 'a quoted field is not closed');
        value += line.slice(i, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      fields.push(value);
      if (i >= line.length) return fields;
      if (line[i] !== ',') throw new RowError('', 'text after a quoted field');
      i++;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}

/** Where each column is, from a header's names; null when they are not this format's. */
export function edgeColumnsOf(names: readonly string[]): Record<EdgeFileColumn, number> | null {
  const lower = names.map((name) => name.trim().toLowerCase());
  const at = {} as Record<EdgeFileColumn, number>;
  for (const column of EDGE_FILE_COLUMNS) {
    const index = lower.indexOf(column);
    if (index < 0) return null;
    at[column] = index;
  }
  return at;
}

const NULLS = new Set(['', '\\N', 'NULL', 'null', '-']);
const INTEGER = /^-?\d{1,16}(\.0+)?$/;
const DIGEST = /^[0-9a-f]{64}$/;
const MAX_REASON = DIRECTION_REASON_NAMES.length - 1;

function integer(values: readonly string[], index: number, field: string, lowest: number, highest: number): number {
  const text = values[index] ?? '';
  if (!INTEGER.test(text)) throw new RowError(field, NULLS.has(text) ? 'missing' : 'not an integer', text);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < lowest || value > highest) throw new RowError(field, `out of range (${lowest}–${highest})`, text);
  return value;
}

function optionalTime(values: readonly string[], index: number, field: string): number {
  return NULLS.has(values[index] ?? '') ? Number.NaN : integer(values, index, field, 0, 4_102_444_800_000);
}

function address(values: readonly string[], index: number, field: string): string {
  const text = values[index] ?? '';
  const canonical = canonicalIp(text);
  if (canonical === null) throw new RowError(field, NULLS.has(text) ? 'missing address' : 'not an IPv4 or IPv6 address', text);
  return canonical;
}

/**
 * Reads one row's values (in the file's column order) into an edge, or
 * throws RowError naming the field. `first` is the file's first accepted
 * row: every later one must name the same query and source.
 */
export function readEdgeRow(values: readonly string[], at: Record<EdgeFileColumn, number>, first: EdgeFileRow | null): EdgeFileRow {
  const hour = integer(values, at.hour, 'hour', HOUR_UNKNOWN, 2 ** 31 - 1);
  const firstMs = optionalTime(values, at.first_ms, 'first_ms');
  const lastMs = optionalTime(values, at.last_ms, 'last_ms');
  if (Number.isNaN(firstMs) !== Number.isNaN(lastMs)) throw new RowError('last_ms', 'known only with first_ms');
  if (hour === HOUR_UNKNOWN ? !Number.isNaN(firstMs) : Number.isNaN(firstMs) || Math.floor(firstMs / MS_PER_HOUR) !== hour) {
    throw new RowError('hour', 'not the hour of first_ms', values[at.hour]);
  }
  if (lastMs < firstMs) throw new RowError('last_ms', 'before first_ms', values[at.last_ms]);
  const querySha256 = (values[at.query_sha256] ?? '').trim();
  if (!DIGEST.test(querySha256)) throw new RowError('query_sha256', 'not a SHA-256 in hex', querySha256);
  const source = values[at.source] ?? '';
  if (source.trim() === '') throw new RowError('source', 'missing');
  if (first !== null && querySha256 !== first.querySha256) throw new RowError('query_sha256', `differs from the first row's ${first.querySha256}: rows of another query`, querySha256);
  if (first !== null && source !== first.source) throw new RowError('source', `differs from the first row's "${first.source}"`, source);
  return {
    hour,
    client: address(values, at.client, 'client'),
    server: address(values, at.server, 'server'),
    proto: integer(values, at.proto, 'proto', 0, 255),
    port: integer(values, at.port, 'port', -1, 65535),
    action: integer(values, at.action, 'action', 0, 2),
    flows: integer(values, at.flows, 'flows', 0, Number.MAX_SAFE_INTEGER),
    packets: integer(values, at.packets, 'packets', 0, Number.MAX_SAFE_INTEGER),
    bytes: integer(values, at.bytes, 'bytes', 0, Number.MAX_SAFE_INTEGER),
    firstMs,
    lastMs,
    reason: integer(values, at.reason, 'reason', 1, MAX_REASON),
    querySha256,
    source,
  };
}

/** A header line naming every column (a byte-order mark and quotes aside). */
export function isEdgeHeader(line: string): boolean {
  try {
    return edgeColumnsOf(csvFields(line.replace(/^\uFEFF/, ''))) !== null;
  } catch {
    return false;
  }
}

const NOT_FLOWS =
  'a flowfence-edges file holds hourly edges a pushdown query already built, not flow records: it is loaded beside the flows (loadEdgeFiles), not parsed as one';

/**
 * The registry's entry: recognised by its header (so no other format, nor
 * an enrichment sniffer, claims it), and refused whole by the flow record
 * path with a message saying why, for hosts that have not routed it to
 * loadEdgeFiles.
 */
export const flowfenceEdgesFormat: LineFormat & TabularSupport = {
  id: 'flowfence-edges',
  kind: 'lines',
  description: 'Flowfence hourly edges from a pushdown query (CSV or Parquet)',
  sniff: (sample: SniffSample) => (sample.lines[0] !== undefined && isEdgeHeader(sample.lines[0]) ? 1 : 0),
  createParser: () => ({
    parseLine: () => {
      throw new FormatError(NOT_FLOWS);
    },
  }),
  tabularReader: (columns) =>
    edgeColumnsOf(columns) === null
      ? null
      : () => {
          throw new FormatError(NOT_FLOWS);
        },
};
