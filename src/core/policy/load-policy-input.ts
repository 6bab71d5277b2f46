import type { AddressScope } from '../enrich/address-scope';
import { HOUR_UNKNOWN } from '../ingest/door';
import type { SqlPort } from '../store/sql-port';
import { appendTo } from '../util/multimap';
import { policyEdgeKey, type PolicyEdge, type PolicyHost, type PolicyLogon } from './policy-input';

/** Hours [from, to) since the epoch; null ends are open. */
export interface HourRange {
  readonly from: number | null;
  readonly to: number | null;
}

export const ALL_HOURS: HourRange = { from: null, to: null };

function hourFilter(range: HourRange): string {
  const parts: string[] = [];
  if (range.from !== null) parts.push(`hour >= ${Math.floor(range.from)}`);
  if (range.to !== null) parts.push(`hour < ${Math.floor(range.to)}`);
  // Flows without a time belong to no split window; they stay in the whole one.
  if (parts.length > 0) parts.push(`hour <> ${HOUR_UNKNOWN}`);
  return parts.length === 0 ? 'TRUE' : parts.join(' AND ');
}

/**
 * Edges over a range of hours, from edges_hourly, with their flows per hour
 * of the week (1970-01-01 was a Thursday, day 4) for time windows.
 */
export async function loadPolicyEdges(db: SqlPort, range: HourRange = ALL_HOURS): Promise<PolicyEdge[]> {
  const rows = await db.all<{
    client: string; server: string; proto: number; port: number; action: number; flows: number; bytes: number;
    first_ms: number | null; last_ms: number | null; hours: number; week: string | null;
  }>(
    `WITH h AS (SELECT * FROM edges_hourly WHERE ${hourFilter(range)}),
          w AS (SELECT client, server, proto, port, action, ((hour // 24 + 4) % 7) * 24 + hour % 24 AS how, sum(flows) AS f
                FROM h WHERE hour <> ${HOUR_UNKNOWN} GROUP BY ALL),
          wl AS (SELECT client, server, proto, port, action, string_agg(how || ':' || f, ',' ORDER BY how) AS week FROM w GROUP BY ALL),
          e AS (SELECT client, server, proto, port, action, sum(flows) AS flows, sum(bytes) AS bytes,
                       min(first_ms) AS first_ms, max(last_ms) AS last_ms, count(DISTINCT hour) AS hours
                FROM h GROUP BY ALL)
     SELECT c.ip AS client, s.ip AS server, e.proto, e.port, e.action, e.flows, e.bytes, e.first_ms, e.last_ms, e.hours, wl.week
     FROM e LEFT JOIN wl USING (client, server, proto, port, action)
       JOIN hosts c ON c.host_id = e.client JOIN hosts s ON s.host_id = e.server
       LEFT JOIN host_info ci ON ci.ip = c.ip
     -- A multicast, broadcast or unspecified source is no client: it is a host announcing itself
     -- or asking for an address on its own link (IPv6 duplicate address detection, DHCP), which
     -- no rule grants and no replay can break.
     WHERE coalesce(ci.scope, '') NOT IN ('multicast', 'broadcast', 'unspecified')
     -- Canonical order: what is built and saved from these edges is the same whatever order the inputs came in.
     ORDER BY c.sort_key, s.sort_key, e.proto, e.port, e.action`,
  );
  return rows.map((row) => {
    const weekHours: number[] = [];
    const weekFlows: number[] = [];
    if (row.week !== null) {
      for (const pair of row.week.split(',')) {
        const colon = pair.indexOf(':');
        weekHours.push(Number(pair.slice(0, colon)));
        weekFlows.push(Number(pair.slice(colon + 1)));
      }
    }
    return {
      client: row.client, server: row.server, proto: row.proto, port: row.port, action: row.action,
      flows: row.flows, bytes: row.bytes, firstMs: row.first_ms, lastMs: row.last_ms, hours: row.hours, weekHours, weekFlows,
    };
  });
}

/** Every address on an edge, with its scope, name and labels. */
export async function loadPolicyHosts(db: SqlPort): Promise<Map<string, PolicyHost>> {
  const rows = await db.all<{ ip: string; sort_key: string; scope: string | null; name: string | null }>(
    `SELECT h.ip, h.sort_key, i.scope, i.name FROM hosts h LEFT JOIN host_info i ON i.ip = h.ip ORDER BY h.sort_key, h.ip`,
  );
  const labelRows = await db.all<{ ip: string; key: string; value: string }>(`SELECT DISTINCT ip, key, value FROM host_labels ORDER BY ip, key, value`);
  const labels = new Map<string, { key: string; value: string }[]>();
  for (const row of labelRows) appendTo(labels, row.ip, { key: row.key, value: row.value });
  const hosts = new Map<string, PolicyHost>();
  for (const row of rows) {
    hosts.set(row.ip, { ip: row.ip, sortKey: row.sort_key, scope: (row.scope ?? 'external') as AddressScope, name: row.name, labels: labels.get(row.ip) ?? [] });
  }
  return hosts;
}

export async function loadPolicyLogons(db: SqlPort): Promise<PolicyLogon[]> {
  const rows = await db.all<{ user_name: string; domain: string | null; source_ip: string | null; target_ip: string | null; count: number }>(
    // Service accounts log on by the thousand and request nothing: only people are candidate requesters.
    `SELECT user_name, domain, source_ip, target_ip, sum(count) AS count FROM logons WHERE NOT coalesce(service_account, false) GROUP BY ALL
     ORDER BY user_name, domain NULLS FIRST, source_ip NULLS FIRST, target_ip NULLS FIRST`,
  );
  return rows.map((row) => ({ user: row.domain !== null && row.domain.length > 0 ? `${row.domain}\\${row.user_name}` : row.user_name, sourceIp: row.source_ip, targetIp: row.target_ip, count: row.count }));
}

/** Flagged edges as "client|server|proto|port". */
export async function loadFlaggedEdges(db: SqlPort): Promise<Set<string>> {
  const rows = await db.all<{ client: string; server: string; proto: number; port: number }>(`SELECT client, server, proto, port FROM flagged_edges`);
  return new Set(rows.map(policyEdgeKey));
}

/** Flows per epoch hour with any traffic, in hour order (records without a time left out). */
export async function loadTrafficHours(db: SqlPort): Promise<{ hour: number; flows: number }[]> {
  const rows = await db.all<{ hour: number | bigint; flows: number | bigint }>(`SELECT hour, sum(flows) AS flows FROM edges_hourly WHERE hour <> ${HOUR_UNKNOWN} GROUP BY hour ORDER BY hour`);
  return rows.map((row) => ({ hour: Number(row.hour), flows: Number(row.flows) }));
}
