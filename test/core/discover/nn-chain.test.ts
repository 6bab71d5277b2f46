import { agnes, type AgglomerationMethod, type Cluster } from 'ml-hclust';
import { Random } from '../../../src/core/util/random';
import { describe, expect, it } from 'vitest';
import {
  condensedDistances,
  condensedIndex,
  nnChainLinkage,
  toClusterTree,
  type Linkage,
  type Merge,
} from '../../../src/core/discover/nn-chain';

const LINKAGES: readonly Linkage[] = ['average', 'complete', 'single', 'weighted', 'ward'];
const AGNES_METHOD: Readonly<Record<Linkage, AgglomerationMethod>> = {
  average: 'average',
  complete: 'complete',
  single: 'single',
  weighted: 'wpgma',
  ward: 'ward',
};

/** Seeded uniform numbers in [0, 1) (the synthetic data's generator). */
function seededUniform(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

/** Gaussian blobs: a few centres, points scattered around them, so the tree has structure and distances are distinct. */
function blobs(seed: number, n: number, dims: number, centres = 4): number[][] {
  const random = seededUniform(seed);
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const middles = Array.from({ length: centres }, () => Array.from({ length: dims }, () => random() * 10));
  return Array.from({ length: n }, () => {
    const middle = middles[Math.floor(random() * centres)]!;
    return middle.map((value) => value + gaussian() * 0.7);
  });
}

function euclidean(p: readonly number[], q: readonly number[]): number {
  let sum = 0;
  for (let k = 0; k < p.length; k++) sum += (p[k]! - q[k]!) ** 2;
  return Math.sqrt(sum);
}

type Metric = (p: readonly number[], q: readonly number[]) => number;
const squaredEuclidean: Metric = (p, q) => euclidean(p, q) ** 2;

function condensedOf(points: readonly number[][], metric: Metric = euclidean): Float64Array {
  return condensedDistances(points.length, (i, j) => metric(points[i]!, points[j]!));
}

function squareOf(points: readonly number[][], metric: Metric = euclidean): number[][] {
  return points.map((p) => points.map((q) => metric(p, q)));
}

/**
 * Internal nodes as "sorted distinct leaf names" → height; walks
 * iteratively so deep trees are fine. `skipZero` leaves out nodes of height
 * 0 (where repeated copies of a point join).
 */
function canonical(root: Cluster, leafName: (index: number) => number = (index) => index, skipZero = false): Map<string, number> {
  const leavesOf = new Map<Cluster, number[]>();
  const result = new Map<string, number>();
  const stack: { node: Cluster; expanded: boolean }[] = [{ node: root, expanded: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.node.isLeaf) {
      leavesOf.set(top.node, [leafName(top.node.index)]);
    } else if (!top.expanded) {
      stack.push({ node: top.node, expanded: true });
      for (const child of top.node.children) stack.push({ node: child, expanded: false });
    } else {
      const leaves = [...new Set(top.node.children.flatMap((child) => leavesOf.get(child)!))].sort((p, q) => p - q);
      leavesOf.set(top.node, leaves);
      if (!skipZero || top.node.height !== 0) result.set(leaves.join(','), top.node.height);
    }
  }
  return result;
}

function expectSameTree(actual: Map<string, number>, expected: Map<string, number>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [leaves, height] of expected) {
    const other = actual.get(leaves)!;
    const scale = Math.max(Math.abs(height), Math.abs(other));
    if (Math.abs(other - height) > 1e-9 * scale) expect.fail(`node {${leaves}}: height ${other}, agnes says ${height}`);
  }
}

/** The linkage-list contract: ids in range and used once, a < b, sizes add up, heights non-decreasing. */
function expectValidLinkage(n: number, merges: readonly Merge[]): void {
  expect(merges).toHaveLength(Math.max(0, n - 1));
  const size = new Array<number>(2 * n - 1).fill(1);
  const used = new Set<number>();
  let previous = -Infinity;
  merges.forEach((merge, k) => {
    expect(merge.a).toBeLessThan(merge.b);
    expect(merge.b).toBeLessThan(n + k);
    expect(merge.a).toBeGreaterThanOrEqual(0);
    expect(used.has(merge.a) || used.has(merge.b)).toBe(false);
    used.add(merge.a).add(merge.b);
    size[n + k] = size[merge.a]! + size[merge.b]!;
    expect(merge.size).toBe(size[n + k]);
    expect(merge.height).toBeGreaterThanOrEqual(previous);
    previous = merge.height;
  });
}

