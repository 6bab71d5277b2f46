import { groupIndexOfHosts, mergeGroups } from './assemble-groups';
import { serviceText, type HostFeatures, type ProfileEdge } from './host-features';
import { hostRoles, roleEdgesOf } from './role-edges';
import { isOneOffEdge, REPLICA_DEFAULTS } from './replica-sets';

/**
 * Behind session-sticky balancing or client-side connection pools, each
 * client replica keeps to a few replicas of the next tier, so the replicas
 * of a tier differ in whom they serve, and the tier before differs in whom
 * it uses: behaviour splits both into fragments, and no fragment looks
 * like its siblings. Bottom up, the fragments still do the same work:
 *
 * two groups are one role when they serve the same ports, use exactly the
 * same groups (so one policy on the merged group grants neither anything
 * new downstream), and their clients are alike too: they share a client
 * group, or a client of one and a client of the other serve the same ports
 * and use the same groups once the two are taken for one.
 *
 * Groups that serve no application (desks, phones) are one role when they
 * listen on the same ports (to probes and scrapes, if anyone) and use
 * exactly the same services on the same groups: the cut on host profiles
 * parts the phones of each site by their address block, though one policy
 * on all of them grants none anything it did not use.
 *
 * Merging cache fragments that all use one database lets the application
 * fragments that used different caches use the same group, and so on up
 * the tiers, round by round. Two parallel applications never merge: their
 * tiers use different back ends. A service and the worker beside it that
 * use the same database stay apart unless their clients are alike.
 * Groups that labels name differently never merge.
 *
 * A client that polls both groups whole (a plant's supervisory servers
 * poll every PLC of every line) is no evidence while each group also has
 * steady users of its own (each line's stations poll only its PLCs): those
 * users decide, and a pair they keep apart is not joined through a third
 * group either. The one caller of a load-balanced service also covers
 * every replica; where it is all that one of the fragments steadily has,
 * it still joins them.
 */
export const ROLE_DEFAULTS = {
  /**
   * A group is the estate's, not a role's back end or user, when at least
   * this share of the groups use it (DNS, NTP, a proxy) or it uses at least
   * this share (monitoring, backup): it says nothing about what its peers
   * are for. Half, as in graph-analysis.ts.
   */
  universalShare: 0.5,
  /** Rounds; each merges one tier more at most. Applications are seldom deeper than a handful of tiers. */
  rounds: 8,
  /**
   * A client polls two groups whole when one of its hosts uses every member
   * of both and they hold at least this many hosts together. With one host
   * on each side, using both is what any client that met two replicas did;
   * every one of three or more is a sweep over a fleet, which a client
   * keeping to a replica or two does not make.
   */
  minPolledHosts: 3,
};

export type RoleOptions = typeof ROLE_DEFAULTS;

/**
 * `groups`: host indexes per group. `identityOf`: a host's label identity
 * (null: none); groups whose identities differ never merge. Returns the
 * groups, merged, ordered by first member.
 */
