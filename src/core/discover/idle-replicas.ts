import { groupIndexOfHosts, mergeGroups } from './assemble-groups';
import { addressBlock } from '../net/address-block';
import { GROUP_NAME_DEFAULTS } from './group-names';
import { couldMissAll, couldMissOneMore } from './replica-chance';
import { conflicting, groupIdentity } from './role-equivalence';
import { type HostFeatures, type ProfileEdge, serviceText } from './host-features';
import type { JoinNote } from './join-note';

/**
 * Replicas that nobody but probers used while the capture ran: a Service
 * whose few calls all landed on some of its pods leaves the others with
 * nothing but the health probes of the node each runs on (a kubelet) and
 * the scrapes of a monitoring system. Behaviour names no application for
 * them, so they form groups of their own ("used by" a node), and the
 * policy gives them none of the rules their service needs: the first real
 * call after the capture is blocked.
 *
 * Such an idle group joins the one group that serves the same services to
 * real clients, when exactly one does and the idle hosts use nothing that
 * group does not: a pod serving the port of one service, and nothing else,
 * is another of its replicas. Where several groups serve the port (every
 * MongoDB on 27017, every Thrift service on 9090) the port alone says
 * nothing; the idle group then joins the one of them that uses everything
 * it uses (idle replicas still call their back ends) and took so few calls
 * that it could have left a replica without one: a group of a hosts that
 * took N calls misses one more host with a chance of (a/(a+1))^N, at least
 * replicaMinChance. When exactly one does, it must also have been able to
 * leave every idle host without a call, (a/(a+k))^N for the idle group's k
 * hosts: four queue consumers beside four shipping pods that took eight
 * calls would have had to miss half the replicas eight times over (0.4%),
 * though one more replica would have been missed one time in six. The
 * first test alone picks the candidate, because idle hosts look alike
 * whatever they serve: an idle group may hold replicas of two rare
 * services, and one that could have left a single replica idle is still
 * one of them. A busy service cannot have left replicas idle: a queue
 * consumer that serves nothing beside the shipping service that publishes
 * to the same queue stays apart; and where two rarely called services fit
 * (idle pods that use only name resolution), it stays apart too. A balancer
 * leaves fewer of a service's replicas idle than it keeps busy unless the
 * service took fewer calls than it has replicas, so an idle group larger
 * than the group it would join holds services that took no call at all (a
 * database nobody queried while the capture ran) and stays apart. Groups
 * that labels name differently never join.
 *
 * A prober is a client that serves nothing and checks a pool: it uses
 * several services, on servers that all sit in one small address block,
 * or several servers of the block it sits in itself. A node's kubelet
 * probes the pods of its node from the node's address in their pod range
 * (a /24 in the common network plugins), however many ports they serve (a
 * node whose pods all serve 9080 probes one service); a load balancer's
 * health checks reach the pool of one subnet. An application's clients
 * call back ends wherever they run, and workstations use servers all over
 * the estate.
 *
 * Services that most hosts offer to a few clients (a metrics exporter
 * scraped by one Prometheus) say nothing of a host's role and are left
 * out (group-names.ts' collector services, with its thresholds).
 */
export const IDLE_REPLICA_DEFAULTS = {
  /** A prober uses at least this many services: a kubelet probes every pod of its node, whatever it runs. */
  proberMinServices: 3,
  /**
   * …or at least this many servers in its own block: a node's pods, whatever
   * they serve. Three, as for services: one or two servers next to a client
   * are an ordinary client's back end.
   */
  proberMinServersAtHome: 3,
  /** …on servers all in one block of this many bits (IPv4; /120 of IPv6 likewise): a node's pod range, a pool's subnet. */
  proberBlockBits: 24,
  /**
   * …and at most this many such clients reach that block. A node's kubelet is
   * the only prober of its pods, and a pool has one health checker or a
   * redundant pair; a block that more clients reach alone is a server subnet
   * its users reach (workstations in an office whose servers share one
   * /24), and those are ordinary clients, not probers.
   */
  proberMaxPerBlock: 2,
  /**
   * The chance, for replicas of one service, that its calls all missed the
   * idle hosts, below which an idle group does not join a group it is not
   * the port's only server: 0.05, the level IDLE_MEMBER_DEFAULTS.maxChance
   * parts idle members by and RARE_CALL_DEFAULTS.minChance joins by.
   */
  replicaMinChance: 0.05,
} as const;

export type IdleReplicaOptions = { readonly [K in keyof typeof IDLE_REPLICA_DEFAULTS]: number };

const serviceOf = (edge: ProfileEdge): string => `${edge.proto}/${edge.port}`;

export interface IdleJoin {
  /** The groups (host indexes) with each idle group merged into the one active group of its services, in order of first member as clusterGroups gives them. */
  readonly groups: number[][];
  /** Per host that joined: why, for its reason. */
  readonly notes: ReadonlyMap<number, JoinNote>;
}

/**
 * Probers (serve nothing; use several services, or several servers of their
 * own block, all on servers of one small block), with why each is one.
 * `usesOf`: each client's servers per service.
 */
