import { UndirectedGraph } from 'graphology';
import louvain from 'graphology-communities-louvain';
import { Random } from '../util/random';
import { compareText } from '../util/compare';
import type { ProfileEdge } from './host-features';

/**
 * The host graph's view of a grouping: shared infrastructure (groups whose
 * services most other groups use: DNS, NTP, directory, monitoring, backup,
 * logging, proxies), each group's tier from the services it offers and
 * uses, Louvain communities as a second opinion on the clusters (computed
 * without the infrastructure, which would glue everything together), and
 * the hosts whose compromise reaches most others along observed traffic.
 */
export const GRAPH_DEFAULTS = {
  /**
   * A group is infrastructure when at least this share of the other groups
   * use its services (DNS, directory, logging) or it uses services of that
   * share of them (monitoring, backup, jump hosts)…
   */
  infrastructureShare: 0.5,
  /** …or when at least this share of the other hosts use it (proxies, file and mail servers used by every workstation)… */
  infrastructureHostShare: 0.3,
  /** …and at least this many groups exist to judge by. */
  infrastructureMinGroups: 4,
  /** Ports that make a group the data tier when it serves them. */
  dataPorts: [1433, 1521, 2181, 3306, 5432, 5984, 6379, 7000, 8086, 9042, 9092, 9200, 11211, 27017, 28015, 5672, 4222],
  louvainResolution: 1,
  /** Seed of Louvain's random node order when none is passed in: same input, same communities. */
  seed: 0x5eed,
  /** How many of the most reaching hosts are reported. */
  topReach: 10,
} as const;

export type GroupKind = 'application' | 'infrastructure' | 'clients';
export type Tier = 'web' | 'app' | 'data' | 'infrastructure' | 'clients';

export interface GroupGraphFacts {
  readonly kind: GroupKind;
  readonly tier: Tier;
  /** For infrastructure: the share of other groups using it. */
  readonly usedByShare: number;
  /** The Louvain community most of its members fall in, and that share of its members. */
  readonly community: number;
  readonly communityShare: number;
}

export interface GraphAnalysis {
  readonly groups: readonly GroupGraphFacts[];
  readonly communities: number;
  /** Modularity of the communities (without infrastructure). */
  readonly modularity: number;
  /** Hosts reaching most others by following client → server edges, most first. */
  readonly topReach: readonly { readonly ip: string; readonly reaches: number }[];
}

/** `groups` are lists of indexes into `hosts` (internal addresses); edges may leave the internal set. */
export function analyseGraph(
  hosts: readonly string[],
  groups: readonly (readonly number[])[],
  edges: readonly ProfileEdge[],
  random: () => number = seeded(GRAPH_DEFAULTS.seed),
): GraphAnalysis {
  const index = new Map(hosts.map((ip, i) => [ip, i]));
  const groupOf = new Int32Array(hosts.length).fill(-1);
  groups.forEach((members, group) => members.forEach((host) => (groupOf[host] = group)));
  const internal = edges
    .map((edge) => ({ client: index.get(edge.client), server: index.get(edge.server), edge }))
    .filter((entry): entry is { client: number; server: number; edge: ProfileEdge } => entry.client !== undefined && entry.server !== undefined && entry.client !== entry.server);

  // Which groups use each group's services, and what they serve and to whom.
  const usersOf = groups.map(() => new Set<number>());
  const userHostsOf = groups.map(() => new Set<number>());
  const usesGroups = groups.map(() => new Set<number>());
  const serves = groups.map(() => new Set<number>());
  const servesOutside = new Uint8Array(groups.length);
  for (const { client, server, edge } of internal) {
    if (groupOf[client] !== groupOf[server]) {
      usersOf[groupOf[server]!]!.add(groupOf[client]!);
      userHostsOf[groupOf[server]!]!.add(client);
      usesGroups[groupOf[client]!]!.add(groupOf[server]!);
    }
    serves[groupOf[server]!]!.add(edge.port);
  }
  for (const edge of edges) {
    const server = index.get(edge.server);
    if (server !== undefined && !index.has(edge.client)) {
      servesOutside[groupOf[server]!] = 1;
      serves[groupOf[server]!]!.add(edge.port);
    }
  }
  const others = Math.max(1, groups.length - 1);
  const usedByShare = usersOf.map((users) => users.size / others);
  const infrastructure = groups.map((members, group) => {
    if (groups.length < GRAPH_DEFAULTS.infrastructureMinGroups) return false;
    const hostShare = userHostsOf[group]!.size / Math.max(1, hosts.length - members.length);
    return (
      usedByShare[group]! >= GRAPH_DEFAULTS.infrastructureShare ||
      usesGroups[group]!.size / others >= GRAPH_DEFAULTS.infrastructureShare ||
      hostShare >= GRAPH_DEFAULTS.infrastructureHostShare
    );
  });
  // Ports each group offers to application traffic: to non-infrastructure groups or from outside
  // (every host serves its metrics to monitoring; that makes no one a server).
  const servesApplications = groups.map(() => new Set<number>());
  for (const { client, server, edge } of internal) if (!infrastructure[groupOf[client]!]) servesApplications[groupOf[server]!]!.add(edge.port);
  for (const edge of edges) {
    const server = index.get(edge.server);
    if (server !== undefined && !index.has(edge.client)) servesApplications[groupOf[server]!]!.add(edge.port);
  }
  const usesApplications = usesGroups.map((used) => [...used].some((group) => !infrastructure[group]));
  const clientGroups = groups.map((_, group) => !infrastructure[group] && servesApplications[group]!.size === 0 && usesApplications[group]!);

  const { communityOf, count, modularity } = communities(hosts, internal, (host) => infrastructure[groupOf[host]!]!, random);
  const dataPorts: readonly number[] = GRAPH_DEFAULTS.dataPorts;
  const facts = groups.map((members, group): GroupGraphFacts => {
    const tally = new Map<number, number>();
    for (const host of members) tally.set(communityOf[host]!, (tally.get(communityOf[host]!) ?? 0) + 1);
    const [community, inCommunity] = [...tally.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]!;
    const kind: GroupKind = infrastructure[group] ? 'infrastructure' : clientGroups[group] ? 'clients' : 'application';
    // Web: reached from outside or by client populations; data: offers a data store's port; app: the rest.
    const offered = servesApplications[group]!.size > 0 ? servesApplications[group]! : serves[group]!;
    const calledByClients = [...usersOf[group]!].some((user) => clientGroups[user]);
    const tier: Tier =
      kind !== 'application' ? kind : [...offered].some((port) => dataPorts.includes(port)) ? 'data' : servesOutside[group] === 1 || calledByClients ? 'web' : 'app';
    return { kind, tier, usedByShare: Math.round(usedByShare[group]! * 100) / 100, community, communityShare: Math.round((inCommunity / members.length) * 100) / 100 };
  });
  return { groups: facts, communities: count, modularity: Math.round(modularity * 1000) / 1000, topReach: mostReaching(hosts, internal) };
}

