import type { ApprovedGroup } from './approved-groups';
import { appendTo } from '../util/multimap';
import type { HostFeatures } from './host-features';
import { compareText } from '../util/compare';
import { ENVIRONMENT_LABEL_KEYS } from '../enrich/label-keys';

/**
 * From the dendrogram's clusters to the final groups of host indexes:
 * split where labels say hosts must stay apart, approved groups kept as
 * they are, ids that respect the approved ones.
 */
export const ASSEMBLY_DEFAULTS = {
  /** Label keys whose different values must never share a group. */
  separatingKeys: ENVIRONMENT_LABEL_KEYS,
} as const;

/**
 * Groups as lists of host indexes, split wherever members carry different
 * values of a separating label; hosts without that label join the largest
 * labelled part (they have nothing that says they must stay apart).
 * Ordered by first member.
 */
export function separateByLabels(features: HostFeatures, clusters: readonly number[][]): number[][] {
  const groups: number[][] = [];
  for (const members of clusters) {
    const parts = new Map<string, number[]>();
    const unlabelled: number[] = [];
    for (const host of members) {
      const value = separatingValue(features, host);
      if (value === null) unlabelled.push(host);
      else appendTo(parts, value, host);
    }
    const ordered = [...parts.entries()].sort((a, b) => b[1].length - a[1].length || compareText(a[0], b[0])).map(([, hosts]) => hosts);
    if (ordered.length === 0) ordered.push([]);
    for (const host of unlabelled) ordered[0]!.push(host);
    for (const part of ordered) groups.push(part.sort((a, b) => a - b));
  }
  return groups.sort((a, b) => a[0]! - b[0]!);
}

/**
 * Approved groups keep their id, name and the members still present; those
 * hosts leave the groups discovery put them in. Discovered groups come
 * first, in order of first member, then the approved ones in their order.
 */
export function keepApproved(features: HostFeatures, discovered: readonly number[][], approved: readonly ApprovedGroup[]): { groups: number[][]; fixed: (ApprovedGroup | null)[] } {
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const taken = new Set<number>();
  const kept: { group: ApprovedGroup; members: number[] }[] = [];
  for (const group of approved) {
    const members = group.members.map((ip) => hostIndex.get(ip)).filter((host): host is number => host !== undefined && !taken.has(host));
    if (members.length === 0) continue;
    for (const host of members) taken.add(host);
    kept.push({ group, members: members.sort((a, b) => a - b) });
  }
  const remaining = discovered.map((members) => members.filter((host) => !taken.has(host))).filter((members) => members.length > 0);
  return { groups: [...remaining, ...kept.map((entry) => entry.members)], fixed: [...remaining.map(() => null), ...kept.map((entry) => entry.group)] };
}

/** Approved groups keep their ids; discovered ones are numbered g1, g2, … skipping those. */
export function groupIds(fixed: readonly (ApprovedGroup | null)[]): string[] {
  const reserved = new Set(fixed.flatMap((group) => (group === null ? [] : [group.id])));
  let next = 1;
  return fixed.map((group) => {
    if (group !== null) return group.id;
    while (reserved.has(`g${next}`)) next++;
    return `g${next++}`;
  });
}

/** Hosts per cluster, clusters in order of first member. */
export function clusterGroups(clusterOfHost: Int32Array): number[][] {
  const clusters = new Map<number, number[]>();
  clusterOfHost.forEach((cluster, host) => {
    const members = clusters.get(cluster);
    if (members === undefined) clusters.set(cluster, [host]);
    else members.push(host);
  });
  return [...clusters.values()];
}

function separatingValue(features: HostFeatures, host: number): string | null {
  // A host whose name contradicts its inventory row is separated by what grouping reads instead (doubted-rows.ts).
  const labels = features.doubtedRows?.get(host)?.labels ?? features.hosts[host]!.labels;
  for (const key of ASSEMBLY_DEFAULTS.separatingKeys) {
    const label = labels.find((candidate) => candidate.key === key);
    if (label !== undefined) return label.value;
  }
  return null;
}

/**
 * Groups moved into others: each group's members go to the group `into`
 * names for it (itself to stay), in order of the first group to reach each
 * target, each group's members in ascending order.
 */
export function mergeGroups(groups: readonly (readonly number[])[], into: (group: number) => number): number[][] {
  const merged = new Map<number, number[]>();
  groups.forEach((members, group) => appendTo(merged, into(group), ...members));
  return [...merged.values()].map((members) => members.sort((a, b) => a - b));
}

/** A group as peers and notes name it: its first member's address, and how many more ("{10.0.0.5 +2}"). */
export const groupLabel = (first: string, size: number): string => (size === 1 ? first : `{${first} +${size - 1}}`);

/** Per host index, the index of the group holding it (-1: none). */
export function groupIndexOfHosts(hostCount: number, groups: readonly (readonly number[])[]): Int32Array {
  const groupOf = new Int32Array(hostCount).fill(-1);
  groups.forEach((members, group) => {
    for (const host of members) groupOf[host] = group;
  });
  return groupOf;
}