function nnChainTree(points: readonly number[][], linkage: Linkage, metric: Metric = euclidean): Cluster {
  const merges = nnChainLinkage(points.length, condensedOf(points, metric), linkage);
  expectValidLinkage(points.length, merges);
  return toClusterTree(points.length, merges);
}

function agnesTree(points: readonly number[][], linkage: Linkage, metric: Metric = euclidean): Cluster {
  return agnes(squareOf(points, metric), { method: AGNES_METHOD[linkage], isDistanceMatrix: true });
}

describe('condensed matrix', () => {
  it('lays out the upper triangle row by row', () => {
    const n = 5;
    const condensed = condensedDistances(n, (i, j) => 10 * i + j);
    expect(condensed).toHaveLength(10);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        expect(condensed[condensedIndex(n, i, j)]).toBe(10 * i + j);
        expect(condensedIndex(n, j, i)).toBe(condensedIndex(n, i, j));
      }
    }
    expect(() => condensedIndex(n, 2, 2)).toThrow(RangeError);
    expect(condensedDistances(0, () => 1)).toHaveLength(0);
    expect(condensedDistances(1, () => 1)).toHaveLength(0);
  });
});

describe('nnChainLinkage gives agnes’s tree', () => {
  // n = 500 is where agnes (cubic) costs ≈0.6 s per run; the other sizes are cheap.
  const cases: { n: number; seeds: number[]; dims: number }[] = [
    { n: 2, seeds: [1, 2], dims: 2 },
    { n: 3, seeds: [3, 4, 5], dims: 2 },
    { n: 10, seeds: [6, 7, 8], dims: 3 },
    { n: 100, seeds: [9, 10, 11], dims: 4 },
    { n: 500, seeds: [12], dims: 5 },
  ];
  for (const linkage of LINKAGES) {
    for (const { n, seeds, dims } of cases) {
      it(`${linkage}, n = ${n}`, () => {
        for (const seed of seeds) {
          const points = blobs(seed, n, dims);
          expectSameTree(canonical(nnChainTree(points, linkage)), canonical(agnesTree(points, linkage)));
        }
      });
    }
    it(`${linkage}, squared Euclidean distances, n = 100`, () => {
      const points = blobs(77, 100, 3);
      expectSameTree(
        canonical(nnChainTree(points, linkage, squaredEuclidean)),
        canonical(agnesTree(points, linkage, squaredEuclidean)),
      );
    });
  }
  for (const linkage of ['average', 'complete'] as const) {
    it(`${linkage}, n = 500, a second dataset`, () => {
      const points = blobs(13, 500, 3, 8);
      expectSameTree(canonical(nnChainTree(points, linkage)), canonical(agnesTree(points, linkage)));
    });
  }
});

describe('point sizes (weights)', () => {
  const points = blobs(41, 40, 3);
  const random = seededUniform(42);
  const sizes = points.map(() => 1 + Math.floor(random() * 3));
  // The same points with point i repeated sizes[i] times.
  const origin = sizes.flatMap((size, point) => new Array<number>(size).fill(point));
  const repeated = origin.map((point) => points[point]!);

  for (const linkage of ['average', 'ward'] as const) {
    it(`${linkage}: weighs each point as that many copies of it`, () => {
      const merges = nnChainLinkage(points.length, condensedOf(points), linkage, { sizes });
      expectValidLinkage(points.length, merges);
      const weighted = canonical(toClusterTree(points.length, merges));
      expectSameTree(weighted, canonical(agnesTree(repeated, linkage), (index) => origin[index]!, true));
      expect(weighted).not.toEqual(canonical(nnChainTree(points, linkage)));
    });
  }

  it('does not change complete, single or weighted linkage', () => {
    for (const linkage of ['complete', 'single', 'weighted'] as const) {
      const merges = nnChainLinkage(points.length, condensedOf(points), linkage, { sizes });
      expect(merges).toEqual(nnChainLinkage(points.length, condensedOf(points), linkage));
    }
  });

  it('rejects sizes of the wrong length or that are not finite and positive', () => {
    const condensed = condensedOf(points);
    expect(() => nnChainLinkage(points.length, condensed, 'average', { sizes: sizes.slice(1) })).toThrow(RangeError);
    for (const bad of [0, -1, Number.NaN, Infinity]) {
      const wrong = [...sizes];
      wrong[7] = bad;
      expect(() => nnChainLinkage(points.length, condensed, 'average', { sizes: wrong })).toThrow(/size of point 7/);
    }
  });
});

