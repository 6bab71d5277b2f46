import type { SqlPort } from '../store/sql-port';
import type { DiscoveryInput } from './discover-groups';
import type { ProfileHost } from './host-features';

/**
 * What discovery needs from the store: the internal hosts on edges with
 * their labels and names, and the client→server services actually used
 * (refused connections are not behaviour).
 */
export async function loadDiscoveryInput(db: SqlPort): Promise<DiscoveryInput> {
  const hostRows = await db.all<{ ip: string; sort_key: string; name: string | null }>(
    `SELECT h.ip, h.sort_key, i.name FROM host_info i JOIN hosts h ON h.ip = i.ip WHERE i.scope = 'internal'`,
  );
  const labelRows = await db.all<{ ip: string; key: string; value: string }>(
    `SELECT DISTINCT l.ip, l.key, l.value FROM host_labels l JOIN host_info i ON i.ip = l.ip WHERE i.scope = 'internal'`,
  );
  const edges = await db.all<{ client: string; server: string; proto: number; port: number }>(
    `SELECT DISTINCT c.ip AS client, s.ip AS server, e.proto, e.port
     FROM edges e JOIN hosts c ON c.host_id = e.client JOIN hosts s ON s.host_id = e.server
     WHERE e.action <> 2`,
  );
  const labels = new Map<string, { key: string; value: string }[]>();
  for (const row of labelRows) labels.set(row.ip, [...(labels.get(row.ip) ?? []), { key: row.key, value: row.value }]);
  const hosts: ProfileHost[] = hostRows.map((row) => ({ ip: row.ip, sortKey: row.sort_key, labels: labels.get(row.ip) ?? [] }));
  const names = new Map<string, string>();
  for (const row of hostRows) if (row.name !== null) names.set(row.ip, row.name);
  return { hosts, edges, names };
}
