import { groupIndexOfHosts, groupLabel } from './assemble-groups';
import type { HostFeatures, ProfileEdge } from './host-features';
import { collectorServicesOf } from './idle-replicas';
import type { PartNote } from './join-note';
import { RARE_CALL_DEFAULTS } from './rare-call-replicas';
import { behavioursOf, compareBehaviours, describeDifferences, isAnchor, mergedBehaviour, type Behaviour, type Comparison } from './replica-behaviour';
import { roleEdgesOf } from './role-edges';
import { compareText } from '../util/compare';
import { getOrAdd } from '../util/multimap';

/**
 * Members that do steady work of their own. The dendrogram cut averages
 * distances, so a service that answers the same gateway on the same port
 * as two others, and calls the same aggregator, falls in with them although
 * it also keeps a database and a cache no other member touches: what the
 * members share outweighs what one of them adds (a media site's movie-id,
 * user and text services, each called by the front end on 9090). A policy
 * on that group opens every member's back ends to all of them.
 *
 * Inside each group, hosts are compared with the replica model that
 * rare-call-replicas.ts joins by (replica-behaviour.ts): sets of members
 * that serve one service to the same clients steadily join while what only
 * one side does is what chance leaves between replicas (a replica the rare
 * call to the cache missed), likeliest first. Sets left at the end that
 * serve the same clients and still differ beyond chance are different
 * services, and the group is parted between them. Only back ends of the
 * group's own count as differences here (isDifference), so the later join
 * (rare-call-replicas.ts: same model, same level, every difference
 * counted) does not join again what this parts while the groups around
 * them stand. Sets the model cannot compare (they share no steady service
 * to the same clients) stay together: nothing here says they differ.
 * Members that serve no group steadily go with the part that holds the
 * member most like them (the profile distance the cut used).
 *
 * Probers' checks and remote administration count for nothing (role-edges.ts).
 */
export const STEADY_DIFFERENCE_DEFAULTS = {
  /** Below this chance two sets differ by more than chance: RARE_CALL_DEFAULTS.minChance, the level that step joins by. */
  maxChance: RARE_CALL_DEFAULTS.minChance,
  /**
   * Connections on a service served to the same clients that make two sets
   * comparable at all, and on a back end that make its use a difference:
   * RARE_CALL_DEFAULTS.minSharedFlows, for the same reason (fewer say
   * nothing of a role).
   */
  minSharedFlows: RARE_CALL_DEFAULTS.minSharedFlows,
  /**
   * Distinct behaviours (sets of members alike in every feature) that serve
   * a group steadily, that one group may hold and still be compared: the
   * pairs grow with the square of them, and 256 keeps them near 33,000 per
   * group. A service's replicas differ in few ways (which rare calls each
   * made), so a group with more is many services alike; it is left as the
   * cut made it, which only costs what this step would have parted there.
   */
  maxSets: 256,
} as const;

export type SteadyDifferenceOptions = { readonly [K in keyof typeof STEADY_DIFFERENCE_DEFAULTS]: number };

/**
 * `groups`: host indexes per group; `nearest(host, candidates)`: the
 * candidate most like `host`. Returns the groups, each parted group's parts
 * in place of it (ordered by first member), and why each host outside its
 * group's largest part left.
 */