describe('determinism', () => {
  it('gives the same merge list for the same input', () => {
    const points = blobs(21, 300, 4);
    for (const linkage of LINKAGES) {
      const first = nnChainLinkage(points.length, condensedOf(points), linkage);
      const second = nnChainLinkage(points.length, condensedOf(points), linkage);
      expect(second).toEqual(first);
    }
  });

  it('gives the same tree for the points in another order', () => {
    const points = blobs(22, 200, 3);
    const random = seededUniform(99);
    const order = points.map((_, index) => index);
    for (let k = order.length - 1; k > 0; k--) {
      const swap = Math.floor(random() * (k + 1));
      [order[k], order[swap]] = [order[swap]!, order[k]!];
    }
    const shuffled = order.map((index) => points[index]!);
    for (const linkage of LINKAGES) {
      const original = canonical(nnChainTree(points, linkage));
      const permuted = canonical(nnChainTree(shuffled, linkage), (index) => order[index]!);
      expectSameTree(permuted, original);
    }
  });
});

describe('edge cases', () => {
  it('has no merges for n = 0 and n = 1; a tree needs a leaf', () => {
    expect(nnChainLinkage(0, new Float64Array(0), 'average')).toEqual([]);
    expect(nnChainLinkage(1, new Float64Array(0), 'ward')).toEqual([]);
    expect(() => toClusterTree(0, [])).toThrow(RangeError);
    const leaf = toClusterTree(1, []);
    expect(leaf.isLeaf).toBe(true);
    expect(leaf.index).toBe(0);
    expect(leaf.size).toBe(1);
    expect(leaf.height).toBe(0);
    expect(leaf.children).toEqual([]);
  });

  it('joins two points at their distance', () => {
    expect(nnChainLinkage(2, Float64Array.of(2.5), 'complete')).toEqual([{ a: 0, b: 1, height: 2.5, size: 2 }]);
  });

  it('builds a valid tree of height-0 merges when all distances are equal (all ties)', () => {
    const n = 40;
    for (const linkage of LINKAGES) {
      const merges = nnChainLinkage(n, new Float64Array((n * (n - 1)) / 2), linkage);
      expectValidLinkage(n, merges);
      expect(merges.every((merge) => merge.height === 0)).toBe(true);
      expect(toClusterTree(n, merges).size).toBe(n);
      // Ties again at a non-zero distance: rounding in the averages must not break the tree.
      const ones = nnChainLinkage(n, new Float64Array((n * (n - 1)) / 2).fill(1), linkage);
      expectValidLinkage(n, ones);
      for (const merge of ones) expect(merge.height).toBeCloseTo(1, 12);
    }
  });

  it('settles ties by the documented rules (chain predecessor, then lowest slot)', () => {
    // 0's nearest is 1 (lowest), 1's is its predecessor 0; then the chain restarts at slot 1 (holding {0, 1}).
    expect(nnChainLinkage(4, new Float64Array(6), 'average')).toEqual([
      { a: 0, b: 1, height: 0, size: 2 },
      { a: 2, b: 4, height: 0, size: 3 },
      { a: 3, b: 5, height: 0, size: 4 },
    ]);
  });

  it('rejects NaN, negative and infinite distances, a wrong length and an unknown linkage', () => {
    const condensed = condensedOf(blobs(5, 6, 2));
    for (const bad of [Number.NaN, -1, Infinity]) {
      const copy = condensed.slice();
      copy[condensedIndex(6, 2, 4)] = bad;
      expect(() => nnChainLinkage(6, copy, 'average')).toThrow(RangeError);
      expect(() => nnChainLinkage(6, copy, 'average')).toThrow(/distance\(2, 4\)/);
    }
    expect(() => nnChainLinkage(7, condensed, 'average')).toThrow(RangeError);
    expect(() => nnChainLinkage(6, condensed, 'centroid' as Linkage)).toThrow(RangeError);
    expect(() => nnChainLinkage(6, condensed, 'toString' as Linkage)).toThrow(RangeError);
    expect(() => nnChainLinkage(2.5, condensed, 'average')).toThrow(RangeError);
  });

  it('rejects a merge list that is not a tree', () => {
    expect(() => toClusterTree(3, [{ a: 0, b: 1, height: 1, size: 2 }])).toThrow(RangeError);
    expect(() =>
      toClusterTree(3, [
        { a: 0, b: 1, height: 1, size: 2 },
        { a: 1, b: 2, height: 2, size: 2 },
      ]),
    ).toThrow(/merged twice/);
    expect(() =>
      toClusterTree(3, [
        { a: 0, b: 4, height: 1, size: 2 },
        { a: 1, b: 2, height: 2, size: 2 },
      ]),
    ).toThrow(/does not exist yet/);
  });
});