/** Louvain over the internal host graph without infrastructure hosts; those (and isolated hosts) get community −1. */
function communities(hosts: readonly string[], edges: readonly { client: number; server: number }[], isInfrastructure: (host: number) => boolean, random: () => number) {
  const graph = new UndirectedGraph();
  // Nodes and edges in a canonical order: Louvain's result depends on it, not only on its seed.
  const kept = edges.filter(({ client, server }) => !isInfrastructure(client) && !isInfrastructure(server));
  const pairs = new Map<string, [number, number]>();
  for (const { client, server } of kept) {
    const [a, b] = compareText(hosts[client]!, hosts[server]!) <= 0 ? [client, server] : [server, client];
    const key = `${hosts[a]}|${hosts[b]}`;
    const pair = pairs.get(key);
    if (pair === undefined) pairs.set(key, [a, b]);
  }
  const sortedPairs = [...pairs.entries()].sort((x, y) => compareText(x[0], y[0]));
  const nodes = [...new Set(sortedPairs.flatMap(([, [a, b]]) => [a, b]))].sort((a, b) => compareText(hosts[a]!, hosts[b]!));
  for (const node of nodes) graph.addNode(hosts[node]!);
  for (const [, [a, b]] of sortedPairs) graph.mergeEdge(hosts[a]!, hosts[b]!);
  const communityOf = new Int32Array(hosts.length).fill(-1);
  if (graph.size === 0) return { communityOf, count: 0, modularity: 0 };
  const result = louvain.detailed(graph, { rng: random, resolution: GRAPH_DEFAULTS.louvainResolution });
  // Renumber communities by their first host, so ids do not depend on Louvain's internals.
  const renumber = new Map<number, number>();
  hosts.forEach((ip, host) => {
    const raw = result.communities[ip];
    if (raw === undefined) return;
    if (!renumber.has(raw)) renumber.set(raw, renumber.size);
    communityOf[host] = renumber.get(raw)!;
  });
  return { communityOf, count: renumber.size, modularity: result.modularity };
}

/** Hosts reaching most others along client → server edges (what an attacker holding them could reach next, and on). */
function mostReaching(hosts: readonly string[], edges: readonly { client: number; server: number }[]): { ip: string; reaches: number }[] {
  const n = hosts.length;
  const start = new Int32Array(n + 1);
  for (const { client } of edges) start[client + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const next = start.slice(0, n);
  const targets = new Int32Array(edges.length);
  for (const { client, server } of edges) targets[next[client]!++] = server;
  const seen = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const reach = new Int32Array(n);
  for (let source = 0; source < n; source++) {
    if (start[source + 1] === start[source]) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = source;
    seen[source] = source;
    while (head < tail) {
      const host = queue[head++]!;
      for (let k = start[host]!; k < start[host + 1]!; k++) {
        const target = targets[k]!;
        if (seen[target] !== source) {
          seen[target] = source;
          queue[tail++] = target;
        }
      }
    }
    reach[source] = tail - 1;
  }
  return [...reach.keys()]
    .filter((host) => reach[host]! > 0)
    .sort((a, b) => reach[b]! - reach[a]! || compareText(hosts[a]!, hosts[b]!))
    .slice(0, GRAPH_DEFAULTS.topReach)
    .map((host) => ({ ip: hosts[host]!, reaches: reach[host]! }));
}

function seeded(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}
