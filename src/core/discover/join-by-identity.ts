import type { HostFeatures } from './host-features';
import { appendTo } from '../util/multimap';
import type { ProfileDistances } from './profile-distances';

/**
 * Labels that name a workload's identity (a Kubernetes app label, what its
 * Service selects on; an inventory's application and tier in one
 * environment) rejoin groups that behaviour alone split, when the parts are
 * still alike: versions of one service where only some call a dependency,
 * a database primary and its standby. Parts that behave too differently stay
 * apart: the label is then a claim behaviour does not support.
 */
export const JOIN_DEFAULTS = {
  /** Key sets, tried in order: a group's identity is the first whose keys every member carries with one value. */
  identityKeys: [['k8s:app.kubernetes.io/name', 'k8s:app.kubernetes.io/instance'], ['k8s:app.kubernetes.io/name'], ['k8s:app'], ['env', 'app', 'tier']],
  /** Groups of one identity join when their mean host distance is at most this. */
  maxDistance: 0.6,
} as const;

/** `groups` are lists of host indexes; returns the joined groups, ordered by first member. */
export function joinByIdentity(features: HostFeatures, distances: ProfileDistances, groups: readonly number[][]): number[][] {
  const byIdentity = new Map<string, number[]>();
  groups.forEach((members, group) => {
    const identity = identityOf(features, members);
    if (identity !== null) appendTo(byIdentity, identity, group);
  });
  const joinedInto = Int32Array.from(groups, (_, group) => group);
  const row = new Float64Array(distances.size);
  for (const sameIdentity of byIdentity.values()) {
    // Greedy in group order: each later group joins the first earlier one it is close enough to.
    for (let k = 1; k < sameIdentity.length; k++) {
      const group = sameIdentity[k]!;
      for (let earlier = 0; earlier < k; earlier++) {
        const target = joinedInto[sameIdentity[earlier]!]!;
        if (target !== sameIdentity[earlier]) continue;
        if (meanDistance(features, distances, groups[group]!, groups[target]!, row) <= JOIN_DEFAULTS.maxDistance) {
          joinedInto[group] = target;
          break;
        }
      }
    }
  }
  const joined = new Map<number, number[]>();
  groups.forEach((members, group) => {
    const target = joinedInto[group]!;
    appendTo(joined, target, ...members);
  });
  return [...joined.values()].map((members) => members.sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!);
}

function identityOf(features: HostFeatures, members: readonly number[]): string | null {
  for (const keys of JOIN_DEFAULTS.identityKeys) {
    const values = keys.map((key) => {
      const seen = new Set(members.map((host) => features.hosts[host]!.labels.find((label) => label.key === key)?.value ?? null));
      return seen.size === 1 && !seen.has(null) ? [...seen][0]! : null;
    });
    if (values.every((value) => value !== null)) return keys.map((key, i) => `${key}=${values[i]}`).join(' ');
  }
  return null;
}

/** Mean distance between the hosts of two groups (each profile row computed once). */
function meanDistance(features: HostFeatures, distances: ProfileDistances, a: readonly number[], b: readonly number[], row: Float64Array): number {
  let total = 0;
  const profilesOfA = new Map<number, number>();
  for (const host of a) profilesOfA.set(features.profileOfHost[host]!, (profilesOfA.get(features.profileOfHost[host]!) ?? 0) + 1);
  for (const [profile, count] of profilesOfA) {
    // A workload's parts serve the same clients (one Service, one load
    // balancer) even where versions differ in what they call: judge them
    // on whom they serve, and on their whole profile when they serve nothing.
    distances.row(profile, row, 0, 'servesGroup');
    for (const host of b) total += count * row[features.profileOfHost[host]!]!;
  }
  return total / (a.length * b.length);
}
