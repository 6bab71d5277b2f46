import type { HostFeatures } from './host-features';
import { compareText } from '../util/compare';

// Evidence that two groups are one workload, shared by join-by-identity.ts,
// propagate-identity.ts and identity-subsets.ts.

/** The services (feature ids of kind 'serves') any of the hosts serves. */
export function servedServices(features: HostFeatures, members: readonly number[]): Set<number> {
  return servicesOfKind(features, members, 'serves');
}

/** The services (feature ids of kind 'uses') any of the hosts uses on its servers. */
export function usedServices(features: HostFeatures, members: readonly number[]): Set<number> {
  return servicesOfKind(features, members, 'uses');
}

function servicesOfKind(features: HostFeatures, members: readonly number[], kind: 'serves' | 'uses'): Set<number> {
  const services = new Set<number>();
  const profiles = new Set(members.map((host) => features.profileOfHost[host]!));
  for (const profile of profiles) {
    for (let k = features.featureStart[profile]!; k < features.featureStart[profile + 1]!; k++) {
      const feature = features.featureIds[k]!;
      if (features.features[feature]!.kind === kind) services.add(feature);
    }
  }
  return services;
}

/**
 * How much an item says about whom it belongs to: ln((N + 1) / n), for an
 * item that n of the N sets carry (smoothed, so that an item every set
 * carries still weighs a little and two sets alike only in it stay alike).
 */
export function rarity<T>(sets: readonly ReadonlySet<T>[]): (item: T) => number {
  const counts = new Map<T, number>();
  let carriers = 0;
  for (const set of sets) {
    if (set.size > 0) carriers++;
    for (const item of set) counts.set(item, (counts.get(item) ?? 0) + 1);
  }
  return (item) => Math.log((carriers + 1) / (counts.get(item) ?? 1));
}

/** The common items over all items of the two sets; 0 when both are empty. */
export function jaccard<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Jaccard with each item weighted: the weight of the common items over the weight of all. */
export function weightedJaccard<T>(a: ReadonlySet<T>, b: ReadonlySet<T>, weight: (item: T) => number): number {
  let shared = 0;
  let all = 0;
  for (const item of a) {
    const w = weight(item);
    all += w;
    if (b.has(item)) shared += w;
  }
  for (const item of b) if (!a.has(item)) all += weight(item);
  return all > 0 ? shared / all : 0;
}

/** The value at least `share` of the labelled members carry, or null (none labelled, or no such majority). */
export function majorityIdentity(members: readonly number[], identityOf: (host: number) => string | null, share: number): string | null {
  const counts = new Map<string, number>();
  let labelled = 0;
  for (const host of members) {
    const identity = identityOf(host);
    if (identity === null) continue;
    labelled++;
    counts.set(identity, (counts.get(identity) ?? 0) + 1);
  }
  if (labelled === 0) return null;
  const [identity, count] = [...counts].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))[0]!;
  return count >= share * labelled ? identity : null;
}
