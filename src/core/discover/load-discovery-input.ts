import { separateNegotiated } from './negotiated-ports';
import { environmentKeysSql } from '../enrich/label-keys';
import { Action } from '../flow/record';
import type { SqlPort } from '../store/sql-port';
import { appendTo } from '../util/multimap';
import { edgeKey, type AnomalyEdge, type AnomalyHost } from './anomalies';
import type { DiscoveryInput } from './discover-groups';
import type { ProfileHost } from './host-features';
import { SIZE_SIGNATURE_DEFAULTS, type EdgeSizeStats } from './size-signatures';
import { HOUR_UNKNOWN } from '../ingest/door';

/**
 * What discovery needs: from the store, the internal hosts on edges with
 * their labels and names; from the edges already loaded for anomaly
 * detection, the client→server services actually used (refused connections
 * are not behaviour; flagged edges and broadcasts are left out).
 */
export async function loadDiscoveryInput(db: SqlPort, windowEdges: readonly AnomalyEdge[], flaggedEdges: ReadonlySet<string> = new Set(), splitHour: number | null = null): Promise<DiscoveryInput> {
  const hostRows = await db.all<{ ip: string; sort_key: string; name: string | null; workload: string | null; namespace: string | null }>(
    `SELECT h.ip, h.sort_key, i.name, i.workload, i.namespace FROM host_info i JOIN hosts h ON h.ip = i.ip WHERE i.scope = 'internal'`,
  );
  const labelRows = await db.all<{ ip: string; key: string; value: string }>(
    `SELECT DISTINCT l.ip, l.key, l.value FROM host_labels l JOIN host_info i ON i.ip = l.ip WHERE i.scope = 'internal'`,
  );
  // An announcement to a subnet's broadcast address (directed-broadcasts.ts) reaches no one in particular:
  // it says where a host sits, which its address already does, not whom it works with. As a peer it made
  // the stations of two production lines on one flat /24 look alike, whatever PLCs each polls.
  const broadcasts = new Set((await db.all<{ ip: string }>(`SELECT ip FROM host_info WHERE scope = 'broadcast'`)).map((row) => row.ip));
  // Flagged traffic (a scan, a burst of lateral movement) says nothing about what a host is for.
  // The edges table has a row per action: an allowed and an unknown row of one service count once.
  const services = new Map<string, DiscoveryInput['edges'][number]>();
  for (const edge of windowEdges) {
    const key = edgeKey(edge);
    if (edge.action === Action.deny || flaggedEdges.has(key) || broadcasts.has(edge.server) || broadcasts.has(edge.client)) continue;
    const seen = services.get(key);
    services.set(key, {
      client: edge.client,
      server: edge.server,
      proto: edge.proto,
      port: edge.port,
      flows: (seen?.flows ?? 0) + edge.flows,
      firstMs: earliest(seen?.firstMs ?? null, edge.firstMs),
      lastMs: latest(seen?.lastMs ?? null, edge.lastMs),
    });
  }
  // Media on ports signalling handed out (a phone's RTP, one pair per call) says whom it called, not what it is.
  const { edges, hosts: mediaHosts } = separateNegotiated([...services.values()]);
  const labels = new Map<string, { key: string; value: string }[]>();
  for (const row of labelRows) appendTo(labels, row.ip, { key: row.key, value: row.value });
  // Only hosts of this window: under a hold-out, a host first seen later must stay new.
  const active = new Set(windowEdges.flatMap((edge) => [edge.client, edge.server]));
  const hosts: ProfileHost[] = hostRows
    .filter((row) => active.has(row.ip))
    .map((row) => {
      const host = { ip: row.ip, sortKey: row.sort_key, labels: labels.get(row.ip) ?? [] };
      const workload = singleWorkload(row.namespace, row.workload);
      return workload === null ? host : { ...host, workload };
    });
  const names = new Map<string, string>();
  for (const row of hostRows) if (row.name !== null) names.set(row.ip, row.name);
  const serviceRows = await db.all<{ ip: string; proto: number; port: number; service: string }>('SELECT ip, proto, port, service FROM observed_services');
  const observedServices = new Map(serviceRows.map((row) => [`${row.ip}|${row.proto}|${row.port}`, row.service]));
  return { hosts, edges, names, observedServices, mediaHosts, sizes: await loadEdgeSizes(db, services, splitHour) };
}

