import { DataType, Field, Float64, Int16, List, Table, makeData, makeVector, tableFromIPC, tableToIPC, type Vector } from 'apache-arrow';
import type { ProfileEdge } from '../discover/host-features';
import type { AddressScope } from '../enrich/address-scope';
import type { PolicyEdge, PolicyHost } from '../policy/policy-input';
import { nullableFloat64Vector, utf8Vector } from '../store/arrow-columns';

/**
 * The workspace's large tables as Arrow IPC files: the edges rules are
 * learned from and replayed on, the edges discovery profiled, and the
 * hosts. Columns are built from typed arrays (no Arrow builders, which
 * compile code the app's Content-Security-Policy forbids). Reading checks
 * every column is there with its type, so a damaged file fails with a
 * message instead of giving wrong numbers.
 */
export class WorkspaceTableError extends Error {}

export function policyEdgesIpc(edges: readonly PolicyEdge[]): Uint8Array {
  const n = edges.length;
  const table = new Table({
    client: utf8Vector(edges.map((edge) => edge.client)),
    server: utf8Vector(edges.map((edge) => edge.server)),
    proto: makeVector(Uint8Array.from(edges, (edge) => edge.proto)),
    port: makeVector(Int32Array.from(edges, (edge) => edge.port)),
    action: makeVector(Uint8Array.from(edges, (edge) => edge.action)),
    flows: makeVector(Float64Array.from(edges, (edge) => edge.flows)),
    bytes: makeVector(Float64Array.from(edges, (edge) => edge.bytes)),
    first_ms: nullableFloat64Vector(Float64Array.from(edges, (edge) => edge.firstMs ?? Number.NaN)),
    last_ms: nullableFloat64Vector(Float64Array.from(edges, (edge) => edge.lastMs ?? Number.NaN)),
    hours: makeVector(Int32Array.from(edges, (edge) => edge.hours)),
    week_hours: listVector(edges.map((edge) => edge.weekHours), 'int16'),
    week_flows: listVector(edges.map((edge) => edge.weekFlows), 'float64'),
  });
  if (table.numRows !== n) throw new WorkspaceTableError('policy edges: column lengths differ');
  return tableToIPC(table, 'file');
}

export function policyEdgesFromIpc(bytes: Uint8Array, entry: string): PolicyEdge[] {
  const table = readTable(bytes, entry);
  const client = column<string>(table, entry, 'client', 'text');
  const server = column<string>(table, entry, 'server', 'text');
  const proto = column<number>(table, entry, 'proto', 'number');
  const port = column<number>(table, entry, 'port', 'number');
  const action = column<number>(table, entry, 'action', 'number');
  const flows = column<number>(table, entry, 'flows', 'number');
  const bytesColumn = column<number>(table, entry, 'bytes', 'number');
  const firstMs = column<number | null>(table, entry, 'first_ms', 'number');
  const lastMs = column<number | null>(table, entry, 'last_ms', 'number');
  const hours = column<number>(table, entry, 'hours', 'number');
  const weekHours = column<ArrayLike<number>>(table, entry, 'week_hours', 'list');
  const weekFlows = column<ArrayLike<number>>(table, entry, 'week_flows', 'list');
  const edges: PolicyEdge[] = [];
  for (let row = 0; row < table.numRows; row++) {
    edges.push({
      client: required(client.get(row), entry, 'client', row),
      server: required(server.get(row), entry, 'server', row),
      proto: required(proto.get(row), entry, 'proto', row),
      port: required(port.get(row), entry, 'port', row),
      action: required(action.get(row), entry, 'action', row),
      flows: required(flows.get(row), entry, 'flows', row),
      bytes: required(bytesColumn.get(row), entry, 'bytes', row),
      firstMs: firstMs.get(row) ?? null,
      lastMs: lastMs.get(row) ?? null,
      hours: required(hours.get(row), entry, 'hours', row),
      weekHours: Array.from(required(weekHours.get(row), entry, 'week_hours', row)),
      weekFlows: Array.from(required(weekFlows.get(row), entry, 'week_flows', row)),
    });
  }
  return edges;
}

export function profileEdgesIpc(edges: readonly ProfileEdge[]): Uint8Array {
  const columns = {
    client: utf8Vector(edges.map((edge) => edge.client)),
    server: utf8Vector(edges.map((edge) => edge.server)),
    proto: makeVector(Uint8Array.from(edges, (edge) => edge.proto)),
    port: makeVector(Int32Array.from(edges, (edge) => edge.port)),
  };
  // Connections per edge (replica sets set one-offs aside; NaN where unknown): an added column, written only
  // when there are counts, so a file made without them is written again as it was, and readers without it skip it.
  if (!edges.some((edge) => edge.flows !== undefined)) return tableToIPC(new Table(columns), 'file');
  return tableToIPC(new Table({ ...columns, flows: makeVector(Float64Array.from(edges, (edge) => edge.flows ?? Number.NaN)) }), 'file');
}