export function partSteadyDifferences(
  features: HostFeatures,
  edges: readonly ProfileEdge[],
  groups: readonly (readonly number[])[],
  nearest: (host: number, candidates: readonly number[]) => number,
  options: SteadyDifferenceOptions = STEADY_DIFFERENCE_DEFAULTS,
): { groups: number[][]; notes: Map<number, PartNote> } {
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const groupOf = groupIndexOfHosts(features.hosts.length, groups);
  const collectors = collectorServicesOf(edges);
  const roleEdges = roleEdgesOf(edges, { probers: true });
  // Peers named as the profiles name them (their replica sets), else by their groups: two replicas pinned to
  // different members of one database pool use the same back end.
  const peerName = (ip: string): string => {
    const index = hostIndex.get(ip);
    if (index === undefined || groupOf[index]! < 0) return 'outside';
    return features.peerGroup?.(ip) ?? `g${groupOf[index]}`;
  };
  // Each internal server's one client group, where all its clients are in one (a scrape of the agent most servers
  // offer is no use of it): that group's own back end. NONE where its clients span groups or reach outside.
  const NONE = -1;
  const ownerOf = new Map<number, number>();
  for (const edge of roleEdges) {
    if (collectors.has(`${edge.proto}/${edge.port}`)) continue;
    const server = hostIndex.get(edge.server);
    if (server === undefined) continue;
    const client = hostIndex.get(edge.client);
    const group = client === undefined || groupOf[client]! < 0 ? NONE : groupOf[client]!;
    const owner = ownerOf.get(server);
    ownerOf.set(server, owner === undefined || owner === group ? group : NONE);
  }
  const ownBackEnd = (server: number, group: number): boolean => ownerOf.get(server) === group;
  // Work inside the group is no difference between its members: a database's standby pulls from its primary,
  // cluster members gossip, and whichever parts the group makes, that traffic is one side's or the other's.
  // What a member uses is a difference only where the back end is the group's own; any other is SHARED, kept
  // only to say the member uses that service somewhere (see isDifference).
  const peer = (ip: string, of: number, role: 's' | 'u'): string | null => {
    const index = hostIndex.get(ip);
    if (index !== undefined && groupOf[index] === groupOf[of]) return null;
    if (role === 'u' && (index === undefined || !ownBackEnd(index, groupOf[of]!))) return SHARED;
    return peerName(ip);
  };
  // Only members of groups of two or more are ever compared.
  const perHost = behavioursOf(roleEdges, hostIndex, features.hosts.map(() => 1), (host) => ((groups[groupOf[host]!]?.length ?? 0) >= 2 ? host : -1), peer);
  const named = (name: string): string => {
    if (features.peerGroup !== undefined) return name;
    const members = groups[Number(name.slice(1))]!;
    return groupLabel(features.hosts[members[0]!]!.ip, members.length);
  };
  const result: number[][] = [];
  const notes = new Map<number, PartNote>();
  for (const members of groups) {
    // Hosts of one profile are equally near every candidate: one look-up per profile (the cut already paid for every pair).
    const chosen = new Map<number, number>();
    const nearestOnce = (host: number, candidates: readonly number[]): number => getOrAdd(chosen, features.profileOfHost[host]!, () => nearest(host, candidates));
    const parts = members.length < 2 ? null : partsOf(members, perHost, collectors, nearestOnce, options);
    if (parts === null) {
      result.push([...members]);
      continue;
    }
    const ordered = parts.map((part) => [...part.hosts, ...part.placed].sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!);
    result.push(...ordered);
    // Each smaller part's note names the largest part (by the members compared) and what sets them apart.
    const largest = parts.reduce((best, part) => (part.hosts.length > best.hosts.length ? part : best));
    const largestFirst = lowest(largest.hosts);
    const largestName = groupLabel(features.hosts[largestFirst]!.ip, largest.hosts.length + largest.placed.length);
    for (const part of parts) {
      const first = lowest(part.hosts);
      if (part !== largest) {
        const comparison = compareParts(part, largest, options);
        const text =
          comparison === null || comparison.differences.length === 0
            ? `parted from ${largestName}: some of the members of each serve the same clients and keep back ends of their own, beyond what chance leaves between replicas of one service`
            : `parted from ${largestName}: both serve the same clients, and what only one of them does (${describeDifferences(comparison.differences, named)}) is what replicas of one service ${chanceText(comparison)}`;
        for (const host of part.hosts) notes.set(host, { text, partner: first, apartFrom: largestFirst });
      }
      const other = part === largest ? parts.find((candidate) => candidate !== largest)! : largest;
      const text = `went with ${groupLabel(features.hosts[first]!.ip, part.hosts.length)}, the members most like it, when its group was parted by the back ends each keeps: it serves no group steadily`;
      for (const host of part.placed) notes.set(host, { text, partner: first, apartFrom: lowest(other.hosts) });
    }
  }
  return { groups: result, notes };
}

