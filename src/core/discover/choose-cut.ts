import type { Merge } from './nn-chain';
import type { ProfileDistances } from './profile-distances';

/**
 * Where to cut the dendrogram: the cut with the best mean silhouette over
 * hosts (each profile weighted by its host count). Silhouette compares each
 * host's mean distance to its own cluster with that to the nearest other
 * cluster, so it rewards cuts whose clusters are tight and apart, without a
 * number of groups fixed in advance. Only cuts at the largest gaps between
 * successive merge heights are scored: a cut inside a run of similar
 * heights is rarely better than one at the gap that ends it, and scoring is
 * O(profiles × sampled profiles × candidates).
 */
export const CUT_DEFAULTS = {
  /** How many cuts (the largest height gaps) are scored on large trees. */
  candidates: 16,
  /** Below this many profiles every cut is scored. */
  scoreEveryCutBelow: 300,
  /**
   * Profiles whose silhouettes are averaged, evenly spaced: beyond a thousand
   * the estimate no longer changes which cut wins, and scoring stays
   * O(profiles × sampled) instead of O(profiles²).
   */
  sampledProfiles: 1000,
} as const;

export interface CutChoice {
  /** Per profile: its cluster, numbered 0.. in order of each cluster's first profile. */
  readonly clusterOfProfile: Int32Array;
  readonly clusters: number;
  /** The merge height the cut lies above (merges at or below it are kept). */
  readonly height: number;
  /** Mean silhouette over hosts at this cut (estimated on CUT_DEFAULTS.sampledProfiles profiles beyond that many). */
  readonly silhouette: number;
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
  control: { readonly signal?: AbortSignal; readonly onProgress?: (fraction: number) => void; readonly clusters?: number } = {},
): CutChoice {
  const n = distances.size;
  const wanted = control.clusters;
  const criterion =
    wanted === undefined
      ? 'best mean silhouette (cosine distance, hosts weighted) among the cuts at the largest merge-height gaps'
      : `moved by the analyst to ${wanted} clusters of distinct profiles`;
  if (n <= 2) {
    const clusterOfProfile = Int32Array.from({ length: n }, (_, p) => p);
    return { clusterOfProfile, clusters: n, height: 0, silhouette: 0, criterion };
  }
  // The analyst's cut: keeping n − k merges leaves k clusters (1 ≤ k ≤ n).
  const candidates = wanted === undefined ? candidateCuts(merges, n) : [n - Math.min(n, Math.max(1, Math.round(wanted)))];
  const labelings = candidates.map((kept) => clustersAfter(n, merges, kept));
  const scores = silhouettes(distances, labelings, hostsPerProfile, control);
  let best = 0;
  for (let c = 1; c < candidates.length; c++) {
    // Ties keep the coarser cut (fewer groups to review).
    if (scores[c]! > scores[best]! + 1e-12) best = c;
  }
  const kept = candidates[best]!;
  const clusterOfProfile = labelings[best]!;
  let clusters = 0;
  for (const cluster of clusterOfProfile) clusters = Math.max(clusters, cluster + 1);
  return {
    clusterOfProfile,
    clusters,
    height: kept === 0 ? 0 : merges[kept - 1]!.height,
    silhouette: scores[best]!,
    criterion,
  };
}

/**
 * Numbers of merges to keep, coarsest first: every cut when the tree is
 * small, else the cuts at the largest gaps between successive heights; and
 * always the cut that keeps every distinct profile apart (replicas of one
 * service share a profile, so that is often the right answer).
 */
function candidateCuts(merges: readonly Merge[], n: number): number[] {
  const kept = new Set<number>([0]);
  if (n <= CUT_DEFAULTS.scoreEveryCutBelow) {
    // Keeping k merges leaves n − k clusters: between 2 and n.
    for (let k = 1; k <= n - 2; k++) kept.add(k);
  } else {
    const gaps: { kept: number; gap: number }[] = [];
    for (let k = 1; k <= n - 2; k++) gaps.push({ kept: k, gap: merges[k]!.height - merges[k - 1]!.height });
    gaps.sort((x, y) => y.gap - x.gap || y.kept - x.kept);
    for (const entry of gaps.slice(0, CUT_DEFAULTS.candidates)) kept.add(entry.kept);
  }
  return [...kept].sort((x, y) => y - x);
}

/**
 * Mean silhouette per labeling, one pass over the distance rows for all of
 * them. The labelings are cuts of one tree, so each is a coarsening of the
 * finest: a row's distance sums are taken per finest cluster once (O(n)),
 * and every coarser labeling adds those up (O(clusters)).
 */
function silhouettes(
  distances: ProfileDistances,
  labelings: readonly Int32Array[],
  weight: ArrayLike<number>,
  control: { readonly signal?: AbortSignal; readonly onProgress?: (fraction: number) => void },
): number[] {
  const n = distances.size;
  const clusterCount = (labels: Int32Array): number => {
    let clusters = 0;
    for (const label of labels) clusters = Math.max(clusters, label + 1);
    return clusters;
  };
  let finest = 0;
  labelings.forEach((labels, index) => {
    if (clusterCount(labels) > clusterCount(labelings[finest]!)) finest = index;
  });
  const fine = labelings[finest]!;
  const fineCount = clusterCount(fine);
  const results = labelings.map((labels) => {
    const clusters = clusterCount(labels);
    // Nested cuts: every finest cluster lies inside one cluster of this labeling.
    const coarseOfFine = new Int32Array(fineCount);
    for (let p = 0; p < n; p++) coarseOfFine[fine[p]!] = labels[p]!;
    const hostsIn = new Float64Array(clusters);
    for (let p = 0; p < n; p++) hostsIn[labels[p]!]! += weight[p]!;
    return { labels, coarseOfFine, hostsIn, sums: new Float64Array(clusters), total: 0 };
  });
  const sampled = Math.min(n, CUT_DEFAULTS.sampledProfiles);
  let hosts = 0;
  const row = new Float64Array(n);
  const fineSums = new Float64Array(fineCount);
  for (let k = 0; k < sampled; k++) {
    const i = Math.floor((k * n) / sampled);
    if (k % 20 === 0) {
      control.signal?.throwIfAborted();
      control.onProgress?.(k / sampled);
    }
    hosts += weight[i]!;
    distances.row(i, row);
    fineSums.fill(0);
    for (let j = 0; j < n; j++) fineSums[fine[j]!]! += row[j]! * weight[j]!;
    for (const result of results) {
      const { labels, coarseOfFine, hostsIn, sums } = result;
      sums.fill(0);
      for (let f = 0; f < fineCount; f++) sums[coarseOfFine[f]!]! += fineSums[f]!;
      const own = labels[i]!;
      // The host's own copies are at distance 0 and count among its cluster's others.
      const others = hostsIn[own]! - 1;
      if (others <= 0) continue;
      const a = sums[own]! / others;
      let b = Infinity;
      for (let c = 0; c < sums.length; c++) if (c !== own && sums[c]! / hostsIn[c]! < b) b = sums[c]! / hostsIn[c]!;
      const s = b === Infinity || Math.max(a, b) === 0 ? 0 : (b - a) / Math.max(a, b);
      result.total += s * weight[i]!;
    }
  }
  return results.map((result) => (hosts === 0 ? 0 : result.total / hosts));
}