export function profileEdgesFromIpc(bytes: Uint8Array, entry: string): ProfileEdge[] {
  const table = readTable(bytes, entry);
  const client = column<string>(table, entry, 'client', 'text');
  const server = column<string>(table, entry, 'server', 'text');
  const proto = column<number>(table, entry, 'proto', 'number');
  const port = column<number>(table, entry, 'port', 'number');
  // Workspaces written before the counts were kept have no flows column: their groups were found without them.
  const flows = table.getChild('flows') === null ? null : column<number>(table, entry, 'flows', 'number');
  const edges: ProfileEdge[] = [];
  for (let row = 0; row < table.numRows; row++) {
    const edge = {
      client: required(client.get(row), entry, 'client', row),
      server: required(server.get(row), entry, 'server', row),
      proto: required(proto.get(row), entry, 'proto', row),
      port: required(port.get(row), entry, 'port', row),
    };
    const count = flows?.get(row);
    edges.push(count === null || count === undefined || !Number.isFinite(count) || count < 0 ? edge : { ...edge, flows: count });
  }
  return edges;
}

/** Hosts with their labels (as JSON text per host: few per host, and any key or value the data had). */
export function policyHostsIpc(hosts: readonly PolicyHost[]): Uint8Array {
  return tableToIPC(
    new Table({
      ip: utf8Vector(hosts.map((host) => host.ip)),
      sort_key: utf8Vector(hosts.map((host) => host.sortKey)),
      scope: utf8Vector(hosts.map((host) => host.scope)),
      name: utf8Vector(hosts.map((host) => host.name)),
      labels: utf8Vector(hosts.map((host) => JSON.stringify(host.labels))),
    }),
    'file',
  );
}

export function policyHostsFromIpc(bytes: Uint8Array, entry: string): PolicyHost[] {
  const table = readTable(bytes, entry);
  const ip = column<string>(table, entry, 'ip', 'text');
  const sortKey = column<string>(table, entry, 'sort_key', 'text');
  const scope = column<string>(table, entry, 'scope', 'text');
  const name = column<string | null>(table, entry, 'name', 'text');
  const labels = column<string>(table, entry, 'labels', 'text');
  const hosts: PolicyHost[] = [];
  for (let row = 0; row < table.numRows; row++) {
    const parsed: unknown = JSON.parse(required(labels.get(row), entry, 'labels', row));
    if (!Array.isArray(parsed) || !parsed.every((label) => typeof label?.key === 'string' && typeof label?.value === 'string')) {
      throw new WorkspaceTableError(`${entry}: row ${row + 1} has labels that are not a list of {key, value}`);
    }
    hosts.push({
      ip: required(ip.get(row), entry, 'ip', row),
      sortKey: required(sortKey.get(row), entry, 'sort_key', row),
      scope: required(scope.get(row), entry, 'scope', row) as AddressScope,
      name: name.get(row) ?? null,
      labels: parsed.map((label: { key: string; value: string }) => ({ key: label.key, value: label.value })),
    });
  }
  return hosts;
}

/** A list column from per-row arrays of 16-bit integers or doubles. */
function listVector(rows: readonly (readonly number[])[], item: 'int16' | 'float64'): Vector {
  const valueOffsets = new Int32Array(rows.length + 1);
  const values: number[] = [];
  rows.forEach((row, index) => {
    for (const value of row) values.push(value);
    valueOffsets[index + 1] = values.length;
  });
  const child = item === 'int16' ? makeData({ type: new Int16(), length: values.length, nullCount: 0, data: Int16Array.from(values) }) : makeData({ type: new Float64(), length: values.length, nullCount: 0, data: Float64Array.from(values) });
  const type = new List(new Field('item', child.type, false));
  return makeVector(makeData({ type, length: rows.length, nullCount: 0, valueOffsets, child } as never));
}

function readTable(bytes: Uint8Array, entry: string): Table {
  try {
    return tableFromIPC(bytes);
  } catch (error) {
    throw new WorkspaceTableError(`${entry} is not a readable Arrow file: ${error instanceof Error ? error.message : String(error)}`);
  }
}

type ColumnKind = 'text' | 'number' | 'list';

const KIND_CHECKS: Readonly<Record<ColumnKind, (type: DataType) => boolean>> = {
  text: (type) => DataType.isUtf8(type),
  // 64-bit integers would come back as BigInt, which no arithmetic here expects.
  number: (type) => DataType.isFloat(type) || (DataType.isInt(type) && type.bitWidth <= 32),
  list: (type) => DataType.isList(type),
};

/** A column by name, of the kind the reader expects (a file with another type is refused, not misread). */
function column<T>(table: Table, entry: string, name: string, kind: ColumnKind): { get(row: number): T | null } {
  const vector = table.getChild(name);
  if (vector === null) throw new WorkspaceTableError(`${entry} has no column ${name}`);
  if (!KIND_CHECKS[kind](vector.type)) throw new WorkspaceTableError(`${entry}: column ${name} holds ${String(vector.type)}, not ${kind}`);
  return vector as unknown as { get(row: number): T | null };
}

function required<T>(value: T | null | undefined, entry: string, name: string, row: number): T {
  if (value === null || value === undefined) throw new WorkspaceTableError(`${entry}: row ${row + 1} has no ${name}`);
  return value;
}