describe('cluster tree', () => {
  it('offers ml-hclust’s API', () => {
    // Two tight pairs far apart: {0, 1} and {2, 3}.
    const points = [[0], [1], [10], [11.5]];
    const tree = toClusterTree(4, nnChainLinkage(4, condensedOf(points), 'average'));
    expect(tree.size).toBe(4);
    expect(tree.height).toBeCloseTo(10.25, 12);
    expect(tree.indices()).toEqual([0, 1, 2, 3]);
    const groups = tree.cut(2).map((cluster) => cluster.indices().sort());
    expect(groups).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(tree.group(2).children).toHaveLength(2);
  });

  it('builds a 10,000-deep chain without recursion', () => {
    const n = 10_000;
    // Each merge adds one leaf to the cluster so far, like single linkage on ever wider gaps.
    const merges: Merge[] = [{ a: 0, b: 1, height: 1, size: 2 }];
    for (let k = 1; k < n - 1; k++) merges.push({ a: k + 1, b: n + k - 1, height: k + 1, size: k + 2 });
    const tree = toClusterTree(n, merges);
    expect(tree.size).toBe(n);
    let depth = 0;
    for (let node = tree; !node.isLeaf; node = node.children[1]!) depth++;
    expect(depth).toBe(n - 1);
    expect(tree.cut(n / 2)).toHaveLength(n / 2);
  });

  it('follows single linkage down a chain of widening gaps', () => {
    const n = 2_000;
    const points = Array.from({ length: n }, (_, i) => [(i * (i + 1)) / 2]);
    const merges = nnChainLinkage(n, condensedOf(points), 'single');
    expectValidLinkage(n, merges);
    merges.forEach((merge, k) => expect(merge.height).toBe(k + 1));
    expect(toClusterTree(n, merges).size).toBe(n);
  });
});

describe('progress and cancellation', () => {
  it('throws at once for an already-aborted signal', () => {
    const controller = new AbortController();
    controller.abort();
    const condensed = condensedOf(blobs(31, 50, 2));
    expect(() => nnChainLinkage(50, condensed, 'average', { signal: controller.signal })).toThrow();
    expect(() => nnChainLinkage(0, new Float64Array(0), 'average', { signal: controller.signal })).toThrow();
  });

  it('stops when aborted midway', () => {
    const controller = new AbortController();
    const condensed = condensedOf(blobs(32, 400, 2));
    const run = (): Merge[] =>
      nnChainLinkage(400, condensed, 'average', {
        signal: controller.signal,
        onProgress: (fraction) => {
          if (fraction >= 0.5) controller.abort(new Error('stop'));
        },
      });
    expect(run).toThrow('stop');
  });

  it('reports about every 1% and ends at 1', () => {
    const fractions: number[] = [];
    nnChainLinkage(1001, condensedOf(blobs(33, 1001, 3)), 'ward', { onProgress: (fraction) => fractions.push(fraction) });
    expect(fractions.length).toBeGreaterThanOrEqual(100);
    expect(fractions.length).toBeLessThanOrEqual(102);
    expect(fractions.at(-1)).toBe(1);
    for (let k = 1; k < fractions.length; k++) expect(fractions[k]).toBeGreaterThanOrEqual(fractions[k - 1]!);
  });
});
