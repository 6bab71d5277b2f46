// Runs one of discovery's group joins (block pools, cluster members…) on hand-made edges and groups, by address.
import { discoveryFeatures } from '../../../src/core/discover/discover-groups';
import type { HostFeatures, ProfileEdge, ProfileHost } from '../../../src/core/discover/host-features';

export const profileHost = (ip: string): ProfileHost => ({ ip, sortKey: ip.split('.').map((part) => part.padStart(3, '0')).join('.'), labels: [] });
export const tcpEdge = (client: string, server: string, port: number): ProfileEdge => ({ client, server, proto: 6, port });

type GroupJoin = (
  features: HostFeatures,
  edges: readonly ProfileEdge[],
  groups: number[][],
  identity: (host: number) => string | null,
) => { groups: number[][]; notes: ReadonlyMap<number, { readonly text: string }> };

/**
 * `groups` by address; every other address on the edges is a group of its own. Returns the joined groups
 * (addresses sorted) and each moved host's note, by address.
 */
export function runGroupJoin(join: GroupJoin, edges: readonly ProfileEdge[], groups: readonly (readonly string[])[], identities: Record<string, string> = {}) {
  const ips = [...new Set(edges.flatMap((edge) => [edge.client, edge.server]))];
  const features = discoveryFeatures({ hosts: ips.map(profileHost), edges });
  const index = new Map(features.hosts.map((candidate, i) => [candidate.ip, i]));
  const grouped = new Set(groups.flat());
  const all = [...groups.map((group) => group.map((ip) => index.get(ip)!).sort((a, b) => a - b)), ...ips.filter((ip) => !grouped.has(ip)).map((ip) => [index.get(ip)!])];
  const ip = (i: number): string => features.hosts[i]!.ip;
  const result = join(features, edges, all, (i) => identities[ip(i)] ?? null);
  return { groups: result.groups.map((members) => members.map(ip).sort()), notes: new Map([...result.notes].map(([i, note]) => [ip(i), note.text])) };
}