function findProbers(usesOf: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>, serversOf: ReadonlyMap<string, ReadonlySet<string>>, settings: IdleReplicaOptions): Map<string, string> {
  const servers = new Set<string>();
  for (const set of serversOf.values()) for (const server of set) servers.add(server);
  const blockOf = (ip: string): string | null => addressBlock(ip, settings.proberBlockBits, settings.proberBlockBits + 96);
  const candidates = new Map<string, { block: string; why: string }>();
  const perBlock = new Map<string, number>();
  for (const [client, uses] of usesOf) {
    if (servers.has(client)) continue;
    const block = oneBlock(uses, blockOf);
    if (block === null) continue;
    const reached = new Set<string>();
    for (const set of uses.values()) for (const server of set) reached.add(server);
    let why: string;
    if (uses.size >= settings.proberMinServices) why = `${uses.size} services, all in ${block}`;
    else if (blockOf(client) === block && reached.size >= settings.proberMinServersAtHome) why = `${reached.size} servers, all in its own ${block}`;
    else continue;
    candidates.set(client, { block, why });
    perBlock.set(block, (perBlock.get(block) ?? 0) + 1);
  }
  const probers = new Map<string, string>();
  for (const [client, { block, why }] of candidates) {
    if (perBlock.get(block)! <= settings.proberMaxPerBlock) probers.set(client, `${client}: ${why}`);
  }
  return probers;
}

/** The one block all of a client's servers sit in, or null (several, or an address that is none). */
function oneBlock(uses: ReadonlyMap<string, ReadonlySet<string>>, blockOf: (ip: string) => string | null): string | null {
  let found: string | null = null;
  for (const reached of uses.values()) {
    for (const server of reached) {
      const block = blockOf(server);
      if (block === null || (found !== null && block !== found)) return null;
      found = block;
    }
  }
  return found;
}

/**
 * The probers among the edges' clients (see above): a node's kubelet, a load
 * balancer's health checks. Most of discovery's stages leave them out of the
 * same edge list, so the answer at the default settings is kept per list
 * (the lists are never changed once built) and each pass is made once.
 */
export function probersOf(edges: readonly ProfileEdge[], options: Partial<IdleReplicaOptions> = {}): ReadonlySet<string> {
  const defaults = Object.keys(options).length === 0;
  const kept = defaults ? defaultProbers.get(edges) : undefined;
  if (kept !== undefined) return kept;
  const { serversOf, usesOf } = indexServices(edges);
  const probers: ReadonlySet<string> = new Set(findProbers(usesOf, serversOf, { ...IDLE_REPLICA_DEFAULTS, ...options }).keys());
  if (defaults) defaultProbers.set(edges, probers);
  return probers;
}

const defaultProbers = new WeakMap<readonly ProfileEdge[], ReadonlySet<string>>();

/**
 * Collector services ("proto/port"): offered by most serving hosts to a few
 * clients (a metrics exporter that one Prometheus scrapes), no one's role.
 */
function collectorsOf(serversOf: ReadonlyMap<string, ReadonlySet<string>>, clientsOf: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const servers = new Set<string>();
  for (const set of serversOf.values()) for (const server of set) servers.add(server);
  const collectors = new Set<string>();
  for (const [service, set] of serversOf) {
    if (set.size >= GROUP_NAME_DEFAULTS.everywhereShare * servers.size && clientsOf.get(service)!.size <= GROUP_NAME_DEFAULTS.collectorClientShare * set.size) collectors.add(service);
  }
  return collectors;
}

/** The collector services among the edges (see collectorsOf), as "proto/port". */
export function collectorServicesOf(edges: readonly ProfileEdge[]): Set<string> {
  const { serversOf, clientsOf } = indexServices(edges);
  return collectorsOf(serversOf, clientsOf);
}

/** Servers and clients of each service ("proto/port"), and each client's servers per service. */
function indexServices(edges: readonly ProfileEdge[]) {
  const serversOf = new Map<string, Set<string>>();
  const clientsOf = new Map<string, Set<string>>();
  const usesOf = new Map<string, Map<string, Set<string>>>();
  for (const edge of edges) {
    if (edge.client === edge.server) continue;
    const service = serviceOf(edge);
    let servers = serversOf.get(service);
    if (servers === undefined) serversOf.set(service, (servers = new Set()));
    servers.add(edge.server);
    let clients = clientsOf.get(service);
    if (clients === undefined) clientsOf.set(service, (clients = new Set()));
    clients.add(edge.client);
    let uses = usesOf.get(edge.client);
    if (uses === undefined) usesOf.set(edge.client, (uses = new Map()));
    let reached = uses.get(service);
    if (reached === undefined) uses.set(service, (reached = new Set()));
    reached.add(edge.server);
  }
  return { serversOf, clientsOf, usesOf };
}

