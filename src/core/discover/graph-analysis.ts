import { getOrAdd } from '../util/multimap';
import { UndirectedGraph } from 'graphology';
import louvain from 'graphology-communities-louvain';
import { REMOTE_ADMIN_SERVICES, ROLE_DEPENDENT_ADMIN_SERVICES, serviceKey } from '../flow/admin-services';
import { hasPorts, isIcmp } from '../flow/protocols';
import { Random } from '../util/random';
import { compareText } from '../util/compare';
import { GROUP_NAME_DEFAULTS } from './group-names';
import type { ProfileEdge } from './host-features';

/**
 * The host graph's view of a grouping: shared infrastructure (groups whose
 * services most other groups use: DNS, NTP, directory, logging, proxies;
 * groups that poll or administer many hosts: monitoring, backup, jump
 * hosts), each group's tier from the services it offers and uses, Louvain
 * communities as a second opinion on the clusters (computed without the
 * infrastructure, which would glue everything together), and the hosts
 * whose compromise reaches most others along observed traffic.
 *
 * Two kinds of traffic say nothing about what a group is for and are left
 * out of "serves" and "uses" below (though not out of reach or Louvain):
 * remote administration (REMOTE_ADMIN_SERVICES: who manages a host) and
 * collector services (an agent port most hosts offer to a few pollers: a
 * monitoring exporter, a backup agent). A jump host answering RDP is not a
 * web tier; a standby database polled by the backup server is not one
 * either, and the backup server is not its client population.
 */
export interface GraphSettings {
  readonly infrastructureShare: number;
  readonly infrastructureHostShare: number;
  readonly infrastructureMinGroups: number;
  readonly infrastructurePorts: readonly number[];
  readonly peopleServicePorts: readonly number[];
  readonly infrastructurePortShare: number;
  readonly infrastructurePortMinGroups: number;
  readonly collectorClientShare: number;
  readonly collectorEverywhereShare: number;
  readonly collectorMinGroups: number;
  readonly pollMinHosts: number;
  readonly adminMinHosts: number;
  readonly roleMemberShare: number;
  readonly dataPorts: readonly number[];
  readonly webPorts: readonly number[];
  readonly louvainResolution: number;
  readonly seed: number;
  readonly topReach: number;
}

