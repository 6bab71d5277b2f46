import type { Merge } from './nn-chain';
import type { ProfileDistances } from './profile-distances';

/**
 * Where to cut the dendrogram: the cut with the best mean silhouette over
 * hosts (each profile weighted by its host count). Silhouette compares each
 * host's mean distance to its own cluster with that to the nearest other
 * cluster, so it rewards cuts whose clusters are tight and apart, without a
 * number of groups fixed in advance. Only cuts at the largest gaps between
 * successive merge heights are scored: a cut inside a run of similar
 * heights is never better than one at the gap that ends it, and scoring is
 * O(profiles² × candidates).
 */
export const CUT_DEFAULTS = {
  /** How many cuts (the largest height gaps) are scored. */
  candidates: 16,
} as const;

export interface CutChoice {
  /** Per profile: its cluster, numbered 0.. in order of each cluster's first profile. */
  readonly clusterOfProfile: Int32Array;
  readonly clusters: number;
  /** The merge height the cut lies above (merges at or below it are kept). */
  readonly height: number;
  /** Mean silhouette over hosts at this cut. */
  readonly silhouette: number;
  /** Per profile: its silhouette (0 for a cluster of one host). */
  readonly profileSilhouette: Float64Array;
  /** The criterion, for reports. */
  readonly criterion: string;
}

/** Clusters after applying the first `kept` merges (merges sorted by height). */
export function clustersAfter(n: number, merges: readonly Merge[], kept: number): Int32Array {
  const parent = Int32Array.from({ length: n + kept }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (let k = 0; k < kept; k++) {
    const node = n + k;
    parent[find(merges[k]!.a)] = node;
    parent[find(merges[k]!.b)] = node;
  }
  const number = new Map<number, number>();
  const cluster = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const root = find(p);
    let id = number.get(root);
    if (id === undefined) {
      id = number.size;
      number.set(root, id);
    }
    cluster[p] = id;
  }
  return cluster;
}

export function chooseCut(
  distances: ProfileDistances,
  merges: readonly Merge[],
  hostsPerProfile: ArrayLike<number>,
  control: { readonly signal?: AbortSignal; readonly onProgress?: (fraction: number) => void } = {},
): CutChoice {
  const n = distances.size;
  const criterion = 'best mean silhouette (cosine distance, hosts weighted) among the cuts at the largest merge-height gaps';
  if (n <= 2) {
    const clusterOfProfile = Int32Array.from({ length: n }, (_, p) => p);
    return { clusterOfProfile, clusters: n, height: 0, silhouette: 0, profileSilhouette: new Float64Array(n), criterion };
  }
  const candidates = candidateCuts(merges, n);
  const labelings = candidates.map((kept) => clustersAfter(n, merges, kept));
  const scores = silhouettes(distances, labelings, hostsPerProfile, control);
  let best = 0;
  for (let c = 1; c < candidates.length; c++) {
    // Ties keep the coarser cut (fewer groups to review).
    if (scores[c]!.mean > scores[best]!.mean + 1e-12) best = c;
  }
  const kept = candidates[best]!;
  const clusterOfProfile = labelings[best]!;
  let clusters = 0;
  for (const cluster of clusterOfProfile) clusters = Math.max(clusters, cluster + 1);
  return {
    clusterOfProfile,
    clusters,
    height: kept === 0 ? 0 : merges[kept - 1]!.height,
    silhouette: scores[best]!.mean,
    profileSilhouette: scores[best]!.perProfile,
    criterion,
  };
}

/** Numbers of merges to keep, at the largest gaps between successive heights, coarsest first. */
function candidateCuts(merges: readonly Merge[], n: number): number[] {
  const gaps: { kept: number; gap: number }[] = [];
  // Keeping k merges leaves n − k clusters: between 2 and n − 1.
  for (let kept = 1; kept <= n - 2; kept++) gaps.push({ kept, gap: merges[kept]!.height - merges[kept - 1]!.height });
  gaps.sort((x, y) => y.gap - x.gap || y.kept - x.kept);
  return gaps
    .slice(0, CUT_DEFAULTS.candidates)
    .map((entry) => entry.kept)
    .sort((x, y) => y - x);
}

/** Mean silhouette per labeling, one pass over the distance rows for all of them. */
function silhouettes(
  distances: ProfileDistances,
  labelings: readonly Int32Array[],
  weight: ArrayLike<number>,
  control: { readonly signal?: AbortSignal; readonly onProgress?: (fraction: number) => void },
): { mean: number; perProfile: Float64Array }[] {
  const n = distances.size;
  const row = new Float64Array(n);
  const results = labelings.map((labels) => {
    let clusters = 0;
    for (const label of labels) clusters = Math.max(clusters, label + 1);
    const hostsIn = new Float64Array(clusters);
    for (let p = 0; p < n; p++) hostsIn[labels[p]!]! += weight[p]!;
    return { labels, hostsIn, sums: new Float64Array(clusters), total: 0, perProfile: new Float64Array(n) };
  });
  let hosts = 0;
  for (let p = 0; p < n; p++) hosts += weight[p]!;
  const step = Math.max(1, Math.floor(n / 50));
  for (let i = 0; i < n; i++) {
    if (i % step === 0) {
      control.signal?.throwIfAborted();
      control.onProgress?.(i / n);
    }
    distances.row(i, row);
    for (const result of results) {
      const { labels, hostsIn, sums, perProfile } = result;
      sums.fill(0);
      for (let j = 0; j < n; j++) sums[labels[j]!]! += row[j]! * weight[j]!;
      const own = labels[i]!;
      // The host's own copies are at distance 0 and count among its cluster's others.
      const others = hostsIn[own]! - 1;
      if (others <= 0) continue;
      const a = sums[own]! / others;
      let b = Infinity;
      for (let c = 0; c < sums.length; c++) if (c !== own && sums[c]! / hostsIn[c]! < b) b = sums[c]! / hostsIn[c]!;
      const s = b === Infinity || Math.max(a, b) === 0 ? 0 : (b - a) / Math.max(a, b);
      perProfile[i] = s;
      result.total += s * weight[i]!;
    }
  }
  return results.map((result) => ({ mean: hosts === 0 ? 0 : result.total / hosts, perProfile: result.perProfile }));
}