export function mergeRoleEquivalent(
  features: HostFeatures,
  edges: readonly ProfileEdge[],
  groups: readonly number[][],
  identityOf: (host: number) => string | null,
  options: RoleOptions = ROLE_DEFAULTS,
): number[][] {
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const roleEdges = roleEdgesOf(edges, { probers: true });
  // Every service a host answers on, to anyone (probes and scrapes too), and every service it uses, probes
  // included: a client group's key must hold all it does.
  const { answers: listening, uses: using } = hostRoles(features, edges);
  // Each host's servers (addresses), for pollsBoth: hosts keep their uses from round to round.
  const serversUsedBy = new Map([...using].map(([host, uses]) => [host, new Set(uses.map((use) => use.server))]));
  let current = groups.map((members) => [...members]);
  for (let round = 0; round < options.rounds; round++) {
    const groupOfHost = groupIndexOfHosts(features.hosts.length, current);
    const graph = groupGraph(current.length, roleEdges, (ip) => {
      const index = hostIndex.get(ip);
      return index === undefined ? -1 : groupOfHost[index]!;
    });
    // Servers most groups use (DNS, a proxy) and clients that reach most groups (monitoring, backup):
    // the estate's, not any role's back end or users.
    const universal = new Set<number>();
    current.forEach((_, group) => {
      const reach = options.universalShare * current.length;
      if (graph.clientsOf[group]!.size >= reach || graph.serversOf[group]!.size >= reach) universal.add(group);
    });
    const identities = current.map((members) => groupIdentity(members, identityOf));
    const servers = (group: number): number[] => [...graph.serversOf[group]!].filter((server) => !universal.has(server) && server !== group).sort((a, b) => a - b);
    // What a group serves to someone other than the estate's pollers (a monitoring port is no role).
    const services = (group: number): string =>
      [...graph.servicesOf[group]!]
        .filter(([, clients]) => [...clients].some((client) => !universal.has(client)))
        .map(([service]) => service)
        .sort()
        .join(',');
    // What a group's hosts answer on, probes and scrapes included: two groups that no application calls
    // but that listen on different ports are different services (a rule to one would open the other).
    const listensOn = (members: readonly number[]): string => [...new Set(members.flatMap((host) => [...(listening.get(host) ?? [])]))].sort().join(',');
    // Each service a group's hosts use, probes included, on each group (a host outside every group by its address), as "service@group".
    const usedServices = (members: readonly number[], self: number): string => {
      const uses = new Set<string>();
      for (const host of members) {
        for (const { service, server } of using.get(host) ?? []) {
          const index = hostIndex.get(server);
          const group = index === undefined ? server : groupOfHost[index]!;
          if (group !== self) uses.add(`${service}@${group}`);
        }
      }
      return [...uses].sort().join(',');
    };
    // Whether a host of `client` uses every member of both groups (options.minPolledHosts or more in all): a client
    // that treats every member of a fleet alike, as a plant's supervisory servers poll every PLC of every line.
    const pollsBoth = (client: number, a: number, b: number): boolean => {
      const polled = [...current[a]!, ...current[b]!];
      if (polled.length < options.minPolledHosts) return false;
      return current[client]!.some((host) => {
        const used = serversUsedBy.get(host);
        return used !== undefined && polled.every((member) => used.has(features.hosts[member]!.ip));
      });
    };
    // Client group → server group pairs with a steady edge (REPLICA_DEFAULTS.minFlows connections or more, or of
    // unknown count): a one-off call lands on one replica at random and says nothing about whom a group serves.
    const steady = new Set<string>();
    for (const edge of roleEdges) {
      if (isOneOffEdge(edge, REPLICA_DEFAULTS.minFlows)) continue;
      const [client, server] = [hostIndex.get(edge.client), hostIndex.get(edge.server)];
      if (client !== undefined && server !== undefined) steady.add(`${groupOfHost[client]!}>${groupOfHost[server]!}`);
    }
    // Candidates: groups that serve something and use something, keyed by both; and groups that serve
    // no one (desks, phones), keyed by each service they use on each group: one policy on two such groups
    // merged grants neither anything it did not use, whatever site or address block parted them. A group
    // that uses only the estate's services (DNS, a proxy) says too little of what it is for to join another.
    const byKey = new Map<string, number[]>();
    const clientOnly = new Set<number>();
    current.forEach((_, group) => {
      if (universal.has(group)) return;
      const used = servers(group);
      if (used.length === 0) return;
      if (services(group) === '') clientOnly.add(group);
      // Client groups compare on everything they use, the estate's services and probes too: a merged group is granted all of it.
      const key = clientOnly.has(group) ? `listens ${listensOn(current[group]!)}|uses ${usedServices(current[group]!, group)}` : `${services(group)}|${used.join(',')}`;
      let list = byKey.get(key);
      if (list === undefined) byKey.set(key, (list = []));
      list.push(group);
    });
    const parent = Int32Array.from(current, (_, group) => group);
    // The groups each root has gathered this round.
    const members = new Map<number, number[]>();
    const gathered = (root: number): number[] => members.get(root) ?? [root];
    const find = (group: number): number => {
      while (parent[group] !== group) group = parent[group] = parent[parent[group]!]!;
      return group;
    };
    let merged = false;
    for (const list of byKey.values()) {
      const role = new Set(list);
      const verdict = (x: number, y: number) => clientsAlike(x, y, graph, universal, servers, services, role, pollsBoth, (client, server) => steady.has(`${client}>${server}`));
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const [a, b] = [list[i]!, list[j]!];
          // Judged on what each side has gathered so far this round: an unlabelled fragment alike to
          // two differently labelled ones would otherwise join them pair by pair.
          if (find(a) === find(b) || conflicting(identities[find(a)]!, identities[find(b)]!)) continue;
          if (!clientOnly.has(a)) {
            if (verdict(a, b) !== 'alike') continue;
            // No chain of merges may go round a pair that its own users keep apart (a PLC that only the supervisory
            // servers poll is alike to every line's PLCs, and would join the lines through itself).
            if (gathered(find(a)).some((x) => gathered(find(b)).some((y) => verdict(x, y) === 'apart'))) continue;
          }
          const [rootA, rootB] = [find(a), find(b)];
          identities[rootA] = identities[rootA] ?? identities[rootB]!;
          parent[rootB] = rootA;
          members.set(rootA, [...gathered(rootA), ...gathered(rootB)]);
          merged = true;
        }
      }
    }
    if (!merged) break;
    current = mergeGroups(current, find);
  }
  return current.sort((a, b) => a[0]! - b[0]!);
}

