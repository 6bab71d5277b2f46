import { groupIndexOfHosts, groupLabel, mergeGroups } from './assemble-groups';
import { serviceText, type HostFeatures, type ProfileEdge } from './host-features';
import { roleEdgesOf } from './role-edges';
import { appendTo } from '../util/multimap';
import { conflicting, groupIdentity, ROLE_DEFAULTS } from './role-equivalence';
import type { JoinNote } from './join-note';

/**
 * The estate's shared services are often a pool of two or three servers of
 * which each client is configured to use one: its syslog or NTP server,
 * its first DNS resolver, its site's domain controller. Each server of the
 * pool then serves a different part of the estate, no two look alike by
 * whom they serve, and behaviour splits the pool. Together they do one job,
 * and the policy must let every client reach each of them, for the day the
 * one it uses fails.
 *
 * Two groups are one pool when they serve the same services (remote
 * administration and the scrape agents most servers offer left out), use
 * the same groups (each other aside), each serves several groups, and
 * either
 * - together they serve a large share of all groups: the estate's service,
 *   not an application's back end, or
 * - they serve slices of one clientele: mostly the same client groups,
 *   but hardly a client host uses both. Clients keep to one member of a
 *   pool (the endpoint of their zone, the log node they were given), so
 *   three log nodes each take a third of every group's hosts. Two
 *   services on one port that the same hosts use (an SSM endpoint and a
 *   Secrets Manager endpoint every instance polls) share client hosts;
 *   two environments' endpoints share no client group.
 * Two applications' databases serve their own application each; two web
 * tiers use different application servers.
 */
export const ESTATE_POOL_DEFAULTS = {
  /**
   * Together the two serve at least this share of all groups. Half, as
   * ROLE_DEFAULTS.universalShare says what the estate's services are: an
   * application's back end serves that application's few tiers.
   */
  estateShare: ROLE_DEFAULTS.universalShare,
  /**
   * …and each serves at least this many groups on its own: a member of a
   * pool is a shared service in its own right, while a server only one or
   * two groups use is someone's back end, whatever its port.
   */
  minClientGroups: 3,
  /**
   * Slices of one clientele: at least this share of the smaller member's
   * client groups (and two groups or more) also use the other. Each member
   * takes part of every client group's hosts, but a group of two hosts
   * spread over three members lands on both of a given pair two times in
   * nine, so the share of groups in common is modest even for a
   * true pool; a third says the two draw on one population, while two
   * environments' or two applications' servers share none (or one
   * monitoring host's group) of their client groups.
   */
  sliceMinSharedGroups: 1 / 3,
  /**
   * …and at most this share of either's client hosts use the other. A
   * client keeps to its configured member; a tenth allows for the few
   * hosts configured with two, while two services that the same hosts use
   * share a third or more of them (each host uses one of each).
   */
  sliceMaxSharedHosts: 0.1,
  /** Rounds; a pool whose members use another pool (syslog servers each using their own NTP server) joins once that one has. */
  rounds: 4,
};

export type EstatePoolOptions = typeof ESTATE_POOL_DEFAULTS;

interface GroupRole {
  /** Services ("tcp/389") served to other groups, sorted and joined with commas. */
  readonly served: string;
  /** Client groups of those services. */
  readonly clients: ReadonlySet<number>;
  /** Client hosts (indexes) of those services. */
  readonly clientHosts: ReadonlySet<number>;
  /** What it uses: "service|group" (group -1: hosts outside the groups). */
  readonly uses: ReadonlySet<string>;
}

/**
 * `groups`: host indexes per group; `identityOf`: a host's label identity
 * (null: none), groups whose identities differ never join; `partedBySize`:
 * hosts that shared a group before message sizes parted them, whose groups
 * never join either. Returns the groups, pools joined, ordered by first
 * member, and why each host of a group that joined another did.
 * Independent of edge order.
 */
