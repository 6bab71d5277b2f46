// The ground truth the harness scores against, built from what the
// exporters actually recorded:
// - groupOfHost: every address of the estate that appears in the files,
//   with its role's group. Devices of one role form one group across all
//   shops ("shop|pos-lane" for every lane of every shop), though each shop's
//   lanes use only their own store server: the store servers are replicas
//   of one service, one per shop, as a cache per application replica is
//   (issue #8: replicas of one service collapse into one group), the
//   retailer's own NetBox files them as one application and role, and a
//   segmentation policy is written for the role, not for shop 139's copy of
//   it. A replaced store server's old and new addresses share
//   "shop|store-server". Addresses that appear only as the scan's empty
//   targets have no group (nothing holds them);
// - servers: the estate's hosts that answered some legitimate use (a
//   syslog collector counts though syslog is never answered);
// - legitimateEdges: every legitimate client → server use with a record in
//   the files that shows both ends (its request, or its reply where that
//   was not translated at a broadband line; at the capture's edges a short
//   conversation may have left only its reply), on the server's port;
//   adminEdges the RDP, SSH and WinRM from the jump hosts among them.
//   The nightly SFTP pulls from the file-transfer server are business uses
//   and stay out of adminEdges though they share port 22 with SSH;
// - attacks: as planted (attacks.ts), never legitimate.
import type { PlantedAttack, ScenarioTruth } from '../../scenario';
import { edgeKey, type Connection } from './connection';
import type { Estate, Host } from './estate';

export function buildTruth(estate: Estate, written: readonly Connection[], endToEnd: ReadonlySet<Connection>, attacks: readonly PlantedAttack[]): ScenarioTruth {
  const seen = new Set<string>();
  for (const conn of written) {
    seen.add(conn.client.ip);
    seen.add(conn.server.ip);
  }
  const groupOfHost = new Map<string, string>();
  for (const host of estate.hosts) if (seen.has(host.ip)) groupOfHost.set(host.ip, host.group);

  const legitimateEdges = new Set<string>();
  const adminEdges = new Set<string>();
  const servers = new Set<string>();
  const attackEdges = new Set<string>();
  for (const conn of written) {
    if (!conn.legit) {
      attackEdges.add(edgeKey(conn));
      continue;
    }
    // A conversation cut by the capture's edge may have left only its translated reply, which names neither the client nor its use.
    if (!endToEnd.has(conn)) continue;
    const key = edgeKey(conn);
    legitimateEdges.add(key);
    if (conn.admin) adminEdges.add(key);
    if (!conn.server.external && conn.outcome !== 'refused' && conn.tag !== 'retry-dead-server' && groupOfHost.has(conn.server.ip)) servers.add((conn.server as Host).ip);
  }
  for (const key of attackEdges) {
    if (legitimateEdges.has(key)) throw new Error(`retail-chain: planted edge ${key} is also a legitimate use`);
  }
  return { groupOfHost, servers, legitimateEdges, adminEdges, attacks };
}

/** RFC 1918: the retailer's own addresses (everything else is the internet). */
export function isPrivate(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return a === 10 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168);
}
