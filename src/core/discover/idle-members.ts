import { groupIndexOfHosts, groupLabel } from './assemble-groups';
import { type HostFeatures, type ProfileEdge, serviceText } from './host-features';
import { getOrAdd } from '../util/multimap';
import { atMostChance } from './replica-chance';
import { roleEdgesOf } from './role-edges';
import type { PartNote } from './join-note';

/**
 * Members that take none of their group's steady work. The dendrogram cut
 * can put hosts that serve nobody (a queue consumer, a pod no call reached)
 * with a service that its clients call all day, when both use the same
 * back end: what they use outweighs what only one side serves. A policy
 * written on that group opens the service's port on every member, and the
 * idle ones never took a connection on it.
 *
 * Were they all replicas of one service behind a load balancer, each of its
 * N connections would miss the idle members with the odds of the others'
 * share of the hosts, so all of them missing has a chance of share^N (the
 * model rare-call-replicas.ts joins by). Below a plain significance level
 * the idle members are parted into a group of their own; later steps
 * (idle-replicas.ts: the one group that serves their port to real clients;
 * labels) bring them back where they are replicas after all. A member is
 * idle when it took less than a tenth of its fair share: a caller that
 * reaches the service a few times a day, on one port the group serves
 * steadily, is another service's (a reviews pod that a product page calls
 * twice, beside the details pods it calls all day).
 *
 * Probers' checks, scrapes of a collector service and remote administration
 * are no one's role (role-edges.ts) and count for nothing here.
 */
export const IDLE_MEMBER_DEFAULTS = {
  /**
   * Connections a group needs on one service from one client group for that
   * to be steady work its replicas share: ten, the steady floor of
   * RARE_CALL_DEFAULTS.minSharedFlows, for the same reason (fewer calls are
   * what chance and rare jobs leave, and say nothing of a role).
   */
  minSteadyFlows: 10,
  /**
   * The chance, for replicas of one service, that every steady connection
   * missed the idle members: below it they are no replicas. 0.05, the level
   * RARE_CALL_DEFAULTS.minChance joins by, so what this parts that step does
   * not join again.
   */
  maxChance: 0.05,
  /**
   * A member taking less than this share of its fair part of the steady
   * connections (the group's total over its members) is idle for them: a
   * tenth. Balancers (round robin, least connections, random choice,
   * consistent hashing) keep replicas within a small factor of one another
   * over a day; a tenth is beyond their skew and within what a rare caller
   * leaves on a host of another service.
   */
  underloadShare: 0.1,
} as const;

export type IdleMemberOptions = { readonly [K in keyof typeof IDLE_MEMBER_DEFAULTS]: number };

/**
 * `groups`: host indexes per group. Returns the groups with idle members
 * parted (each group's idle members form one group, placed after it), and
 * why each parted host left. Independent of edge order.
 */
export function partIdleMembers(
  features: HostFeatures,
  edges: readonly ProfileEdge[],
  groups: readonly (readonly number[])[],
  options: IdleMemberOptions = IDLE_MEMBER_DEFAULTS,
): { groups: number[][]; notes: Map<number, PartNote> } {
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const groupOf = groupIndexOfHosts(features.hosts.length, groups);
  // Per server host: connections per served feature ("tcp/80|g3": to clients of group 3; "|outside": from hosts outside the groups).
  const servedFlows = new Map<number, Map<string, number>>();
  for (const edge of roleEdgesOf(edges, { probers: true, collectors: true })) {
    const server = hostIndex.get(edge.server);
    if (server === undefined || groupOf[server]! < 0) continue;
    const client = hostIndex.get(edge.client);
    const peer = client === undefined || groupOf[client]! < 0 ? 'outside' : `g${groupOf[client]}`;
    const feature = `${edge.proto}/${edge.port}|${peer}`;
    const flows = getOrAdd(servedFlows, server, () => new Map<string, number>());
    // Edges without counts are steady.
    flows.set(feature, (flows.get(feature) ?? 0) + (edge.flows ?? Number.POSITIVE_INFINITY));
  }

  const result: number[][] = [];
  const notes = new Map<number, PartNote>();
  for (const members of groups) {
    const totals = new Map<string, number>();
    for (const host of members) for (const [feature, flows] of servedFlows.get(host) ?? []) totals.set(feature, (totals.get(feature) ?? 0) + flows);
    const steady = [...totals].filter(([, flows]) => flows >= options.minSteadyFlows).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (steady.length === 0 || members.length < 2) {
      result.push([...members]);
      continue;
    }
    // Each member's connections on the steady features, once.
    const took = new Map(members.map((host) => [host, steady.reduce((sum, [feature]) => sum + (servedFlows.get(host)?.get(feature) ?? 0), 0)]));
    const steadyFlows = steady.reduce((sum, [, flows]) => sum + flows, 0);
    const floor = options.underloadShare * (steadyFlows / members.length);
    const idle = members.filter((host) => took.get(host)! < floor);
    const active = members.filter((host) => took.get(host)! >= floor);
    const taken = idle.reduce((sum, host) => sum + took.get(host)!, 0);
    const chance = idle.length === 0 || active.length === 0 ? 1 : atMostChance(taken, steadyFlows, idle.length / members.length);
    if (!(chance < options.maxChance)) {
      result.push([...members]);
      continue;
    }
    result.push(active, idle);
    const work = steady
      .slice(0, 3)
      .map(([feature, flows]) => {
        const [service, peer] = feature.split('|') as [string, string];
        const [proto, port] = service.split('/').map(Number) as [number, number];
        const who = peer === 'outside' ? 'hosts outside the groups' : groupLabel(features.hosts[groups[Number(peer.slice(1))]![0]!]!.ip, groups[Number(peer.slice(1))]!.length);
        return `${serviceText(proto, port)} to ${who}${Number.isFinite(flows) ? `, ${flows} connections` : ''}`;
      })
      .join('; ');
    const odds = chance === 0 ? 'no chance' : chance < 0.001 ? 'less than a 0.1% chance' : `a ${Math.round(chance * 100)}% chance`;
    const their = active.length === 1 ? 'its' : 'their';
    const share = taken === 0 ? `none of ${their} steady work` : Number.isFinite(steadyFlows) ? `only ${taken} of ${their} ${steadyFlows} steady connections` : `only ${taken} connections of ${their} steady work`;
    const text = `parted from ${groupLabel(features.hosts[active[0]!]!.ip, active.length)}: it took ${share} (${work}${steady.length > 3 ? `; ${steady.length - 3} more` : ''}), which replicas of one service miss with ${odds}`;
    for (const host of idle) notes.set(host, { text, partner: idle[0]!, apartFrom: active[0]! });
  }
  return { groups: result, notes };
}