const lowest = (hosts: readonly number[]): number => hosts.reduce((low, host) => (host < low ? host : low));

/** The peer of a use whose back end is not the group's own. */
const SHARED = 'shared';

/**
 * What sets members apart: a back end of the group's own that one set uses
 * for a service the other reaches on none of the same back ends, and on no
 * back end other groups use. Which of the estate's syslog or NTP servers a
 * host was set up to use is configuration, not a role. Where the other set
 * reaches the service on one of the same back ends, or on one other groups
 * use too, the two may be replicas pinned to different members of one pool
 * that the cut has not put together yet (a web replica that kept its
 * sessions on one app server). And only steady use counts: fewer than
 * `minSharedFlows` connections to a back end (the floor that makes serving
 * a service steady work) say nothing of a role; a PLC that opened a session
 * to the next line's PLC for an interlock a few times in the capture does
 * the line's work plus one duty, unlike a service that queries its own
 * database all day. Whom they serve makes sets comparable, never apart.
 */
function isDifference(feature: string, own: Behaviour, other: Behaviour, minSteadyFlows: number): boolean {
  if (!feature.startsWith('u|') || feature.endsWith(`|${SHARED}`) || own.flows.get(feature)! < minSteadyFlows) return false;
  const service = feature.slice(0, feature.lastIndexOf('|') + 1);
  if (other.flows.has(`${service}${SHARED}`)) return false;
  for (const peer of own.flows.keys()) if (peer.startsWith(service) && other.flows.has(peer)) return false;
  return true;
}

function chanceText(comparison: Comparison): string {
  const { chance } = comparison;
  if (chance === 0) return 'would never show by chance';
  if (chance < 0.001) return 'would show by chance less than 0.1% of the time';
  return `would show by chance ${chance < 0.01 ? (chance * 100).toFixed(1) : Math.round(chance * 100)}% of the time`;
}

interface Part {
  /** The members that serve a group steadily, and whose behaviour is compared. */
  hosts: number[];
  behaviour: Behaviour;
  anchors: Set<string>;
  /** Members that serve no group steadily, placed with the member most like them. */
  placed: number[];
}

/** The parts of one group, or null where it stays whole. */
function partsOf(
  members: readonly number[],
  perHost: readonly Behaviour[],
  collectors: ReadonlySet<string>,
  nearest: (host: number, candidates: readonly number[]) => number,
  options: SteadyDifferenceOptions,
): Part[] | null {
  // Members alike in every feature are one set from the start.
  const bySignature = new Map<string, number[]>();
  for (const host of members) {
    const signature = [...perHost[host]!.flows.keys()].sort(compareText).join('\n');
    const list = bySignature.get(signature);
    if (list === undefined) bySignature.set(signature, [host]);
    else list.push(host);
  }
  if (bySignature.size < 2) return null;
  const sets: Part[] = [];
  const idle: number[] = [];
  for (const hosts of [...bySignature.values()].sort((a, b) => a[0]! - b[0]!)) {
    const behaviour = hosts.map((host) => perHost[host]!).reduce(mergedBehaviour);
    const anchors = new Set([...behaviour.flows].filter(([feature, flows]) => isAnchor(feature, flows, collectors, options.minSharedFlows)).map(([feature]) => feature));
    if (anchors.size === 0) idle.push(...hosts);
    else sets.push({ hosts: [...hosts], behaviour, anchors, placed: [] });
  }
  if (sets.length < 2 || sets.length > options.maxSets) return null;
  let current = sets;
  // Joining and uniting until neither changes anything: sets united as incomparable may, together, be replicas of another.
  for (;;) {
    const joined = joinReplicas(current, options);
    const united = uniteIncomparable(joined.parts, joined.incomparable);
    const settled = united.length === current.length;
    current = united;
    if (settled) break;
  }
  if (current.length < 2) return null;
  // Members that serve no group steadily go with the part of the member most like them.
  const anchored = current.flatMap((part) => part.hosts).sort((a, b) => a - b);
  const partOf = new Map(current.flatMap((part) => part.hosts.map((host) => [host, part] as const)));
  for (const host of idle) partOf.get(nearest(host, anchored))!.placed.push(host);
  return current;
}

