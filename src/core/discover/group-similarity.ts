import { isPlacementLabel } from '../ingest/observed-labels';
import { compareText } from '../util/compare';
import { DESCRIBE_DEFAULTS } from './describe-groups';
import type { HostFeatures } from './host-features';
import type { ProfileDistances } from './profile-distances';

/**
 * The host's labels that the other members of its group (at least two)
 * agree otherwise on: the inventory says one thing, behaviour another.
 */
export function labelConflicts(features: HostFeatures, host: number, members: readonly number[]): string[] {
  const others = members.filter((member) => member !== host);
  if (others.length < 2) return [];
  const conflicts: string[] = [];
  for (const label of features.hosts[host]!.labels) {
    // Hosts of one application behind different NSGs or in different subnets contradict nothing.
    if (isPlacementLabel(label.key)) continue;
    const values = new Map<string, number>();
    for (const other of others) {
      const value = features.hosts[other]!.labels.find((candidate) => candidate.key === label.key)?.value;
      if (value !== undefined) values.set(value, (values.get(value) ?? 0) + 1);
    }
    for (const [value, count] of values) {
      if (value !== label.value && count >= DESCRIBE_DEFAULTS.labelAgreement * others.length) conflicts.push(`${label.key}=${label.value} (the ${count} others: ${value})`);
    }
  }
  return conflicts.sort(compareText);
}

/**
 * Per host: mean similarity to the other members of its group, to the
 * nearest other group, and its silhouette (floored at 0), over host-weighted
 * profile distances. One distance row per distinct profile.
 */
export function groupSimilarities(
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