export function joinEstatePools(
  features: HostFeatures,
  edges: readonly ProfileEdge[],
  groups: readonly (readonly number[])[],
  identityOf: (host: number) => string | null,
  options: EstatePoolOptions = ESTATE_POOL_DEFAULTS,
  partedBySize: (a: number, b: number) => boolean = () => false,
): { groups: number[][]; notes: Map<number, JoinNote> } {
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const roleEdges = roleEdgesOf(edges, { probers: true, collectors: true });
  let current = groups.map((members) => [...members]);
  const notes = new Map<number, JoinNote>();
  for (let round = 0; round < options.rounds; round++) {
    const groupOf = groupIndexOfHosts(features.hosts.length, current);
    const roles = groupRoles(current.length, roleEdges, (ip) => hostIndex.get(ip) ?? -1, (host) => (host < 0 ? -1 : groupOf[host]!));
    const identities = current.map((members) => groupIdentity(members, identityOf));
    const byServed = new Map<string, number[]>();
    roles.forEach((role, group) => {
      if (role.served === '' || role.clients.size < options.minClientGroups) return;
      appendTo(byServed, role.served, group);
    });
    const parent = Int32Array.from(current, (_, group) => group);
    const find = (group: number): number => {
      while (parent[group] !== group) group = parent[group] = parent[parent[group]!]!;
      return group;
    };
    const joinedTo = new Map<number, { partner: number; text: string }>();
    for (const list of byServed.values()) {
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const [a, b] = [list[i]!, list[j]!];
          // Judged on what each side has gathered so far this round: a pool of an unlabelled
          // server and two differently labelled ones would otherwise form pair by pair.
          if (find(a) === find(b) || conflicting(identities[find(a)]!, identities[find(b)]!)) continue;
          const [roleA, roleB] = [roles[a]!, roles[b]!];
          if (!sameUses(roleA.uses, roleB.uses, a, b)) continue;
          const why = estateWide(roleA, roleB, a, b, options.estateShare * current.length, current.length) ?? slices(roleA, roleB, options);
          // What message sizes parted (two services on one port, size-signatures.ts) is no pool.
          if (why === null || current[a]!.some((x) => current[b]!.some((y) => partedBySize(x, y)))) continue;
          const [rootA, rootB] = [find(a), find(b)];
          identities[rootA] = identities[rootA] ?? identities[rootB]!;
          parent[rootB] = rootA;
          const services = roleA.served.split(',');
          const named = (group: number): string => groupLabel(features.hosts[current[group]![0]!]!.ip, current[group]!.length);
          joinedTo.set(b, {
            partner: current[a]![0]!,
            text:
              `one pool of the estate's ${services.join(', ')} with ${named(a)}: each serves ${services.length === 1 ? 'it' : 'them'} to many groups (${roleB.clients.size} and ${roleA.clients.size}; ${why}) ` +
              `and they use the same groups; clients keep to one server of a pool and need the other when it fails`,
          });
        }
      }
    }
    if (joinedTo.size === 0) break;
    for (const [group, note] of joinedTo) for (const host of current[group]!) notes.set(host, note);
    current = mergeGroups(current, find);
  }
  return { groups: current.sort((a, b) => a[0]! - b[0]!), notes };
}

/** Together the two serve `enough` groups or more: the estate's service. Null when they do not; else the figures, for the note. */
function estateWide(a: GroupRole, b: GroupRole, groupA: number, groupB: number, enough: number, groups: number): string | null {
  // The sum bounds the union: most pairs of a port many groups serve stop here, before any set is built.
  if (a.clients.size + b.clients.size < enough) return null;
  const together = new Set([...a.clients, ...b.clients]);
  together.delete(groupA);
  together.delete(groupB);
  return together.size < enough ? null : `${together.size} of ${groups} together`;
}

/** Slices of one clientele (sliceMinSharedGroups, sliceMaxSharedHosts): the figures, for the note, or null. */
function slices(a: GroupRole, b: GroupRole, options: EstatePoolOptions): string | null {
  let sharedGroups = 0;
  for (const group of a.clients) if (b.clients.has(group)) sharedGroups++;
  const fewerGroups = Math.min(a.clients.size, b.clients.size);
  if (sharedGroups < 2 || sharedGroups < options.sliceMinSharedGroups * fewerGroups) return null;
  let sharedHosts = 0;
  const [small, large] = a.clientHosts.size <= b.clientHosts.size ? [a.clientHosts, b.clientHosts] : [b.clientHosts, a.clientHosts];
  for (const host of small) if (large.has(host)) sharedHosts++;
  if (sharedHosts > options.sliceMaxSharedHosts * small.size) return null;
  return `${sharedGroups} of ${fewerGroups} client groups in common, ${sharedHosts} of ${small.size} client hosts using both`;
}

function groupRoles(count: number, edges: readonly ProfileEdge[], hostOf: (ip: string) => number, groupOf: (host: number) => number): GroupRole[] {
  const served = Array.from({ length: count }, () => new Set<string>());
  const clients = Array.from({ length: count }, () => new Set<number>());
  const clientHosts = Array.from({ length: count }, () => new Set<number>());
  const uses = Array.from({ length: count }, () => new Set<string>());
  for (const edge of edges) {
    const [clientHost, serverHost] = [hostOf(edge.client), hostOf(edge.server)];
    const [client, server] = [groupOf(clientHost), groupOf(serverHost)];
    if (client === server) continue;
    const service = serviceText(edge.proto, edge.port);
    if (server >= 0 && client >= 0) {
      served[server]!.add(service);
      clients[server]!.add(client);
      clientHosts[server]!.add(clientHost);
    }
    if (client >= 0) uses[client]!.add(`${service}|${server}`);
  }
  return served.map((services, group) => ({ served: [...services].sort().join(','), clients: clients[group]!, clientHosts: clientHosts[group]!, uses: uses[group]! }));
}

/** The same uses once each other is set aside: members of a pool replicate among themselves, one way or both. */
function sameUses(a: ReadonlySet<string>, b: ReadonlySet<string>, groupA: number, groupB: number): boolean {
  const beyond = (uses: ReadonlySet<string>): Set<string> => {
    const kept = new Set<string>();
    for (const use of uses) {
      const group = Number(use.slice(use.lastIndexOf('|') + 1));
      if (group !== groupA && group !== groupB) kept.add(use);
    }
    return kept;
  };
  const [ofA, ofB] = [beyond(a), beyond(b)];
  return ofA.size === ofB.size && [...ofA].every((use) => ofB.has(use));
}
