// npx tsx test/bench/discovery-clustering.bench.ts — hierarchical clustering
// for discovery: the condensed distance matrix and the NN-chain average
// linkage over 2,000 and 10,000 seeded random points in 20 dimensions
// (Gaussian blobs, so the tree has structure). Targets on a 2-core machine:
// 2,000 points ≤ 1 s, 10,000 points ≤ 20 s and ≤ 1.5 GB peak RSS. Peak RSS
// is the process's high-water mark, so the 10,000 row includes everything
// before it (the 2,000 run is far smaller).
import { availableParallelism } from 'node:os';
import { condensedDistances, nnChainLinkage, toClusterTree } from '../../src/core/discover/nn-chain';

const DIMS = 20;
const SIZES = [2_000, 10_000];

/** mulberry32, as in the tests: seeded, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n points × DIMS coordinates, row-major, around 25 centres. */
function blobs(seed: number, n: number): Float64Array {
  const random = mulberry32(seed);
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: 25 }, () => Array.from({ length: DIMS }, () => random() * 10));
  const points = new Float64Array(n * DIMS);
  for (let i = 0; i < n; i++) {
    const centre = centres[Math.floor(random() * centres.length)]!;
    for (let k = 0; k < DIMS; k++) points[i * DIMS + k] = centre[k]! + gaussian();
  }
  return points;
}

function euclidean(points: Float64Array, i: number, j: number): number {
  let sum = 0;
  for (let k = 0, p = i * DIMS, q = j * DIMS; k < DIMS; k++, p++, q++) {
    const delta = points[p]! - points[q]!;
    sum += delta * delta;
  }
  return Math.sqrt(sum);
}

interface Row {
  n: number;
  matrixS: number;
  linkageS: number;
  treeS: number;
  maxRssMb: number;
}

function run(n: number): Row {
  const points = blobs(n, n);
  let start = performance.now();
  const condensed = condensedDistances(n, (i, j) => euclidean(points, i, j));
  const matrixS = (performance.now() - start) / 1000;
  start = performance.now();
  const merges = nnChainLinkage(n, condensed, 'average');
  const linkageS = (performance.now() - start) / 1000;
  start = performance.now();
  const tree = toClusterTree(n, merges);
  const treeS = (performance.now() - start) / 1000;
  if (tree.size !== n) throw new Error(`tree holds ${tree.size} of ${n} points`);
  return { n, matrixS, linkageS, treeS, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

console.log(`cores: ${availableParallelism()}, node ${process.version}, ${DIMS} dimensions, average linkage`);
console.log('');
console.log('| n | condensed matrix | NN-chain linkage | matrix + linkage | Cluster tree | peak RSS |');
console.log('|---:|---:|---:|---:|---:|---:|');
for (const n of SIZES) {
  const row = run(n);
  const seconds = (value: number): string => `${value.toFixed(2)} s`;
  console.log(
    `| ${n.toLocaleString('en')} | ${seconds(row.matrixS)} | ${seconds(row.linkageS)} | ${seconds(row.matrixS + row.linkageS)} | ${seconds(row.treeS)} | ${Math.round(row.maxRssMb).toLocaleString('en')} MB |`,
  );
}
