import type { SqlPort } from '../store/sql-port';

/**
 * Subnet-directed broadcast addresses seen in the flows (192.168.1.255 for
 * NetBIOS name and browser announcements, a DHCP relay's replies): no host
 * has them, so they are never a group's member nor a rule's client. Without
 * the subnet masks only the traffic can tell: an IPv4 address ending in .255
 * that took part in UDP (or ICMP) only. A real host at .255 (possible in a
 * /23 or wider) opens or answers TCP somewhere in a capture of any length;
 * broadcasts carry no TCP at all. Addresses an inventory row or a pod list
 * names are hosts whatever their traffic.
 */
export async function directedBroadcasts(db: SqlPort): Promise<Set<string>> {
  const rows = await db.all<{ ip: string }>(
    `WITH ends AS (SELECT client AS host_id, proto FROM edges UNION ALL SELECT server, proto FROM edges)
     SELECT h.ip FROM hosts h JOIN ends USING (host_id)
     WHERE h.ip LIKE '%.255' AND h.ip NOT LIKE '%:%'
     GROUP BY h.ip
     HAVING bool_and(ends.proto IN (1, 17))`,
  );
  return new Set(rows.map((row) => row.ip));
}
