import { Cluster } from 'ml-hclust';
import { AVERAGE, COMPLETE, runChain, SINGLE, WARD, WEIGHTED, type ChainMerges } from './nearest-chain';

/**
 * Hierarchical agglomerative clustering in O(n²) time and little memory
 * beyond the caller's condensed distance matrix (O(n), and n² bits, 1/64 of
 * the matrix): the nearest-neighbour chain algorithm (Müllner 2011, "Modern
 * hierarchical, agglomerative clustering algorithms", §3.2 / Fig. 5) with
 * Lance–Williams updates. The chain itself is in nearest-chain.ts.
 *
 * It gives the same tree as ml-hclust's `agnes` (same update formulas, same
 * leaves, same heights up to rounding) whenever the inter-cluster distances
 * are distinct; agnes rebuilds an (n−1)² matrix at every merge and is cubic.
 * NN-chain is only correct for reducible linkages, hence the short list
 * below (no centroid, median).
 */

/**
 * The reducible linkages, with the ml-hclust method each one reproduces:
 * average = 'average'/'upgma', complete = 'complete', single = 'single',
 * weighted = 'wpgma', ward = 'ward'. Like ml-hclust's 'ward', 'ward' applies
 * the Lance–Williams Ward coefficients to the distances as given (so it is
 * textbook Ward when the caller passes squared Euclidean distances).
 */
export type Linkage = 'average' | 'complete' | 'single' | 'weighted' | 'ward';

/**
 * One merge of a scipy-style linkage list: leaves are 0..n−1 and the k-th
 * merge creates node n+k. `a < b` always (the two children by node id).
 */
export interface Merge {
  a: number;
  b: number;
  height: number;
  /** Leaves under the new node. */
  size: number;
}

export interface LinkageControl {
  /** Called about every 1% of merges with the fraction done (0..1), and with 1 at the end. */
  onProgress?: (fraction: number) => void;
  /** Checked at the start and at the same cadence as progress. */
  signal?: AbortSignal;
  /**
   * Weight of each point (finite, > 0; default 1), e.g. how many identical
   * hosts one distinct profile stands for. It seeds the cluster sizes of the
   * Lance–Williams updates, so 'average' and 'ward' give the tree (above
   * height 0) of the points with point i repeated sizes[i] times at
   * distance 0 from itself. For 'ward' that also means the starting
   * distance of a pair is scaled by 2·wi·wj/(wi + wj) (the Ward distance of
   * two groups of copies; 1 for single points). 'complete', 'single' and
   * 'weighted' do not depend on sizes. Merge.size still counts points
   * (leaves), not weight.
   */
  sizes?: ArrayLike<number>;
}

const LINKAGE_CODE: Readonly<Record<Linkage, number>> = {
  average: AVERAGE,
  complete: COMPLETE,
  single: SINGLE,
  weighted: WEIGHTED,
  ward: WARD,
};

/** Position of the pair {i, j} (i ≠ j, either order) in a condensed upper-triangle matrix of n points. */
export function condensedIndex(n: number, i: number, j: number): number {
  if (i === j || i < 0 || j < 0 || i >= n || j >= n) {
    throw new RangeError(`condensedIndex: need two distinct points in 0..${n - 1}, got ${i} and ${j}`);
  }
  const lo = i < j ? i : j;
  const hi = i < j ? j : i;
  return n * lo - (lo * (lo + 1)) / 2 + hi - lo - 1;
}

/** Number of pairs of n points: the length of their condensed matrix. */
export function condensedLength(n: number): number {
  return (n * (n - 1)) / 2;
}

/**
 * The condensed (upper-triangle, row-major, i < j) distance matrix of n
 * points: entry condensedIndex(n, i, j) = distance(i, j). `distance` is
 * only called with i < j.
 */
export function condensedDistances(n: number, distance: (i: number, j: number) => number): Float64Array {
  checkCount(n);
  const out = new Float64Array(condensedLength(n));
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) out[k++] = distance(i, j);
  }
  return out;
}