/** Idle groups joined to their service's group. Independent of edge order. */
export function joinIdleReplicas(
  features: HostFeatures,
  edges: readonly ProfileEdge[],
  groups: readonly (readonly number[])[],
  identityOf: (host: number) => string | null = () => null,
  options: Partial<IdleReplicaOptions> = {},
): IdleJoin {
  const settings = { ...IDLE_REPLICA_DEFAULTS, ...options };
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const groupOf = groupIndexOfHosts(features.hosts.length, groups);

  const { serversOf, clientsOf, usesOf } = indexServices(edges);
  const probers = findProbers(usesOf, serversOf, settings);
  const collectors = collectorsOf(serversOf, clientsOf);

  // Per group: the services its hosts serve (and whether to a real client), and what its hosts use (server's group and service).
  const served = groups.map(() => new Set<string>());
  const servedForReal = groups.map(() => new Set<string>());
  // Per group: connections real clients made on each service it serves (edges without counts are steady).
  const realCalls = groups.map(() => new Map<string, number>());
  const used = groups.map(() => new Set<string>());
  const probedBy = new Map<number, Set<string>>();
  for (const edge of edges) {
    if (edge.client === edge.server) continue;
    const server = hostIndex.get(edge.server);
    const client = hostIndex.get(edge.client);
    const service = serviceOf(edge);
    if (server !== undefined && !collectors.has(service)) {
      served[groupOf[server]!]!.add(service);
      if (!probers.has(edge.client)) {
        servedForReal[groupOf[server]!]!.add(service);
        const calls = realCalls[groupOf[server]!]!;
        calls.set(service, (calls.get(service) ?? 0) + (edge.flows ?? Number.POSITIVE_INFINITY));
      } else {
        let set = probedBy.get(server);
        if (set === undefined) probedBy.set(server, (set = new Set()));
        set.add(edge.client);
      }
    }
    if (client !== undefined) used[groupOf[client]!]!.add(`${server === undefined ? edge.server : `g${groupOf[server]}`}|${service}`);
  }
  const activeGroupsOf = new Map<string, number[]>();
  servedForReal.forEach((services, group) => {
    for (const service of services) {
      const list = activeGroupsOf.get(service);
      if (list === undefined) activeGroupsOf.set(service, [group]);
      else list.push(group);
    }
  });

  const identities = groups.map((members) => groupIdentity(members, identityOf));
  const target = groups.map((_, group) => group);
  const notes = new Map<number, JoinNote>();
  groups.forEach((_, group) => {
    if (served[group]!.size === 0 || servedForReal[group]!.size > 0) return;
    // The one group serving these services to real clients, serving all of them, and using all the idle group uses.
    const candidates = new Set<number>();
    for (const service of served[group]!) for (const active of activeGroupsOf.get(service) ?? []) candidates.add(active);
    const fits = (active: number): boolean =>
      !conflicting(identities[group], identities[active]) && [...served[group]!].every((service) => served[active]!.has(service)) && [...used[group]!].every((use) => used[active]!.has(use));
    let active: number;
    let why: string;
    const services = [...served[group]!].sort().map((service) => serviceText(...(service.split('/').map(Number) as [number, number])));
    if (candidates.size === 1) {
      active = candidates.values().next().value!;
      if (!fits(active)) return;
      why = `only this group serves ${services.join(', ')} to real clients`;
    } else {
      // Several serve the port: the one that uses all the idle hosts use and was called rarely enough to have left a replica idle.
      const callsOf = (candidate: number): number => [...served[group]!].reduce((sum, service) => sum + (realCalls[candidate]!.get(service) ?? 0), 0);
      const missable = (candidate: number): boolean => {
        const hosts = groups[candidate]!.length;
        // More idle hosts than active ones: services that took no call at all, not replicas a few calls missed.
        if (groups[group]!.length > hosts) return false;
        return couldMissOneMore(callsOf(candidate), hosts, settings.replicaMinChance);
      };
      const fitting = [...candidates].filter((candidate) => fits(candidate) && missable(candidate));
      if (fitting.length !== 1) return;
      active = fitting[0]!;
      // …and rarely enough to have left every idle host without a call. Only here: idle hosts look alike whatever they
      // serve, so an idle group may hold replicas of several rare services, and one that could have left a single
      // replica idle stays a possibility (and the choice open) even where it could not have left them all.
      if (!couldMissAll(callsOf(active), groups[active]!.length, groups[group]!.length, settings.replicaMinChance)) return;
      why = `of the groups serving ${services.join(', ')} to real clients only this one uses all it uses and took calls few enough to have left ${groups[group]!.length === 1 ? 'a replica' : `${groups[group]!.length} replicas`} without one`;
    }
    target[group] = active;
    for (const host of groups[group]!) {
      const by = [...(probedBy.get(host) ?? [])].sort().map((client) => probers.get(client)!);
      notes.set(host, { text: `an idle replica: only probers used it (${by.join('; ')}), and ${why}`, partner: groups[active]![0]! });
    }
  });
  // In order of first member, as clusterGroups gives them.
  return { groups: mergeGroups(groups, (group) => target[group]!).sort((a, b) => a[0]! - b[0]!), notes };
}
