// The ground truth the harness scores against, built from what the
// exporters actually recorded:
// - groupOfHost: every address of the estate that appears in the files,
//   with its role's group. A group is what a policy written on it grants
//   nothing its members did not already do (structural equivalence, as
//   issue #8 defines it). So the roles whose peers are their own shop's
//   (store server, lanes, handhelds, back-office PCs, label printer, NVR and
//   cameras) form one group per shop ("S0139|pos-lane"): one group of every
//   shop's store servers would let each shop's lanes reach all the others'.
//   Roles whose peers are all central (signage players, routers, switches)
//   form one group across the shops ("shop|signage-player"). A replaced
//   store server's old and new addresses share their shop's group.
//   Addresses that appear only as the scan's empty targets have no group
//   (nothing holds them);
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
  for (const host of estate.hosts) if (seen.has(host.ip)) groupOfHost.set(host.ip, policyGroupOf(host));

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

/** Roles whose peers are their own shop's: see groupOfHost above. */
const SHOP_LOCAL_GROUPS = new Set(['shop|store-server', 'shop|pos-lane', 'shop|handheld', 'shop|backoffice', 'shop|label-printer', 'shop|nvr', 'shop|camera']);

function policyGroupOf(host: Host): string {
  return SHOP_LOCAL_GROUPS.has(host.group) ? `${host.site.code.toUpperCase()}|${host.group.slice('shop|'.length)}` : host.group;
}

/** RFC 1918: the retailer's own addresses (everything else is the internet). */
export function isPrivate(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return a === 10 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168);
}