export const GRAPH_DEFAULTS: GraphSettings = {
  /**
   * A group is infrastructure when it administers or polls agents in at
   * least this share of the other groups (a jump host that also serves a
   * console, a poller reaching few hosts in each group), or when at least this share of them use its services and
   * it uses no application itself (a shared database, a licence server; a
   * portal every department uses calls its own back end, and stays an
   * application)…
   */
  infrastructureShare: 0.5,
  /**
   * …or, likewise, when at least this share of the hosts that serve nothing
   * of note (desks, mostly) use it: a service every desk uses on a port of
   * its own. Application servers are left out of the count: a database its
   * application's servers use is theirs, however small the network…
   */
  infrastructureHostShare: 0.3,
  /**
   * …and at least this many groups exist to judge those shares by: in a
   * network of three groups "half of the others" is one group. The rules
   * below (ports, polling, administration) need no such minimum: they are
   * what finds the DNS server or the monitoring host of a small network.
   */
  infrastructureMinGroups: 4,
  /**
   * Services every host of a network uses, whatever it is for: DNS (53,
   * 853), DHCP (67), NTP (123), Kerberos (88, 464), LDAP and the global
   * catalog (389, 636, 3268, 3269), SMB and NFS (139, 445, 2049: Windows
   * hosts read group policy from their domain controllers, servers mount
   * shares), syslog (514, 6514), SNMP traps (162), RADIUS and TACACS+
   * (1812, 1813, 49), mail relay and submission (25, 465, 587), Windows
   * activation and update (1688, 8530, 8531). Their registered ports are
   * rarely an application's, so serving them is the group's role.
   */
  infrastructurePorts: [25, 49, 53, 67, 88, 123, 139, 162, 389, 445, 464, 465, 514, 587, 636, 853, 1688, 1812, 1813, 2049, 3268, 3269, 6514, 8530, 8531],
  /**
   * Shared services people use from their desks, and servers seldom:
   * forward proxies (3128, 1080), mailboxes (110, 143, 993, 995), printing
   * (515, 631). Serving them makes a group infrastructure too; using them
   * marks a group that serves nothing as a client population even when it
   * uses no application (an IT department that only browses, reads mail
   * and administers through a jump host).
   */
  peopleServicePorts: [110, 143, 515, 631, 993, 995, 1080, 3128],
  /**
   * A group is infrastructure by its ports when at least this share of the
   * hosts outside it that use it (on services of note) use those ports: a
   * domain controller's clients all use LDAP, an application server with a
   * local resolver used by one neighbour is still an application server…
   */
  infrastructurePortShare: 0.5,
  /**
   * …and at least this many other groups use those ports (or all of them,
   * when fewer exist): what one group alone uses is a dependency of that
   * group (two administrators copying files over SMB from a department's
   * desktops make no file server of it).
   */
  infrastructurePortMinGroups: 2,
  /**
   * A collector service (a monitoring exporter, a backup agent) is one
   * whose servers outnumber its distinct clients by at least 1/this share
   * (one Prometheus scraping 40 hosts: 1/40) and whose servers are most of
   * the hosts serving anything, or lie in several groups: no application's
   * clients are that few for that many servers. As in naming (GROUP_NAME_DEFAULTS).
   */
  collectorClientShare: GROUP_NAME_DEFAULTS.collectorClientShare,
  collectorEverywhereShare: GROUP_NAME_DEFAULTS.everywhereShare,
  collectorMinGroups: GROUP_NAME_DEFAULTS.collectorMinGroups,
  /**
   * A group whose members poll a collector service on at least this many
   * hosts outside it is infrastructure (monitoring, backup) whatever else
   * it does; fewer could be an ordinary client of two servers.
   */
  pollMinHosts: GROUP_NAME_DEFAULTS.adminMinHosts,
  /**
   * A group that serves nothing of note and uses remote administration on
   * at least this many hosts outside it is infrastructure (administration:
   * jump hosts, configuration management); one or two is an administrator's
   * desktop reaching its own servers.
   */
  adminMinHosts: GROUP_NAME_DEFAULTS.adminMinHosts,
  /** Polling and administration count only when at least this share of the group's members do it (one scanner among workstations is not). */
  roleMemberShare: GROUP_NAME_DEFAULTS.roleMemberShare,
  /** Ports of data stores (databases, caches, brokers, search): serving one to application traffic makes a group the data tier. */
  dataPorts: [1433, 1521, 2181, 3306, 4222, 5432, 5671, 5672, 5984, 6379, 7000, 7687, 8086, 9042, 9092, 9200, 11211, 26257, 27017, 28015, 50000, 61616],
  /**
   * Ports that speak HTTP. A group called only by the app tier and calling
   * nothing is a data store on a port of its own (not in dataPorts) unless
   * it answers one of these: then it is a leaf service of the app tier.
   */
  webPorts: [80, 443, 3000, 8000, 8008, 8080, 8081, 8088, 8443, 8888, 9443],
  louvainResolution: 1,
  /** Seed of Louvain's random node order when none is passed in: same input, same communities. */
  seed: 0x5eed,
  /** How many of the most reaching hosts are reported. */
  topReach: 10,
};

export interface GraphOptions extends Partial<GraphSettings> {
  /** Louvain's random node order; by default a generator seeded with `seed`. */
  readonly random?: () => number;
}

export type GroupKind = 'application' | 'infrastructure' | 'clients';
export type Tier = 'web' | 'app' | 'data' | 'infrastructure' | 'clients';