interface GroupGraph {
  readonly clientsOf: Set<number>[];
  readonly serversOf: Set<number>[];
  /** Per group: each service ("tcp/443") it serves to another group, and to which groups. */
  readonly servicesOf: Map<string, Set<number>>[];
}

function groupGraph(count: number, edges: readonly ProfileEdge[], groupOf: (ip: string) => number): GroupGraph {
  const clientsOf = Array.from({ length: count }, () => new Set<number>());
  const serversOf = Array.from({ length: count }, () => new Set<number>());
  const servicesOf = Array.from({ length: count }, () => new Map<string, Set<number>>());
  for (const edge of edges) {
    const [client, server] = [groupOf(edge.client), groupOf(edge.server)];
    if (client < 0 || server < 0 || client === server) continue;
    clientsOf[server]!.add(client);
    serversOf[client]!.add(server);
    const service = serviceText(edge.proto, edge.port);
    let clients = servicesOf[server]!.get(service);
    if (clients === undefined) servicesOf[server]!.set(service, (clients = new Set()));
    clients.add(client);
  }
  return { clientsOf, serversOf, servicesOf };
}

/**
 * The clients of `a` and of `b` are alike: one group uses both, or a
 * client of each does the same work once the groups of a's and b's role
 * (`role`: the same services, the same groups used) are one.
 */
function clientsAlike(
  a: number,
  b: number,
  graph: GroupGraph,
  universal: ReadonlySet<number>,
  servers: (group: number) => number[],
  services: (group: number) => string,
  role: ReadonlySet<number>,
  pollsBoth: (client: number, a: number, b: number) => boolean,
  steadyUser: (client: number, server: number) => boolean,
): 'alike' | 'different' | 'apart' {
  let clientsA = [...graph.clientsOf[a]!].filter((client) => !universal.has(client));
  let clientsB = [...graph.clientsOf[b]!].filter((client) => !universal.has(client));
  // A client that polls both whole (pollsBoth) is a fleet-wide poller. Where each side also has steady users of its
  // own (the supervisory servers beside each line's stations), the pollers are left out and those users decide, the
  // one-off callers with them. Where a poller is all a side steadily has (the caller of a service, spreading over
  // every replica, beside the rare call that landed on one), it counts as any shared client does.
  const fleetWide = (client: number): boolean => graph.clientsOf[a]!.has(client) && graph.clientsOf[b]!.has(client) && pollsBoth(client, a, b);
  const ownA = clientsA.filter((client) => !fleetWide(client) && steadyUser(client, a));
  const ownB = clientsB.filter((client) => !fleetWide(client) && steadyUser(client, b));
  const byOwnUsers = ownA.length > 0 && ownB.length > 0 && clientsA.some(fleetWide);
  if (byOwnUsers) [clientsA, clientsB] = [ownA, ownB];
  const unlike = byOwnUsers ? 'apart' : 'different';
  if (clientsA.length === 0 || clientsB.length === 0) return unlike;
  const inB = new Set(clientsB);
  if (clientsA.some((client) => inB.has(client))) return 'alike';
  // Failing a shared client: a client of each that does the same work and serves someone, and that share a user themselves
  // (two web replicas used by the same people, each keeping to its own app replicas). Two applications' database
  // servers that back up to one store stay apart: their clients are different applications' servers with different users.
  const signature = (client: number): string => `${services(client)}|${[...new Set(servers(client).map((server) => (role.has(server) ? -1 : server)))].sort((x, y) => x - y).join(',')}`;
  const users = (client: number): number[] => [...graph.clientsOf[client]!].filter((user) => !universal.has(user));
  for (const clientA of clientsA) {
    if (services(clientA) === '') continue;
    const usersA = new Set(users(clientA));
    for (const clientB of clientsB) {
      if (signature(clientA) === signature(clientB) && users(clientB).some((user) => usersA.has(user))) return 'alike';
    }
  }
  return unlike;
}

/** The one identity a group's labelled members share; undefined when they disagree; null when none carries one. */
export function groupIdentity(members: readonly number[], identityOf: (host: number) => string | null): string | null | undefined {
  let found: string | null = null;
  for (const host of members) {
    const identity = identityOf(host);
    if (identity === null) continue;
    if (found !== null && found !== identity) return undefined;
    found = identity;
  }
  return found;
}

/** Groups whose identities differ, or either of which is mixed, never merge; an unlabelled group (null) merges with any. */
export const conflicting = (a: string | null | undefined, b: string | null | undefined): boolean => a === undefined || b === undefined || (a !== null && b !== null && a !== b);
