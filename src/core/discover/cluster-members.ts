import { compareText } from '../util/compare';
import { mergeGroups } from './assemble-groups';
import { edgeKey } from './anomalies/types';
import { serviceText, type HostFeatures, type ProfileEdge } from './host-features';
import { majorityIdentity } from './identity-evidence';
import { JOIN_DEFAULTS } from './join-by-identity';
import { serviceClusters } from './service-clusters';
import type { JoinNote } from './join-note';

/**
 * The members of one service cluster (service-clusters.ts: servers that use
 * one service of each other, share its other clients and serve the same
 * software's ports: a broker or search cluster, a replica set) are one
 * group. Profiles name the cluster as one peer, so its clients look alike,
 * but its members can still differ by whom each serves: every shop's
 * server keeps to the brokers that lead its partitions, so each broker
 * serves other clients, the cut leaves them apart, and the next message a
 * shop sends to another broker is blocked. A cluster is one service by its own
 * traffic: its members use one another, both ways, on a port they share
 * with their clients, which two services that merely look alike never do
 * (one that calls the other on their common port only calls).
 *
 * Only groups that hold members of one cluster and nothing else join
 * (a cluster member the cut put with other hosts stays where it is: those
 * hosts said something the cluster does not), and a group whose recorded
 * identity differs from the other's never joins it.
 */

/** `groups`: host indexes per group. Returns the groups, joined, ordered by first member, and why each moved host moved. */
export function joinClusterMembers(
  features: HostFeatures,
  edges: readonly ProfileEdge[],
  groups: readonly number[][],
  identity: (host: number) => string | null,
  /** serviceClusters(edges), when the caller already has it. */
  clusterEdges: ReadonlyMap<string, string> = serviceClusters(edges),
): { groups: number[][]; notes: Map<number, JoinNote> } {
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  // A host is in at most one cluster per service; across services its clusters are one (brokers meshed on their inter-broker and controller ports).
  const parent = new Map<number, number>();
  const find = (host: number): number => {
    let root = host;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(host, root);
    return root;
  };
  const unite = (a: number, b: number): void => {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const [x, y] = [find(a), find(b)];
    if (x !== y) parent.set(Math.max(x, y), Math.min(x, y));
  };
  const servicesOf = new Map<number, Set<string>>();
  for (const edge of edges) {
    // Both ways: members of a cluster replicate, elect or gossip with each other, while a service that calls
    // another on the port they share (behind one gateway, the two look like a cluster) only calls.
    if (!clusterEdges.has(edgeKey(edge)) || !clusterEdges.has(edgeKey({ ...edge, client: edge.server, server: edge.client }))) continue;
    const [client, server] = [hostIndex.get(edge.client), hostIndex.get(edge.server)];
    if (client === undefined || server === undefined) continue;
    unite(client, server);
    const service = serviceText(edge.proto, edge.port);
    for (const host of [client, server]) {
      let services = servicesOf.get(host);
      if (services === undefined) servicesOf.set(host, (services = new Set()));
      services.add(service);
    }
  }
  const groupOf = new Map<number, number>();
  groups.forEach((members, index) => {
    for (const host of members) groupOf.set(host, index);
  });
  // Per cluster (its root): the groups holding its members.
  const groupsOfCluster = new Map<number, Set<number>>();
  for (const host of parent.keys()) {
    const group = groupOf.get(host);
    if (group === undefined) continue;
    const root = find(host);
    let set = groupsOfCluster.get(root);
    if (set === undefined) groupsOfCluster.set(root, (set = new Set()));
    set.add(group);
  }
  const joinedInto = new Map<number, number>();
  const notes = new Map<number, JoinNote>();
  for (const [root, set] of groupsOfCluster) {
    if (set.size < 2) continue;
    const indexes = [...set].sort((a, b) => groups[a]![0]! - groups[b]![0]!);
    // Only groups of members and nothing else.
    const pure = indexes.filter((index) => groups[index]!.every((member) => parent.has(member) && find(member) === root));
    if (pure.length < 2) continue;
    const identities = new Map(pure.map((index) => [index, majorityIdentity(groups[index]!, identity, JOIN_DEFAULTS.minIdentityShare)]));
    const roots: number[] = [];
    for (const index of pure) {
      const target = roots.find((other) => {
        const [mine, theirs] = [identities.get(index), identities.get(other)];
        return mine === null || theirs === null || mine === theirs;
      });
      if (target === undefined) {
        roots.push(index);
        continue;
      }
      joinedInto.set(index, target);
      // The gathered group takes the first recorded identity, so a later group recorded as something else stays out.
      identities.set(target, identities.get(target) ?? identities.get(index)!);
      const services = new Set<string>();
      for (const host of [...groups[index]!, ...groups[target]!]) for (const service of servicesOf.get(host) ?? []) services.add(service);
      const text = `it and that group are one cluster on ${[...services].sort(compareText).join(', ')}: their members use each other there, both ways, and share the clients`;
      for (const host of groups[index]!) notes.set(host, { text, partner: groups[target]![0]! });
    }
  }
  return { groups: mergeGroups(groups, (index) => joinedInto.get(index) ?? index).sort((a, b) => a[0]! - b[0]!), notes };
}
