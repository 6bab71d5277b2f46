import { compareText } from '../util/compare';
import { chooseCut } from './choose-cut';
import { DESCRIBE_DEFAULTS, GroupDescriber } from './describe-groups';
import { analyseGraph, type GraphAnalysis, type GroupKind, type Tier } from './graph-analysis';
import { joinByIdentity } from './join-by-identity';
import { buildHostFeatures, type HostFeatures, type ProfileEdge, type ProfileHost } from './host-features';
import { nnChainLinkage } from './nn-chain';
import { ProfileDistances } from './profile-distances';

/**
 * Application groups from behaviour: host profiles, average-linkage
 * hierarchical clustering of the distinct profiles (each weighted by its
 * host count), a cut chosen by silhouette, parts of one labelled workload
 * rejoined where they still behave alike (join-by-identity.ts), then groups
 * split wherever labels say hosts must stay apart (prod and dev never share
 * a group).
 * Every group gets a name, agreed labels, a confidence and, where one
 * exists, an exact membership rule; every host a reason.
 */
export const DISCOVERY_DEFAULTS = {
  /** Label keys whose different values must never share a group. */
  separatingKeys: ['env', 'environment', 'k8s:env', 'k8s:environment'],
} as const;

export interface DiscoveryInput {
  /** The internal hosts to group, with their labels. */
  readonly hosts: readonly ProfileHost[];
  /** Client→server edges that were allowed or of unknown action. */
  readonly edges: readonly ProfileEdge[];
  /** Host names by address, for hostname rules. */
  readonly names: ReadonlyMap<string, string>;
}

export interface DiscoveredGroup {
  /** "g1", "g2", … in the order of each group's first member (canonical address order). */
  readonly id: string;
  readonly name: string;
  readonly members: readonly string[];
  /**
   * Mean of the members' silhouettes, floored at 0: how much closer they are
   * to each other than to the nearest other group (for a host alone in its
   * group, its mean distance to the nearest other group).
   */
  readonly confidence: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly rule: string | null;
  /** Application, shared infrastructure (its services used by most other groups) or clients (serve nothing). */
  readonly kind: GroupKind;
  readonly tier: Tier;
  /** The Louvain community most members fall in (−1: infrastructure, left out), and that share of the members. */
  readonly community: number;
  readonly communityShare: number;
}

export interface HostAssignment {
  readonly ip: string;
  readonly groupId: string;
  readonly confidence: number;
  readonly reason: string;
  /** The host's labels that contradict what the rest of its group agrees on: flagged, not trusted. */
  readonly labelConflicts: readonly string[];
}

export interface Discovery {
  readonly groups: readonly DiscoveredGroup[];
  /** One per internal host, in canonical address order. */
  readonly assignments: readonly HostAssignment[];
  readonly profiles: number;
  readonly cut: { readonly criterion: string; readonly height: number; readonly clusters: number; readonly silhouette: number };
  readonly graph: Pick<GraphAnalysis, 'communities' | 'modularity' | 'topReach'>;
}

export interface DiscoveryControl {
  readonly signal?: AbortSignal;
  readonly onProgress?: (fraction: number, detail: string) => void;
}

/** A group an analyst approved in an earlier run: kept as it is (id, name, members still present). */
export interface ApprovedGroup {
  readonly id: string;
  readonly name: string;
  readonly members: readonly string[];
}

export interface DiscoveryOptions {
  /** Move the dendrogram cut: this many clusters of distinct profiles instead of the silhouette's choice. */
  readonly clusters?: number;
  readonly approved?: readonly ApprovedGroup[];
}

export function discoverGroups(input: DiscoveryInput, control: DiscoveryControl = {}, options: DiscoveryOptions = {}): Discovery {
  const progress = (from: number, to: number, detail: string) => (fraction: number) => control.onProgress?.(from + (to - from) * fraction, detail);
  const features = buildHostFeatures(input.hosts, input.edges);
  const profileCount = features.profileHosts.length;
  const hostsPerProfile = Float64Array.from(features.profileHosts, (hosts) => hosts.length);
  const distances = new ProfileDistances(features);
  let clusterOfHost: Int32Array;
  let cut: Discovery['cut'] = { criterion: 'fewer than three distinct profiles: one group per profile', height: 0, clusters: profileCount, silhouette: 0 };
  if (profileCount >= 3) {
    const condensed = distances.condensed({ signal: control.signal, onProgress: progress(0, 0.3, 'distances between host profiles') });
    const merges = nnChainLinkage(profileCount, condensed, 'average', { signal: control.signal, onProgress: progress(0.3, 0.6, 'hierarchical clustering'), sizes: hostsPerProfile });
    const choice = chooseCut(distances, merges, hostsPerProfile, { signal: control.signal, onProgress: progress(0.6, 0.85, 'choosing the cut'), clusters: options.clusters });
    cut = { criterion: choice.criterion, height: choice.height, clusters: choice.clusters, silhouette: choice.silhouette };
    clusterOfHost = Int32Array.from(features.profileOfHost, (profile) => choice.clusterOfProfile[profile]!);
  } else {
    clusterOfHost = Int32Array.from(features.profileOfHost);
  }
  const discovered = separateByLabels(features, joinByIdentity(features, distances, clusterGroups(clusterOfHost)));
  const { groups: groupsOfHosts, fixed } = keepApproved(features, discovered, options.approved ?? []);
  control.signal?.throwIfAborted();
  const result = describeAll(features, groupsOfHosts, fixed, distances, input.names, progress(0.85, 0.95, 'explaining groups'), control.signal);
  control.onProgress?.(0.95, 'graph analysis');
  const graph = analyseGraph(features.hosts.map((host) => host.ip), groupsOfHosts, input.edges);
  const groups = result.groups.map((group, index) => {
    const facts = graph.groups[index]!;
    return { ...group, kind: facts.kind, tier: facts.tier, community: facts.community, communityShare: facts.communityShare };
  });
  return { groups, assignments: result.assignments, profiles: profileCount, cut, graph: { communities: graph.communities, modularity: graph.modularity, topReach: graph.topReach } };
}