const earliest = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
const latest = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * The logarithms are summed as integers of this scale (0.01% of a size):
 * whole numbers add up exactly in any order, so the same flows in another
 * order give the same sums, and the same groups.
 */
const LOG_SCALE = 10_000;

/**
 * ln(bytes per connection) hour by hour, per edge that discovery uses, over
 * the learning window (hours before `splitHour`, every hour when null): the
 * samples size-signatures.ts compares. Refused rows carry no answer.
 */
export async function loadEdgeSizes(
  db: SqlPort,
  used: ReadonlyMap<string, unknown>,
  splitHour: number | null,
  sessionPackets: number = SIZE_SIGNATURE_DEFAULTS.sessionPackets,
): Promise<EdgeSizeStats[]> {
  // One pass over the hours: each hour's sample (none where it carried no flow or byte), and the edge's
  // packets and records over the window, so that sessions (sessionPackets packets or more a record) give
  // no sample: size-signatures.ts says why.
  const rows = await db.all<{ client: string; server: string; proto: number; port: number; hours: number; total: number; squares: number }>(
    `WITH hourly AS (
       SELECT client, server, proto, port, hour, sum(flows) AS flows, sum(packets) AS packets,
              CASE WHEN sum(flows) > 0 AND sum(bytes) > 0 THEN round(ln(sum(bytes) / sum(flows)) * ${LOG_SCALE})::BIGINT END AS x
       FROM edges_hourly
       WHERE action <> ${Action.deny} AND hour <> ${HOUR_UNKNOWN}${splitHour === null ? '' : ` AND hour < ${splitHour}`}
       GROUP BY client, server, proto, port, hour)
     SELECT c.ip AS client, s.ip AS server, h.proto, h.port, count(x)::INTEGER AS hours, sum(x)::DOUBLE AS total, sum(x * x)::DOUBLE AS squares
     FROM hourly h JOIN hosts c ON c.host_id = h.client JOIN hosts s ON s.host_id = h.server
       JOIN host_info i ON i.ip = s.ip AND i.scope = 'internal'
     GROUP BY ALL
     HAVING count(x) > 0 AND sum(h.packets) < ${sessionPackets} * sum(h.flows)
     ORDER BY client, server, proto, port`,
  );
  return rows
    .filter((row) => used.has(`${row.client}|${row.server}|${row.proto}|${row.port}`))
    .map((row) => ({ client: row.client, server: row.server, proto: row.proto, port: row.port, hours: Number(row.hours), sum: Number(row.total) / LOG_SCALE, sumSquares: Number(row.squares) / LOG_SCALE ** 2 }));
}

/**
 * "namespace/Kind/name" of the one workload behind an address; null where
 * no pod list names it or where several pods of other workloads share it
 * (host-network pods on a node's address are not replicas of each other).
 */
function singleWorkload(namespace: string | null, workload: string | null): string | null {
  if (namespace === null || workload === null || workload === '' || workload.includes(',') || namespace.includes(',')) return null;
  return `${namespace}/${workload}`;
}

/**
 * Every edge with its evidence (whole-window rows per action, with first and
 * last seen: the time resolution lateral movement and new-external need),
 * and each host's scope and environment label, for anomaly detection. A host
 * whose environment labels disagree (inventory says prod, pod list dev) has
 * none: its behaviour decides, not whichever value sorts first.
 */
