// The ground truth the harness scores against.
//
// Legitimate edges hold only the uses the sensor could see: those that
// touch the data centre or cross from one site to another. A desk printing
// to the printer down its own clinic's corridor, or two phones of one
// clinic talking, is legitimate but invisible; putting it in the truth
// would change nothing the harness measures today (over-permission,
// would-break and the ceiling only ever look at edges found in the data),
// but it would describe a policy the data-centre sensor cannot inform and
// a data-centre firewall could not enforce, so it is left out (and the test
// checks that such uses exist in the model and appear in neither the files
// nor the truth).
//
// groupOfHost and servers are restricted to addresses the sensor saw: an
// address that never appears in the files (an unused VPN pool address, a
// device whose every conversation stays inside its clinic) could only be
// counted as a singleton the engine "failed" to group.
import type { PlantedAttack, ScenarioTruth } from '../../scenario';
import { edgeKey, type Connection } from './connection';
import { visible, type Device, type Estate } from './estate';
import type { UseBook } from './uses';

export function buildTruth(estate: Estate, book: UseBook, written: readonly { conn: Connection; src: string; dest: string }[], attackConns: readonly Connection[], attacks: readonly PlantedAttack[]): ScenarioTruth {
  const seenIps = new Set<string>();
  for (const { src, dest } of written) {
    seenIps.add(src);
    seenIps.add(dest);
  }
  const groupOfHost = new Map<string, string>();
  for (const device of estate.devices) {
    for (const lease of device.leases) {
      if (device.truth !== null && seenIps.has(lease.ip)) groupOfHost.set(lease.ip, device.truth);
    }
  }

  const legitimate = new Set<string>();
  const admin = new Set<string>();
  const pairs = (client: Device, server: Device, proto: number, port: number, isAdmin: boolean): void => {
    if (!visible(client, server)) return;
    for (const c of client.leases) {
      for (const s of server.leases) {
        if (c.from >= s.to || s.from >= c.to) continue;
        const key = `${c.ip}|${s.ip}|${proto}|${port}`;
        legitimate.add(key);
        if (isAdmin) admin.add(key);
      }
    }
  };
  for (const use of book.uses) for (const server of use.servers) pairs(use.client, server, use.service.proto, use.service.port, use.admin);
  for (const session of book.sessions) pairs(session.client, session.server, session.service.proto, session.service.port, false);
  const servers = new Set<string>();
  for (const { conn } of written) {
    if (!conn.legit) continue;
    legitimate.add(edgeKey(conn));
    if (conn.admin) admin.add(edgeKey(conn));
    if (conn.server.server && groupOfHost.has(conn.serverIp)) servers.add(conn.serverIp);
  }
  // A planted attack is never legitimate, even where it reuses a pair and port some legitimate use also has.
  for (const conn of attackConns) {
    legitimate.delete(edgeKey(conn));
    admin.delete(edgeKey(conn));
  }
  // Uses declared between addresses the sensor never saw (a desk's address it gave up before any traffic) tell nothing.
  const known = (ip: string): boolean => groupOfHost.has(ip) || !isPrivate(ip);
  for (const key of legitimate) {
    const [client, server] = key.split('|') as [string, string];
    if (!known(client) || !known(server)) {
      legitimate.delete(key);
      admin.delete(key);
    }
  }
  return { groupOfHost, servers, legitimateEdges: legitimate, adminEdges: admin, attacks };
}

/** RFC 1918: the hospital's own addresses; everything else is the outside world. */
export function isPrivate(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return a === 10 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168);
}