/**
 * Groups as lists of host indexes, split wherever members carry different
 * values of a separating label; hosts without that label join the largest
 * labelled part (they have nothing that says they must stay apart).
 * Ordered by first member.
 */
function separateByLabels(features: HostFeatures, clusters: readonly number[][]): number[][] {
  const groups: number[][] = [];
  for (const members of clusters) {
    const parts = new Map<string, number[]>();
    const unlabelled: number[] = [];
    for (const host of members) {
      const value = separatingValue(features, host);
      if (value === null) unlabelled.push(host);
      else parts.set(value, [...(parts.get(value) ?? []), host]);
    }
    const ordered = [...parts.entries()].sort((a, b) => b[1].length - a[1].length || compareText(a[0], b[0])).map(([, hosts]) => hosts);
    if (ordered.length === 0) ordered.push([]);
    ordered[0]!.push(...unlabelled);
    for (const part of ordered) groups.push(part.sort((a, b) => a - b));
  }
  return groups.sort((a, b) => a[0]! - b[0]!);
}

/**
 * Approved groups keep their id, name and the members still present; those
 * hosts leave the groups discovery put them in. Discovered groups come
 * first, in order of first member, then the approved ones in their order.
 */
function keepApproved(features: HostFeatures, discovered: readonly number[][], approved: readonly ApprovedGroup[]): { groups: number[][]; fixed: (ApprovedGroup | null)[] } {
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
function groupIds(fixed: readonly (ApprovedGroup | null)[]): string[] {
  const reserved = new Set(fixed.flatMap((group) => (group === null ? [] : [group.id])));
  let next = 1;
  return fixed.map((group) => {
    if (group !== null) return group.id;
    while (reserved.has(`g${next}`)) next++;
    return `g${next++}`;
  });
}

/** Hosts per cluster, clusters in order of first member. */
function clusterGroups(clusterOfHost: Int32Array): number[][] {
  const clusters = new Map<number, number[]>();
  clusterOfHost.forEach((cluster, host) => {
    const members = clusters.get(cluster);
    if (members === undefined) clusters.set(cluster, [host]);
    else members.push(host);
  });
  return [...clusters.values()];
}

function separatingValue(features: HostFeatures, host: number): string | null {
  for (const key of DISCOVERY_DEFAULTS.separatingKeys) {
    const label = features.hosts[host]!.labels.find((candidate) => candidate.key === key);
    if (label !== undefined) return label.value;
  }
  return null;
}

function describeAll(
  features: HostFeatures,
  groups: readonly number[][],
  fixed: readonly (ApprovedGroup | null)[],
  distances: ProfileDistances,
  names: ReadonlyMap<string, string>,
  onProgress: (fraction: number) => void,
  signal: AbortSignal | undefined,
): { groups: Omit<DiscoveredGroup, 'kind' | 'tier' | 'community' | 'communityShare'>[]; assignments: HostAssignment[] } {
  const ids = groupIds(fixed);
  const groupOfHost = new Int32Array(features.hosts.length);
  groups.forEach((members, group) => {
    for (const host of members) groupOfHost[host] = group;
  });
  const similarity = groupSimilarities(features, distances, groupOfHost, groups.length, onProgress, signal);
  const describer = new GroupDescriber(features, names);
  const featureCounts = groups.map((members) => describer.featureCounts(members));
  const descriptions = groups.map((members) => describer.describe(members));
  const assignments: HostAssignment[] = features.hosts.map((host, index) => {
    const group = groupOfHost[index]!;
    const nearestGroup = similarity.nearestGroup[index]!;
    const conflicts = labelConflicts(features, index, groups[group]!);
    const reason = describer.reason(index, featureCounts[group]!, groups[group]!.length, {
      own: similarity.own[index]!,
      nearest: similarity.nearest[index]!,
      nearestGroup: nearestGroup < 0 ? null : ids[nearestGroup]!,
    });
    const approved = fixed[group] === null ? '' : `approved group, kept from an earlier run; `;
    const agreed = descriptions[group]!.labels;
    const agreeing = host.labels.filter((label) => agreed[label.key] === label.value).map((label) => `${label.key}=${label.value}`);
    const agreement = agreeing.length === 0 || groups[group]!.length === 1 ? '' : `; labels agree: ${[...new Set(agreeing)].sort(compareText).join(', ')}`;
    return {
      ip: host.ip,
      groupId: ids[group]!,
      confidence: round(similarity.silhouette[index]!),
      reason: approved + reason + agreement + (conflicts.length === 0 ? '' : `; labels contradict behaviour: ${conflicts.join(', ')}`),
      labelConflicts: conflicts,
    };
  });
  const described = groups.map((members, group) => {
    const description = descriptions[group]!;
    let confidence = 0;
    for (const host of members) confidence += similarity.silhouette[host]!;
    return {
      id: ids[group]!,
      name: fixed[group]?.name ?? description.name,
      members: members.map((host) => features.hosts[host]!.ip),
      confidence: round(confidence / members.length),
      labels: description.labels,
      rule: description.rule,
    };
  });
  return { groups: described, assignments };
}

/**
 * The host's labels that the other members of its group (at least two)
 * agree otherwise on: the inventory says one thing, behaviour another.
 */
function labelConflicts(features: HostFeatures, host: number, members: readonly number[]): string[] {
  const others = members.filter((member) => member !== host);
  if (others.length < 2) return [];
  const conflicts: string[] = [];
  for (const label of features.hosts[host]!.labels) {
    const values = new Map<string, number>();
    for (const other of others) {
      const value = features.hosts[other]!.labels.find((candidate) => candidate.key === label.key)?.value;
      if (value !== undefined) values.set(value, (values.get(value) ?? 0) + 1);
    }
    for (const [value, count] of values) {
      if (value !== label.value && count >= DESCRIBE_AGREEMENT * others.length) conflicts.push(`${label.key}=${label.value} (the ${count} others: ${value})`);
    }
  }
  return conflicts.sort(compareText);
}

/**
 * Per host: mean similarity to the other members of its group, to the
 * nearest other group, and its silhouette (floored at 0), over host-weighted
 * profile distances. One distance row per distinct profile.
 */
function groupSimilarities(
  features: HostFeatures,
  distances: ProfileDistances,
  groupOfHost: Int32Array,
  groupCount: number,
  onProgress: (fraction: number) => void,
  signal: AbortSignal | undefined,
) {
  const hostCount = features.hosts.length;
  const own = new Float64Array(hostCount);
  const nearest = new Float64Array(hostCount);
  const nearestGroup = new Int32Array(hostCount).fill(-1);
  const silhouette = new Float64Array(hostCount);
  const groupSize = new Float64Array(groupCount);
  for (const group of groupOfHost) groupSize[group]!++;
  const row = new Float64Array(distances.size);
  const sums = new Float64Array(groupCount);
  const profiles = features.profileHosts.length;
  for (let profile = 0; profile < profiles; profile++) {
    if (profile % 64 === 0) {
      signal?.throwIfAborted();
      onProgress(profile / profiles);
    }
    distances.row(profile, row);
    // Hosts of one profile may sit in different groups (split by labels): sums are per host group.
    sums.fill(0);
    for (let host = 0; host < hostCount; host++) sums[groupOfHost[host]!]! += row[features.profileOfHost[host]!]!;
    for (const host of features.profileHosts[profile]!) {
      const group = groupOfHost[host]!;
      const others = groupSize[group]! - 1;
      const a = others > 0 ? sums[group]! / others : 0;
      let b = Infinity;
      let bGroup = -1;
      for (let g = 0; g < groupCount; g++) {
        if (g !== group && sums[g]! / groupSize[g]! < b) {
          b = sums[g]! / groupSize[g]!;
          bGroup = g;
        }
      }
      own[host] = others > 0 ? 1 - a : 1;
      nearest[host] = bGroup < 0 ? 0 : 1 - b;
      nearestGroup[host] = bGroup;
      // Alone in its group, a host is as certain as it is far from the nearest other group.
      const s = bGroup < 0 ? 0 : others <= 0 ? b : Math.max(a, b) === 0 ? 0 : (b - a) / Math.max(a, b);
      silhouette[host] = Math.max(0, s);
    }
  }
  return { own, nearest, nearestGroup, silhouette };
}

const round = (value: number): number => Math.round(value * 100) / 100;
const DESCRIBE_AGREEMENT = DESCRIBE_DEFAULTS.labelAgreement;
