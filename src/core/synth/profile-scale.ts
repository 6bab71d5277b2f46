import type { DiscoveryInput } from '../discover/discover-groups';
import type { ProfileEdge, ProfileHost } from '../discover/host-features';
import { Random } from '../util/random';

/**
 * Discovery input at a chosen scale, for the clustering benchmark: `hosts`
 * internal hosts in applications of three tiers plus client populations,
 * where every host has a profile of its own (clients pick their services
 * and servers at random from their application's, and every host talks to
 * a random pair of shared services), so nothing collapses and clustering
 * runs over `hosts` distinct profiles.
 */
export function scaledDiscoveryInput(hosts: number, seed: number): DiscoveryInput {
  const random = new Random(seed);
  const profileHosts: ProfileHost[] = [];
  const edges: ProfileEdge[] = [];
  const ip = (index: number): string => `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
  const addHost = (index: number): string => {
    const address = ip(index);
    profileHosts.push({ ip: address, sortKey: String(index).padStart(8, '0'), labels: [] });
    return address;
  };
  let next = 1;
  const shared = Array.from({ length: 20 }, () => addHost(next++));
  for (const server of shared) edges.push({ client: server, server: shared[0]!, proto: 17, port: 53 });
  while (next <= hosts) {
    // An application: web, app and db tiers of 2–4 replicas, and 10–40 clients.
    const tier = (size: number): string[] => Array.from({ length: Math.min(size, hosts - next + 1) }, () => addHost(next++));
    const web = tier(random.int(2, 4));
    const app = tier(random.int(2, 4));
    const db = tier(random.int(2, 3));
    const clients = tier(random.int(10, 40));
    const port = 8000 + random.int(0, 999);
    for (const client of clients) for (const server of web) if (random.chance(0.7)) edges.push({ client, server, proto: 6, port: 443 });
    for (const client of web) for (const server of app) if (random.chance(0.8)) edges.push({ client, server, proto: 6, port });
    for (const client of app) for (const server of db) if (random.chance(0.8)) edges.push({ client, server, proto: 6, port: 5432 });
    for (const host of [...web, ...app, ...db, ...clients]) {
      edges.push({ client: host, server: shared[random.int(0, shared.length - 1)]!, proto: 6, port: 9000 + random.int(0, 3) });
      edges.push({ client: host, server: shared[random.int(0, shared.length - 1)]!, proto: 17, port: 514 });
    }
  }
  return { hosts: profileHosts, edges, names: new Map() };
}
