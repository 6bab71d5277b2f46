import { groupIndexOfHosts, groupLabel } from './assemble-groups';
import type { HostFeatures, ProfileEdge } from './host-features';
import { collectorServicesOf } from './idle-replicas';
import type { PartNote } from './join-note';
import { RARE_CALL_DEFAULTS } from './rare-call-replicas';
import { behavioursOf, compareBehaviours, describeDifferences, isAnchor, mergedBehaviour, type Behaviour, type Comparison } from './replica-behaviour';
import { roleEdgesOf } from './role-edges';
import { compareText } from '../util/compare';

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
 * services, and the group is parted between them. Sets the model cannot
 * compare (they share no steady service to the same clients) stay
 * together: nothing here says they differ. Members that serve nothing
 * steadily go with the part that holds the member most like them (the
 * profile distance the cut used). So the later join (rare-call-replicas.ts,
 * same model, same level) never joins again what this parts.
 *
 * Probers' checks and remote administration count for nothing (role-edges.ts).
 */
export const STEADY_DIFFERENCE_DEFAULTS = {
  /** Below this chance two sets differ by more than chance: RARE_CALL_DEFAULTS.minChance, so this parts exactly what that step would not join. */
  maxChance: RARE_CALL_DEFAULTS.minChance,
  /** Connections on a service served to the same clients that make two sets comparable at all: RARE_CALL_DEFAULTS.minSharedFlows, for the same reason. */
  minSharedFlows: RARE_CALL_DEFAULTS.minSharedFlows,
  /**
   * Distinct behaviours (sets of members alike in every feature) a group may
   * hold and still be compared: pairs grow with the square of them. 256
   * covers any service's replicas split by rare calls; a group with more is
   * a pool of clients (workstations), which serve nothing steadily anyway.
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
  // Peers named as the profiles name them (their replica sets), else by their groups: a client sends its logs to
  // one of two syslog servers, which the cut may have left apart, and that is no difference between clients.
  const peerName = (ip: string): string => {
    const index = hostIndex.get(ip);
    if (index === undefined || groupOf[index]! < 0) return 'outside';
    return features.peerGroup?.(ip) ?? `g${groupOf[index]}`;
  };
  // Each internal server's one client group, where all its clients are in one (a scrape of the agent most servers
  // offer is no use of it): that group's own back end. NONE where its clients span groups or reach outside.
  const NONE = -1;
  const ownerOf = new Map<number, number>();
  for (const edge of roleEdgesOf(edges, { probers: true, collectors: true })) {
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
  const perHost = behavioursOf(roleEdges, hostIndex, features.hosts.map(() => 1), (host) => (groupOf[host]! >= 0 ? host : -1), peer);
  const named = (name: string): string => {
    if (features.peerGroup !== undefined) return name;
    const members = groups[Number(name.slice(1))]!;
    return groupLabel(features.hosts[members[0]!]!.ip, members.length);
  };
  const result: number[][] = [];
  const notes = new Map<number, PartNote>();
  for (const members of groups) {
    const parts = members.length < 2 ? null : partsOf(members, perHost, collectors, nearest, options);
    if (parts === null) {
      result.push([...members]);
      continue;
    }
    const ordered = parts.map((part) => part.hosts.sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!);
    result.push(...ordered);
    // Each smaller part's note names the largest part and what sets them apart.
    const largest = parts.reduce((best, part) => (part.hosts.length > best.hosts.length ? part : best));
    for (const part of parts) {
      if (part === largest) continue;
      const comparison = compareBehaviours(part.behaviour, largest.behaviour, options.minSharedFlows, new Set([...part.anchors, ...largest.anchors]), isDifference);
      const differences = comparison === null ? '' : `, and what only one of them does (${describeDifferences(comparison.differences, named)}) replicas of one service ${chanceText(comparison)}`;
      const text = `parted from ${groupLabel(features.hosts[largest.hosts[0]!]!.ip, largest.hosts.length)}: both serve the same clients${differences}`;
      for (const host of part.hosts) notes.set(host, { text, partner: part.hosts[0]!, apartFrom: largest.hosts[0]! });
    }
  }
  return { groups: result, notes };
}

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
 * sessions on one app server). Whom they serve makes sets comparable,
 * never apart.
 */
function isDifference(feature: string, own: Behaviour, other: Behaviour): boolean {
  if (!feature.startsWith('u|') || feature.endsWith(`|${SHARED}`)) return false;
  const service = feature.slice(0, feature.lastIndexOf('|') + 1);
  if (other.flows.has(`${service}${SHARED}`)) return false;
  for (const peer of own.flows.keys()) if (peer.startsWith(service) && other.flows.has(peer)) return false;
  return true;
}

function chanceText(comparison: Comparison): string {
  return comparison.chance === 0 ? 'never show by chance' : comparison.chance < 0.001 ? 'show by chance less than 0.1% of the time' : `show by chance ${Math.round(comparison.chance * 100)}% of the time`;
}

interface Part {
  hosts: number[];
  behaviour: Behaviour;
  anchors: Set<string>;
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
  if (bySignature.size < 2 || bySignature.size > options.maxSets) return null;
  const sets: Part[] = [];
  const idle: number[] = [];
  for (const hosts of [...bySignature.values()].sort((a, b) => a[0]! - b[0]!)) {
    const behaviour = hosts.map((host) => perHost[host]!).reduce(mergedBehaviour);
    const anchors = new Set([...behaviour.flows].filter(([feature, flows]) => isAnchor(feature, flows, collectors, options.minSharedFlows)).map(([feature]) => feature));
    if (anchors.size === 0) idle.push(...hosts);
    else sets.push({ hosts: [...hosts], behaviour, anchors });
  }
  if (sets.length < 2) return null;
  const compare = (a: Part, b: Part): Comparison | null => compareBehaviours(a.behaviour, b.behaviour, options.minSharedFlows, new Set([...a.anchors, ...b.anchors]), isDifference);
  const join = (into: Part, from: Part): void => {
    into.hosts.push(...from.hosts);
    into.behaviour = mergedBehaviour(into.behaviour, from.behaviour);
    for (const anchor of from.anchors) into.anchors.add(anchor);
  };
  // Replicas join, likeliest pair first, each set once per round, compared again after.
  let current = sets;
  for (;;) {
    const pairs: { a: number; b: number; chance: number }[] = [];
    for (let a = 0; a < current.length; a++) {
      for (let b = a + 1; b < current.length; b++) {
        const comparison = compare(current[a]!, current[b]!);
        if (comparison !== null && comparison.chance >= options.maxChance) pairs.push({ a, b, chance: comparison.chance });
      }
    }
    if (pairs.length === 0) break;
    pairs.sort((x, y) => y.chance - x.chance || x.a - y.a || x.b - y.b);
    const taken = new Set<number>();
    const absorbed = new Set<number>();
    for (const { a, b } of pairs) {
      if (taken.has(a) || taken.has(b)) continue;
      taken.add(a);
      taken.add(b);
      absorbed.add(b);
      join(current[a]!, current[b]!);
    }
    current = current.filter((_, index) => !absorbed.has(index));
  }
  // Sets the model cannot compare stay together: only differences it can weigh part a group.
  const root = current.map((_, index) => index);
  const find = (index: number): number => (root[index] === index ? index : (root[index] = find(root[index]!)));
  for (let a = 0; a < current.length; a++) for (let b = a + 1; b < current.length; b++) if (compare(current[a]!, current[b]!) === null) root[find(b)] = find(a);
  const merged = new Map<number, Part>();
  current.forEach((part, index) => {
    const into = merged.get(find(index));
    if (into === undefined) merged.set(find(index), { hosts: [...part.hosts], behaviour: part.behaviour, anchors: new Set(part.anchors) });
    else join(into, part);
  });
  const parts = [...merged.values()];
  if (parts.length < 2) return null;
  // Members that serve nothing steadily go with the part of the member most like them.
  const anchored = parts.flatMap((part) => part.hosts).sort((a, b) => a - b);
  const partOf = new Map(parts.flatMap((part) => part.hosts.map((host) => [host, part] as const)));
  for (const host of idle) partOf.get(nearest(host, anchored))!.hosts.push(host);
  return parts;
}