export async function loadAnomalyInput(db: SqlPort, table: 'edges' | 'edges_train' = 'edges'): Promise<{ edges: AnomalyEdge[]; hosts: Map<string, AnomalyHost> }> {
  const edges = (
    await db.all<{ client: string; server: string; proto: number; port: number; action: number; flows: number; bytes: number; first_ms: number | null; last_ms: number | null }>(
      `SELECT c.ip AS client, s.ip AS server, e.proto, e.port, e.action, e.flows, e.bytes, e.first_ms, e.last_ms
       FROM ${table} e JOIN hosts c ON c.host_id = e.client JOIN hosts s ON s.host_id = e.server`,
    )
  ).map((row) => ({ client: row.client, server: row.server, proto: row.proto, port: row.port, action: row.action, flows: row.flows, bytes: row.bytes, firstMs: row.first_ms, lastMs: row.last_ms }));
  const hostRows = await db.all<{ ip: string; scope: string; env: string | null }>(
    `SELECT i.ip, i.scope, CASE WHEN count(DISTINCT lower(trim(l.value))) = 1 THEN min(l.value) END AS env
     FROM host_info i LEFT JOIN host_labels l ON l.ip = i.ip AND l.key IN (${environmentKeysSql()})
     GROUP BY i.ip, i.scope`,
  );
  return { edges, hosts: new Map(hostRows.map((row) => [row.ip, { internal: row.scope === 'internal', env: row.env }])) };
}

/**
 * The most bytes each internal→external service (edgeKey; every action but
 * refused, as exfiltration.ts counts) carried within any `windowHours`
 * consecutive hours, for the services that carried at least `minBytes` over
 * the whole window (no other can reach it within part of it). Records of no
 * known hour (HOUR_UNKNOWN, far below every real hour: hours count as
 * BIGINT so that the window never wraps) form one bucket of their own.
 */
export async function loadTransferPeaks(db: SqlPort, minBytes: number, windowHours: number): Promise<Map<string, number>> {
  // Settings come from options: no service reaches a threshold that is not a finite number
  // (NaN compares false in exfiltration.ts as well), and a window that is none spans the capture.
  if (!Number.isFinite(minBytes)) return new Map();
  const preceding = Number.isFinite(windowHours) ? String(Math.max(0, Math.floor(windowHours) - 1)) : 'UNBOUNDED';
  const rows = await db.all<{ client: string; server: string; proto: number; port: number; peak: number }>(
    `WITH totals AS (
       SELECT client, server, proto, port FROM edges_hourly WHERE action <> ${Action.deny}
       GROUP BY client, server, proto, port HAVING sum(bytes) >= ${Number(minBytes)}
     ), large AS (
       SELECT t.client, t.server, t.proto, t.port FROM totals t
       JOIN hosts c ON c.host_id = t.client JOIN host_info ci ON ci.ip = c.ip AND ci.scope = 'internal'
       JOIN hosts s ON s.host_id = t.server LEFT JOIN host_info si ON si.ip = s.ip
       WHERE coalesce(si.scope, '') <> 'internal'
     ), hourly AS (
       SELECT e.client, e.server, e.proto, e.port, CAST(e.hour AS BIGINT) AS hour, sum(e.bytes) AS bytes
       FROM edges_hourly e JOIN large l ON l.client = e.client AND l.server = e.server AND l.proto = e.proto AND l.port = e.port
       WHERE e.action <> ${Action.deny}
       GROUP BY e.client, e.server, e.proto, e.port, CAST(e.hour AS BIGINT)
     ), windows AS (
       SELECT client, server, proto, port,
              sum(bytes) OVER (PARTITION BY client, server, proto, port ORDER BY hour RANGE BETWEEN ${preceding} PRECEDING AND CURRENT ROW) AS within
       FROM hourly
     )
     SELECT c.ip AS client, s.ip AS server, w.proto, w.port, max(w.within) AS peak
     FROM windows w JOIN hosts c ON c.host_id = w.client JOIN hosts s ON s.host_id = w.server
     GROUP BY c.ip, s.ip, w.proto, w.port`,
  );
  return new Map(rows.map((row) => [edgeKey(row), Number(row.peak)]));
}

