import { csvLine as line } from './csv-line';
import { Action, DIRECTION_REASON_NAMES, ACTION_NAMES } from '../flow/record';
import { protocolName } from '../flow/protocols';
import type { Anomaly } from '../discover/anomalies';
import type { Discovery } from '../discover/discover-groups';
import type { SqlPort } from '../store/sql-port';
import { pagedRows } from './paged-query';

/**
 * CSV exports of the analysis, as chunks of text: the CLI streams them to
 * files, the app to downloads. Every export has a total order, so the same
 * inputs give byte-identical files whatever order they were read in.
 */

export const EDGES_HEADER = ['client', 'server', 'proto', 'port', 'action', 'flows', 'packets', 'bytes', 'first_seen', 'last_seen', 'direction_reason'];
export const REJECTS_HEADER = ['file', 'line', 'reason'];
export const ANOMALIES_HEADER = ['kind', 'src', 'dst', 'ports', 'flows', 'reason'];
export const GROUPS_HEADER = ['ip', 'group_id', 'group_name', 'confidence', 'reason'];
export const HOSTS_HEADER = ['ip', 'scope', 'name', 'workload', 'namespace', 'labels', 'serves', 'logon_users'];

const iso = (ms: number | null): string => (ms === null || !Number.isFinite(ms) ? '' : new Date(ms).toISOString());

export async function* edgesCsv(db: SqlPort): AsyncIterable<string> {
  yield line(EDGES_HEADER);
  const select = `
    SELECT c.ip AS client, s.ip AS server, e.proto, e.port, e.action, e.flows, e.packets, e.bytes,
           e.first_ms, e.last_ms, e.reason, c.sort_key AS ck, s.sort_key AS sk
    FROM edges e JOIN hosts c ON c.host_id = e.client JOIN hosts s ON s.host_id = e.server`;
  for await (const rows of pagedRows<EdgeRow>(db, select, 'ck, sk, proto, port, action')) {
    yield rows
      .map((row) =>
        line([
          row.client,
          row.server,
          protocolName(row.proto),
          row.port >= 0 ? row.port : '',
          ACTION_NAMES[row.action] ?? 'unknown',
          row.flows,
          row.packets,
          row.bytes,
          iso(row.first_ms),
          iso(row.last_ms),
          DIRECTION_REASON_NAMES[row.reason] ?? 'none',
        ]),
      )
      .join('');
  }
}

interface EdgeRow {
  client: string;
  server: string;
  proto: number;
  port: number;
  action: number;
  flows: number;
  packets: number;
  bytes: number;
  first_ms: number | null;
  last_ms: number | null;
  reason: number;
}

export async function* rejectsCsv(db: SqlPort): AsyncIterable<string> {
  yield line(REJECTS_HEADER);
  const select = `SELECT f.path AS file, r.line, r.reason FROM rejects r JOIN input_files f ON f.file_id = r.file_id`;
  for await (const rows of pagedRows<{ file: string; line: number; reason: string }>(db, select, 'file, line, reason')) {
    yield rows.map((row) => line([row.file, row.line > 0 ? row.line : '', row.reason])).join('');
  }
}

export async function* hostsCsv(db: SqlPort): AsyncIterable<string> {
  yield line(HOSTS_HEADER);
  const select = `
    WITH served AS (
      SELECT DISTINCT e.server AS host_id, e.proto, e.port,
             coalesce(p.name, e.proto::VARCHAR) || CASE WHEN e.port >= 0 THEN '/' || e.port::VARCHAR ELSE '' END
               || coalesce(' ' || n.name, '') AS label
      FROM edges e
      LEFT JOIN protocol_names p ON p.proto = e.proto
      LEFT JOIN service_names n ON n.proto = e.proto AND n.port = e.port
      -- A host serves what it answered (or what was let through to it): refused probes of closed ports are no service.
      WHERE e.action <> ${Action.deny}),
    serves AS (SELECT host_id, string_agg(label, ';' ORDER BY proto, port) AS serves FROM served GROUP BY host_id),
    labels AS (SELECT ip, string_agg(key || '=' || value, ';' ORDER BY key) AS labels FROM host_labels GROUP BY ip),
    users AS (
      SELECT target_ip AS ip, string_agg(DISTINCT user_name, ';' ORDER BY user_name) AS users
      FROM logons WHERE NOT service_account AND target_ip IS NOT NULL GROUP BY target_ip)
    SELECT h.ip, i.scope, i.name, i.workload, i.namespace, l.labels, s.serves, u.users, h.sort_key
    FROM host_info i JOIN hosts h ON h.ip = i.ip
    LEFT JOIN serves s ON s.host_id = h.host_id
    LEFT JOIN labels l ON l.ip = i.ip
    LEFT JOIN users u ON u.ip = i.ip`;
  for await (const rows of pagedRows<HostRow>(db, select, 'sort_key')) {
    yield rows
      .map((row) =>
        line([
          row.ip,
          row.scope,
          row.name ?? '',
          row.workload ?? '',
          row.namespace ?? '',
          row.labels ?? '',
          row.serves ?? '',
          row.users ?? '',
        ]),
      )
      .join('');
  }
}

interface HostRow {
  ip: string;
  scope: string;
  name: string | null;
  workload: string | null;
  namespace: string | null;
  labels: string | null;
  serves: string | null;
  users: string | null;
}

/** One row per internal host, in canonical address order (the order of discovery's assignments). */
export async function* groupsCsv(discovery: Discovery): AsyncIterable<string> {
  yield line(GROUPS_HEADER);
  const names = new Map(discovery.groups.map((group) => [group.id, group.name]));
  const rows = discovery.assignments.map((assignment) =>
    line([assignment.ip, assignment.groupId, names.get(assignment.groupId) ?? '', assignment.confidence, assignment.reason]),
  );
  for (let from = 0; from < rows.length; from += 1000) yield rows.slice(from, from + 1000).join('');
}

/** One row per anomaly, in kind, source, destination order. */
export async function* anomaliesCsv(anomalies: readonly Anomaly[]): AsyncIterable<string> {
  yield line(ANOMALIES_HEADER);
  yield anomalies.map((anomaly) => line([anomaly.kind, anomaly.src, anomaly.dst, anomaly.ports.join(' '), anomaly.flows, anomaly.reason])).join('');
}