/** Two sets compared by the replica model, only their own back ends counting as differences (isDifference). */
function compareParts(a: Part, b: Part, options: SteadyDifferenceOptions): Comparison | null {
  return compareBehaviours(a.behaviour, b.behaviour, options.minSharedFlows, new Set([...a.anchors, ...b.anchors]), (feature, own, other) => isDifference(feature, own, other, options.minSharedFlows));
}

function joinPart(into: Part, from: Part): void {
  into.hosts.push(...from.hosts);
  into.behaviour = mergedBehaviour(into.behaviour, from.behaviour);
  for (const anchor of from.anchors) into.anchors.add(anchor);
}

/**
 * Replicas join, likeliest pair first, each set once per round, then the
 * sets are compared again; only pairs with a set that changed are compared
 * anew, so a group of S sets costs S² comparisons plus S per join. The last
 * round compared every pair of the sets it returns: which of them the model
 * could not compare comes with them (indexes into `parts`).
 */
function joinReplicas(sets: readonly Part[], options: SteadyDifferenceOptions): { parts: Part[]; incomparable: (a: number, b: number) => boolean } {
  let current = sets.map((part, id) => ({ part, id }));
  let nextId = current.length;
  const chances = new Map<string, number>();
  const key = (a: number, b: number): string => (a < b ? `${a},${b}` : `${b},${a}`);
  for (;;) {
    const pairs: { a: number; b: number; chance: number }[] = [];
    for (let a = 0; a < current.length; a++) {
      for (let b = a + 1; b < current.length; b++) {
        const pairKey = key(current[a]!.id, current[b]!.id);
        let chance = chances.get(pairKey);
        if (chance === undefined) {
          chance = compareParts(current[a]!.part, current[b]!.part, options)?.chance ?? -1;
          chances.set(pairKey, chance);
        }
        if (chance >= options.maxChance) pairs.push({ a, b, chance });
      }
    }
    if (pairs.length === 0) {
      const ids = current.map(({ id }) => id);
      // A chance of −1 is a comparison that came back null.
      return { parts: current.map(({ part }) => part), incomparable: (a, b) => chances.get(key(ids[a]!, ids[b]!)) === -1 };
    }
    pairs.sort((x, y) => y.chance - x.chance || x.a - y.a || x.b - y.b);
    const taken = new Set<number>();
    const absorbed = new Set<number>();
    for (const { a, b } of pairs) {
      if (taken.has(a) || taken.has(b)) continue;
      taken.add(a);
      taken.add(b);
      absorbed.add(b);
      joinPart(current[a]!.part, current[b]!.part);
      // A set that grew is another set: its comparisons are made again.
      current[a] = { part: current[a]!.part, id: nextId++ };
    }
    current = current.filter((_, index) => !absorbed.has(index));
  }
}

/**
 * Sets the model cannot compare (they serve no one service to the same
 * clients) stay together: only differences it can weigh part a group. The
 * union is transitive: two sets that differ steadily stay together when a
 * third neither can be compared with holds them, as nothing says which
 * side that third belongs to.
 */
function uniteIncomparable(sets: readonly Part[], incomparable: (a: number, b: number) => boolean): Part[] {
  const root = sets.map((_, index) => index);
  const find = (index: number): number => (root[index] === index ? index : (root[index] = find(root[index]!)));
  for (let a = 0; a < sets.length; a++) for (let b = a + 1; b < sets.length; b++) if (incomparable(a, b)) root[find(b)] = find(a);
  const united = new Map<number, Part>();
  sets.forEach((part, index) => {
    const into = united.get(find(index));
    if (into === undefined) united.set(find(index), part);
    else joinPart(into, part);
  });
  return [...united.values()];
}