/**
 * The hierarchy over n points as a linkage list (n−1 merges, or none for
 * n < 2), in height order.
 *
 * `condensed` (see condensedDistances) is CONSUMED: the Lance–Williams
 * updates overwrite it in place, because at n = 10,000 it is 400 MB and a
 * copy would double the peak. Pass `condensed.slice()` to keep the original.
 * Distances must be finite and non-negative (RangeError otherwise).
 *
 * Determinism (all ties, and only ties, are settled by these rules, the
 * same whatever nearest-chain.ts reads to find the nearest):
 * - the chain starts at the lowest active cluster slot;
 * - the nearest neighbour of the chain's top is the chain's previous element
 *   when that one is among the nearest (Müllner: this is what guarantees the
 *   chain ends), otherwise the nearest with the lowest slot;
 * - a merged cluster takes the lower slot of its two;
 * - the merges are then stably ordered by height, equal heights keeping the
 *   order in which the chain found them (children are always found before
 *   their parent, so the result is a valid linkage).
 * Heights are made monotone: where rounding in a Lance–Williams update put a
 * parent a few ulps below a child, the parent gets the child's height.
 */
export function nnChainLinkage(n: number, condensed: Float64Array, linkage: Linkage, control: LinkageControl = {}): Merge[] {
  control.signal?.throwIfAborted();
  checkCount(n);
  // hasOwn: a name like 'toString' must not reach Object.prototype.
  if (!Object.hasOwn(LINKAGE_CODE, linkage)) throw new RangeError(`nnChainLinkage: unknown linkage ${String(linkage)}`);
  const code = LINKAGE_CODE[linkage];
  if (condensed.length !== condensedLength(n)) {
    throw new RangeError(`nnChainLinkage: ${n} points need ${condensedLength(n)} distances, got ${condensed.length}`);
  }
  checkDistances(n, condensed);
  const weights = initialSizes(n, control.sizes);
  if (n < 2) return [];
  if (code === WARD && control.sizes !== undefined) scaleForWardWeights(n, condensed, weights);
  const found = runChain(n, condensed, code, weights, control);
  const merges = relabel(n, found);
  control.onProgress?.(1);
  return merges;
}

/**
 * The tree as ml-hclust `Cluster`s, so callers keep its API (cut, group,
 * traverse, indices). Leaves: isLeaf, index = leaf id, size 1, height 0;
 * internal nodes: index −1 (as agnes leaves them), children [a, b]. Built
 * bottom-up in one pass, so no recursion depth limit. Throws a RangeError
 * for n < 1 (a tree needs a root) or a merge list that is not a tree.
 *
 * Beware: ml-hclust's own traverse() and indices() recurse once per level
 * and overflow Node's stack on a 10,000-deep tree (single linkage on
 * stretched data gives one); cut() and group() are iterative and safe.
 */
export function toClusterTree(n: number, merges: readonly Merge[]): Cluster {
  checkCount(n);
  if (n < 1) throw new RangeError('toClusterTree: a tree needs at least one leaf (n = 0)');
  if (merges.length !== n - 1) throw new RangeError(`toClusterTree: ${n} leaves need ${n - 1} merges, got ${merges.length}`);
  const nodes: Cluster[] = [];
  for (let leaf = 0; leaf < n; leaf++) {
    const cluster = new Cluster();
    cluster.isLeaf = true;
    cluster.index = leaf;
    nodes.push(cluster);
  }
  const used = new Uint8Array(2 * n - 1);
  for (let k = 0; k < merges.length; k++) {
    const { a, b, height, size } = merges[k]!;
    const left = takeChild(nodes, used, a, n + k);
    const right = takeChild(nodes, used, b, n + k);
    const cluster = new Cluster();
    cluster.children.push(left, right);
    cluster.height = height;
    cluster.size = left.size + right.size;
    if (cluster.size !== size) throw new RangeError(`toClusterTree: merge ${k} says size ${size}, its children hold ${cluster.size}`);
    nodes.push(cluster);
  }
  return nodes[2 * n - 2]!;
}

function takeChild(nodes: readonly Cluster[], used: Uint8Array, id: number, newId: number): Cluster {
  if (!Number.isInteger(id) || id < 0 || id >= newId) {
    throw new RangeError(`toClusterTree: node ${newId} refers to ${id}, which does not exist yet`);
  }
  if (used[id] === 1) throw new RangeError(`toClusterTree: node ${id} is merged twice`);
  used[id] = 1;
  return nodes[id]!;
}