export interface GroupGraphFacts {
  readonly kind: GroupKind;
  readonly tier: Tier;
  /** Why: the rule that gave the kind and tier, with its numbers. */
  readonly reason: string;
  /** The share of other groups using its services of note. */
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

const REMOTE_ADMIN = new Set(REMOTE_ADMIN_SERVICES.map(serviceKey));
const ADMIN = new Set([...REMOTE_ADMIN_SERVICES, ...ROLE_DEPENDENT_ADMIN_SERVICES].map(serviceKey));

/** An edge whose server is internal: its client by address, and by host index (−1: outside). */
interface Served {
  readonly clientIp: string;
  readonly client: number;
  readonly server: number;
  readonly edge: ProfileEdge;
  readonly key: string;
}

/**
 * `groups` are lists of indexes into `hosts` (internal addresses); edges may
 * leave the internal set. Options override GRAPH_DEFAULTS.
 */
export function analyseGraph(hosts: readonly string[], groups: readonly (readonly number[])[], edges: readonly ProfileEdge[], options: GraphOptions = {}): GraphAnalysis {
  const { random: givenRandom, ...overrides } = options;
  const settings: GraphSettings = { ...GRAPH_DEFAULTS, ...overrides };
  const random = givenRandom ?? seeded(settings.seed);
  const index = new Map(hosts.map((ip, i) => [ip, i]));
  const groupOf = new Int32Array(hosts.length).fill(-1);
  groups.forEach((members, group) => members.forEach((host) => (groupOf[host] = group)));
  const served: Served[] = [];
  for (const edge of edges) {
    const server = index.get(edge.server);
    if (server === undefined || edge.client === edge.server) continue;
    served.push({ clientIp: edge.client, client: index.get(edge.client) ?? -1, server, edge, key: serviceKey(edge) });
  }
  const internal = served.filter((entry) => entry.client >= 0);
  const collectors = collectorServices(served, groupOf, settings);
  // Of note: a service that says what its server is for (not a ping, not port 0, not administration, not an agent).
  const ofNote = (entry: Served) =>
    !isIcmp(entry.edge.proto) && !(hasPorts(entry.edge.proto) && entry.edge.port <= 0) && !REMOTE_ADMIN.has(entry.key) && !collectors.has(entry.key);
  const sharedPorts = new Set([...settings.infrastructurePorts, ...settings.peopleServicePorts]);
  const peoplePorts = new Set(settings.peopleServicePorts);
  const dataPorts = new Set(settings.dataPorts);
  const webPorts = new Set(settings.webPorts);
  const isPort = (ports: ReadonlySet<number>, edge: ProfileEdge) => hasPorts(edge.proto) && ports.has(edge.port);

  // What each group serves (of note) and to whom; what it uses of every kind.
  const perGroup = () => groups.map(() => new Set<number>());
  const usersOf = perGroup(); // other groups using its services of note
  const userHostsOf = perGroup(); // hosts of other groups doing so
  const clientsOf = groups.map(() => new Set<string>()); // hosts outside the group (by address) doing so
  const sharedClientsOf = groups.map(() => new Set<string>()); // of those, on infrastructure and people-service ports
  const sharedGroupsOf = perGroup();
  const serves = perGroup(); // ports of note served to anyone
  const managesGroups = perGroup(); // groups it administers or polls agents in
  const adminTargets = perGroup();
  const admins = perGroup();
  const polls = groups.map(() => new Map<string, { targets: Set<number>; members: Set<number> }>());
  const servesOutside = new Uint8Array(groups.length);
  const servesOfNote = new Uint8Array(hosts.length); // per host: serves anything of note outside its group
  for (const entry of served) {
    const { client, server, edge } = entry;
    const to = groupOf[server]!;
    const from = client < 0 ? -1 : groupOf[client]!;
    if (from !== to && ofNote(entry)) servesOfNote[server] = 1;
    if (from >= 0 && from !== to) {
      if (REMOTE_ADMIN.has(entry.key)) {
        managesGroups[from]!.add(to);
        adminTargets[from]!.add(server);
        admins[from]!.add(client);
      }
      if (collectors.has(entry.key)) {
        managesGroups[from]!.add(to);
        const poll = getOrAdd(polls[from]!, entry.key, () => ({ targets: new Set<number>(), members: new Set<number>() }));
        poll.targets.add(server);
        poll.members.add(client);
      }
    }
    if (!ofNote(entry)) continue;
    serves[to]!.add(edge.port);
    if (from === to) continue;
    clientsOf[to]!.add(entry.clientIp);
    if (isPort(sharedPorts, edge)) sharedClientsOf[to]!.add(entry.clientIp);
    if (from < 0) {
      servesOutside[to] = 1;
      continue;
    }
    usersOf[to]!.add(from);
    userHostsOf[to]!.add(client);
    if (isPort(sharedPorts, edge)) sharedGroupsOf[to]!.add(from);
  }

  // Shared infrastructure, with the first rule that says so: first from what a group serves and does…
  const others = Math.max(1, groups.length - 1);
  const usedByShare = usersOf.map((users) => users.size / others);
  const infrastructureReason = groups.map((members, group): string | null => {
    const sharedGroups = sharedGroupsOf[group]!.size;
    if (sharedGroups > 0 && sharedGroups >= Math.min(settings.infrastructurePortMinGroups, groups.length - 1) && sharedClientsOf[group]!.size >= settings.infrastructurePortShare * clientsOf[group]!.size) {
      return `serves infrastructure ports to ${sharedClientsOf[group]!.size} of its ${clientsOf[group]!.size} clients, in ${sharedGroups} groups`;
    }
    const poll = [...polls[group]!.entries()]
      .filter(([, entry]) => entry.targets.size >= settings.pollMinHosts && entry.members.size >= settings.roleMemberShare * members.length)
      .sort((a, b) => b[1].targets.size - a[1].targets.size || compareText(a[0], b[0]))[0];
    if (poll !== undefined) return `polls ${serviceText(poll[0])} on ${poll[1].targets.size} hosts`;
    if (adminTargets[group]!.size >= settings.adminMinHosts && admins[group]!.size >= settings.roleMemberShare * members.length && clientsOf[group]!.size === 0) {
      return `administers ${adminTargets[group]!.size} hosts and serves nothing else`;
    }
    if (groups.length >= settings.infrastructureMinGroups && managesGroups[group]!.size / others >= settings.infrastructureShare) {
      return `administers or polls ${managesGroups[group]!.size} of ${others} other groups`;
    }
    return null;
  });
  // …then from how many lean on it, for a group that leans on no application itself: a portal used by
  // every desk calls its application's back end; DNS, a log collector or a proxy call none.
  const usesOfNote = perGroup();
  usersOf.forEach((users, group) => users.forEach((user) => usesOfNote[user]!.add(group)));
  const allDesks = servesOfNote.reduce((count, flag) => count + (flag === 0 ? 1 : 0), 0);
  const popular = groups.map((members, group): string | null => {
    if (infrastructureReason[group] !== null || groups.length < settings.infrastructureMinGroups) return null;
    if ([...usesOfNote[group]!].some((used) => infrastructureReason[used] === null)) return null;
    if (usedByShare[group]! >= settings.infrastructureShare) return `used by ${usersOf[group]!.size} of ${others} other groups`;
    // Of the hosts that serve nothing (desks, mostly), the share using it.
    const desks = allDesks - members.filter((host) => servesOfNote[host] === 0).length;
    const hostShare = [...userHostsOf[group]!].filter((host) => servesOfNote[host] === 0).length / Math.max(1, desks);
    if (hostShare >= settings.infrastructureHostShare) return `used by ${Math.round(hostShare * 100)}% of the hosts that serve nothing`;
    return null;
  });
  popular.forEach((reason, group) => (infrastructureReason[group] ??= reason));
  const infrastructure = infrastructureReason.map((reason) => reason !== null);

  // Ports each group offers to application traffic: from non-infrastructure hosts (its own members too) or from outside.
  const servesApplications = perGroup();
  const appUses = groups.map(() => new Map<string, { group: number; port: number }>());
  const usesPeopleServices = new Uint8Array(groups.length);
  for (const entry of served) {
    if (!ofNote(entry)) continue;
    const to = groupOf[entry.server]!;
    const from = entry.client < 0 ? -1 : groupOf[entry.client]!;
    if (from < 0 || !infrastructure[from]) servesApplications[to]!.add(entry.edge.port);
    if (from < 0 || from === to) continue;
    if (isPort(peoplePorts, entry.edge)) usesPeopleServices[from] = 1;
    if (!infrastructure[to]) appUses[from]!.set(`${to}/${entry.edge.port}`, { group: to, port: entry.edge.port });
  }
  const offered = groups.map((_, group) => (servesApplications[group]!.size > 0 ? servesApplications[group]! : serves[group]!));
  const servesData = offered.map((ports) => [...ports].some((port) => dataPorts.has(port)));
  // A group that serves nothing and talks only to data stores on their own ports is one of them (a standby, a replica).
  const replica = groups.map(
    (_, group) =>
      !infrastructure[group] &&
      clientsOf[group]!.size === 0 &&
      usesPeopleServices[group] === 0 &&
      appUses[group]!.size > 0 &&
      [...appUses[group]!.values()].every((use) => servesData[use.group] && dataPorts.has(use.port)),
  );
  const clientGroups = groups.map(
    (_, group) => !infrastructure[group] && !replica[group] && servesApplications[group]!.size === 0 && (appUses[group]!.size > 0 || usesPeopleServices[group] === 1),
  );

  // Tiers: data offers a store's port; web is reached from outside or by client populations; app the rest,
  // except a leaf that only the app tier calls, which is a store on a port of its own unless it speaks HTTP.
  const callers = usersOf.map((users) => [...users].filter((user) => !infrastructure[user]));
  const firstTier = groups.map((_, group): { tier: Tier; reason: string } => {
    const because = infrastructureReason[group];
    if (because !== null && because !== undefined) return { tier: 'infrastructure', reason: because };
    if (clientGroups[group]) return { tier: 'clients', reason: 'serves nothing of note; uses applications or shared services' };
    if (replica[group]) return { tier: 'data', reason: 'serves nothing of note; uses only data stores, on their ports (a replica)' };
    const dataPort = [...offered[group]!].filter((port) => dataPorts.has(port)).sort((a, b) => a - b)[0];
    if (dataPort !== undefined) return { tier: 'data', reason: `serves data-store port ${dataPort}` };
    if (servesOutside[group] === 1) return { tier: 'web', reason: 'serves hosts outside the network' };
    if (callers[group]!.some((user) => clientGroups[user])) return { tier: 'web', reason: 'called by client populations' };
    return { tier: 'app', reason: callers[group]!.length === 0 ? 'serves only infrastructure, or nothing' : 'called by other application tiers' };
  });
  const tiers = firstTier.map((first, group) => {
    const leaf =
      first.tier === 'app' &&
      callers[group]!.length > 0 &&
      callers[group]!.every((user) => firstTier[user]!.tier === 'app') &&
      appUses[group]!.size === 0 &&
      ![...servesApplications[group]!].some((port) => webPorts.has(port));
    return leaf ? { tier: 'data' as const, reason: 'called only by the app tier, calls nothing, speaks no HTTP' } : first;
  });

  const { communityOf, count, modularity } = communities(hosts, internal, (host) => infrastructure[groupOf[host]!]!, random, settings.louvainResolution);
  const facts = groups.map((members, group): GroupGraphFacts => {
    const tally = new Map<number, number>();
    for (const host of members) tally.set(communityOf[host]!, (tally.get(communityOf[host]!) ?? 0) + 1);
    const [community, inCommunity] = [...tally.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]!;
    const kind: GroupKind = infrastructure[group] ? 'infrastructure' : clientGroups[group] ? 'clients' : 'application';
    const { tier, reason } = tiers[group]!;
    return { kind, tier, reason, usedByShare: Math.round(usedByShare[group]! * 100) / 100, community, communityShare: Math.round((inCommunity / members.length) * 100) / 100 };
  });
  return { groups: facts, communities: count, modularity: Math.round(modularity * 1000) / 1000, topReach: mostReaching(hosts, internal, settings.topReach) };
}

/**
 * Collector services (see GRAPH_DEFAULTS.collectorClientShare): offered by
 * many hosts to few clients, on most serving hosts or across groups.
 * Administrative services never are: a jump host reaching every server is
 * management, judged by its own rule.
 */
function collectorServices(served: readonly Served[], groupOf: Int32Array, settings: GraphSettings): Set<string> {
  const servers = new Map<string, Set<number>>();
  const clients = new Map<string, Set<string>>();
  const serving = new Set<number>();
  for (const entry of served) {
    serving.add(entry.server);
    getOrAdd(servers, entry.key, () => new Set<number>()).add(entry.server);
    getOrAdd(clients, entry.key, () => new Set<string>()).add(entry.clientIp);
  }
  const result = new Set<string>();
  for (const [key, hostsServing] of servers) {
    if (ADMIN.has(key)) continue;
    const few = clients.get(key)!.size <= settings.collectorClientShare * hostsServing.size;
    const everywhere = hostsServing.size >= settings.collectorEverywhereShare * serving.size;
    const acrossGroups = new Set([...hostsServing].map((host) => groupOf[host])).size >= settings.collectorMinGroups;
    if (few && (everywhere || acrossGroups)) result.add(key);
  }
  return result;
}

/** "6/9102" → "tcp/9102". */
function serviceText(key: string): string {
  const [proto, port] = key.split('/');
  const name = proto === '6' ? 'tcp' : proto === '17' ? 'udp' : proto === '1' ? 'icmp' : `proto${proto}`;
  return `${name}/${port}`;
}


/** Louvain over the internal host graph without infrastructure hosts; those (and isolated hosts) get community −1. */
function communities(hosts: readonly string[], edges: readonly { client: number; server: number }[], isInfrastructure: (host: number) => boolean, random: () => number, resolution: number) {
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
  const result = louvain.detailed(graph, { rng: random, resolution });
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
function mostReaching(hosts: readonly string[], edges: readonly { client: number; server: number }[], top: number): { ip: string; reaches: number }[] {
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
    .slice(0, top)
    .map((host) => ({ ip: hosts[host]!, reaches: reach[host]! }));
}

function seeded(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}
