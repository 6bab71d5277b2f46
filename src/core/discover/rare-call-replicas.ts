import { conflicting, groupIdentity } from './role-equivalence';
import { groupIndexOfHosts, groupLabel, mergeGroups } from './assemble-groups';
import type { HostFeatures, ProfileEdge } from './host-features';
import { behavioursOf, compareBehaviours, describeDifferences, isAnchor, type Comparison } from './replica-behaviour';
import { collectorServicesOf } from './idle-replicas';
import { roleEdgesOf } from './role-edges';
import type { JoinNote } from './join-note';
import { listedApart } from './listed-pods';

/**
 * Replicas that a rare call has not reached yet. A service that calls its
 * cache a few times a day, from whichever replica took the request, leaves
 * the replicas that never made that call looking like another service:
 * they serve the same clients on the same port, and use one group less.
 * Grouping by behaviour parts them (cart replicas with and without a call
 * to Redis), and the replicas without the call lose its rule.
 *
 * Two groups join when they serve one service to the same clients steadily
 * (not a collector service, such as the metrics exporter every pod offers
 * to one Prometheus: that is no role),
 * and every call that only one of them makes (or receives) is rare enough
 * for chance to explain it: were they all replicas of one service, each
 * such connection would land on one side with the odds of that side's
 * share of the hosts, so all N on one side has a chance of share^N. The
 * product over every difference must stay above a plain significance
 * level. A steady difference (one web tier calling its own back end, the
 * other another one) has no chance at all; groups that labels name
 * differently never join, nor a group of listed pods and one holding a host
 * the pod list does not name although it was alive then (listed-pods.ts);
 * the closest pair joins first, then the groups are compared again.
 */
export const RARE_CALL_DEFAULTS = {
  /**
   * The joint chance, for replicas of one service, of every difference seen:
   * below this the groups differ by more than chance. 0.05, the usual level
   * of a test: a merge needs the differences to be unremarkable, not merely
   * possible.
   */
  minChance: 0.05,
  /**
   * Connections each group needs on a service it serves to the same clients:
   * the steady shared work that makes them replicas at all. Ten: fewer say
   * nothing about a role, and more than ten calls of chance alone are rare
   * enough (share^10 is below 0.03 for any side under 70% of the hosts) to
   * be a difference in their own right.
   */
  minSharedFlows: 10,
  /**
   * Rounds of joining; each compares the joined groups again. A group joins
   * once per round, so a service split into k fragments needs about log2(k)
   * rounds: 8 rounds join 256 fragments, more than any service's replicas
   * are split into.
   */
  rounds: 8,
  /**
   * An unlisted host heard within this long of the capture's end was alive
   * when a pod list taken after the capture was made, so it joins no group
   * of listed pods (listed-pods.ts). An hour: every pod serving a call graph
   * is reached within the hour (the kubelet probes it every few seconds,
   * Prometheus scrapes it every minute), while an old replica of a rollout
   * is silent for longer than that before the list is taken.
   */
  listedAliveMs: 3_600_000,
} as const;

export type RareCallOptions = { readonly [K in keyof typeof RARE_CALL_DEFAULTS]: number };

/**
 * `groups`: host indexes per group; `identityOf`: a host's label identity
 * (null: none). Returns the groups with rare-call replicas joined, ordered
 * by first member, and why each host of a group that joined another did.
 */
export function joinRareCallReplicas(
  features: HostFeatures,
  edges: readonly ProfileEdge[],
  groups: readonly (readonly number[])[],
  identityOf: (host: number) => string | null,
  options: RareCallOptions = RARE_CALL_DEFAULTS,
): { groups: number[][]; notes: Map<number, JoinNote> } {
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  // A node's health checks say where a pod runs, not what it is; remote administration is no role.
  const collectors = collectorServicesOf(edges);
  const roleEdges = roleEdgesOf(edges, { probers: true });
  const podList = listedApart(features, edges, options.listedAliveMs);
  let current = groups.map((members) => [...members]);
  const notes = new Map<number, JoinNote>();
  for (let round = 0; round < options.rounds; round++) {
    const groupOf = groupIndexOfHosts(features.hosts.length, current);
    const peer = (ip: string): string => {
      const index = hostIndex.get(ip);
      return index === undefined || groupOf[index]! < 0 ? 'outside' : `g${groupOf[index]}`;
    };
    const behaviours = behavioursOf(roleEdges, hostIndex, current.map((members) => members.length), (host) => groupOf[host]!, peer);
    const identities = current.map((members) => groupIdentity(members, identityOf));
    const apart = (a: number, b: number): boolean => conflicting(identities[a]!, identities[b]!) || podList(current[a]!, current[b]!);
    // Candidates share a served feature that is a role.
    const anchors = new Set<string>();
    const byServed = new Map<string, number[]>();
    behaviours.forEach((behaviour, group) => {
      for (const feature of behaviour.flows.keys()) {
        if (!isAnchor(feature, behaviour.flows.get(feature)!, collectors, options.minSharedFlows)) continue;
        anchors.add(feature);
        let list = byServed.get(feature);
        if (list === undefined) byServed.set(feature, (list = []));
        list.push(group);
      }
    });
    const seen = new Set<number>();
    const pairs: { a: number; b: number; comparison: Comparison }[] = [];
    for (const list of byServed.values()) {
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const [a, b] = [list[i]!, list[j]!];
          const key = a * current.length + b;
          if (seen.has(key)) continue;
          seen.add(key);
          if (apart(a, b)) continue;
          const comparison = compareBehaviours(behaviours[a]!, behaviours[b]!, options.minSharedFlows, anchors);
          if (comparison !== null && comparison.chance >= options.minChance) pairs.push({ a, b, comparison });
        }
      }
    }
    if (pairs.length === 0) break;
    // The likeliest pair first; a group joins once per round, and the groups are compared again next round.
    pairs.sort((x, y) => y.comparison.chance - x.comparison.chance || x.a - y.a || x.b - y.b);
    const taken = new Set<number>();
    const into = current.map((_, group) => group);
    const named = (group: number): string => groupLabel(features.hosts[current[group]![0]!]!.ip, current[group]!.length);
    for (const { a, b, comparison } of pairs) {
      if (taken.has(a) || taken.has(b)) continue;
      taken.add(a);
      taken.add(b);
      into[b] = a;
      const text = `a replica apart from chance: it serves the same clients as ${named(a)}, and what only one of them did (${describeDifferences(comparison.differences, (peer) => named(Number(peer.slice(1))))}) is what replicas of one service show by chance ${Math.round(comparison.chance * 100)}% of the time`;
      for (const host of current[b]!) notes.set(host, { text, partner: current[a]![0]! });
    }
    current = mergeGroups(current, (group) => into[group]!);
  }
  return { groups: current.sort((a, b) => a[0]! - b[0]!), notes };
}