function initialSizes(n: number, sizes: ArrayLike<number> | undefined): Float64Array {
  if (sizes === undefined) return new Float64Array(n).fill(1);
  if (sizes.length !== n) throw new RangeError(`nnChainLinkage: ${n} points need ${n} sizes, got ${sizes.length}`);
  const out = Float64Array.from(sizes);
  out.forEach((size, point) => {
    if (!(size > 0 && size < Infinity)) throw new RangeError(`nnChainLinkage: size of point ${point} is ${size}; sizes must be finite and > 0`);
  });
  return out;
}

/**
 * Ward's distance between groups of wi and wj copies of two points is
 * 2·wi·wj/(wi + wj) times the points' own: the Lance–Williams recursion
 * gives exactly that when the copies are merged first, so scaling here
 * makes a weighted point equivalent to its copies.
 */
function scaleForWardWeights(n: number, condensed: Float64Array, weights: Float64Array): void {
  let k = 0;
  for (let i = 0; i < n; i++) {
    const wi = weights[i]!;
    for (let j = i + 1; j < n; j++) {
      const wj = weights[j]!;
      condensed[k++]! *= (2 * wi * wj) / (wi + wj);
    }
  }
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`expected a point count (integer ≥ 0), got ${n}`);
}

/** NaN would make every comparison false and silently scramble the tree; negatives break reducibility. */
function checkDistances(n: number, condensed: Float64Array): void {
  for (let k = 0; k < condensed.length; k++) {
    const d = condensed[k]!;
    if (!(d >= 0 && d < Infinity)) {
      const [i, j] = pairOf(n, k);
      throw new RangeError(`nnChainLinkage: distance(${i}, ${j}) is ${d}; distances must be finite and ≥ 0`);
    }
  }
}

/** The pair (i < j) at condensed position k; only used for error messages. */
function pairOf(n: number, k: number): [number, number] {
  let i = 0;
  while (condensedIndex(n, i, n - 1) < k) i++;
  return [i, k - condensedIndex(n, i, i + 1) + i + 1];
}

/**
 * Orders the chain's merges by height and names the nodes: the k-th merge
 * in that order becomes node n+k, its children found by union-find over
 * the leaves (a slot's number is also the id of a leaf inside it).
 */
function relabel(n: number, found: ChainMerges): Merge[] {
  const heights = monotoneHeights(n, found);
  const order = Array.from({ length: n - 1 }, (_, k) => k);
  order.sort((p, q) => heights[p]! - heights[q]! || p - q);
  const parent = new Int32Array(2 * n - 1).fill(-1);
  const sizes = new Float64Array(2 * n - 1).fill(1);
  const merges: Merge[] = [];
  for (let k = 0; k < n - 1; k++) {
    const m = order[k]!;
    const rootX = findRoot(parent, found.x[m]!);
    const rootY = findRoot(parent, found.y[m]!);
    const id = n + k;
    parent[rootX] = id;
    parent[rootY] = id;
    sizes[id] = sizes[rootX]! + sizes[rootY]!;
    merges.push({ a: Math.min(rootX, rootY), b: Math.max(rootX, rootY), height: heights[m]!, size: sizes[id]! });
  }
  return merges;
}

/**
 * Each merge's height, lifted to its children's if rounding put it below
 * them. Reducible linkages never lower a height in exact arithmetic, but an
 * average of equal distances can come out an ulp short; without the lift
 * the sort could put a parent before its child and union-find would build
 * a different tree.
 */
function monotoneHeights(n: number, found: ChainMerges): Float64Array {
  const heights = new Float64Array(n - 1);
  const lastMerge = new Int32Array(n).fill(-1);
  for (let m = 0; m < n - 1; m++) {
    const x = found.x[m]!;
    const y = found.y[m]!;
    let height = found.height[m]!;
    const fromX = lastMerge[x]!;
    const fromY = lastMerge[y]!;
    if (fromX >= 0 && heights[fromX]! > height) height = heights[fromX]!;
    if (fromY >= 0 && heights[fromY]! > height) height = heights[fromY]!;
    heights[m] = height;
    lastMerge[x] = m;
  }
  return heights;
}

function findRoot(parent: Int32Array, node: number): number {
  let root = node;
  while (parent[root]! >= 0) root = parent[root]!;
  // Path compression keeps later finds short on deep (single-linkage) chains.
  while (parent[node]! >= 0) {
    const up = parent[node]!;
    parent[node] = root;
    node = up;
  }
  return root;
}
