import type { DendrogramTop } from '../../core/discover/dendrogram';

/**
 * Where the Tree view draws each node of the dendrogram's top: leaves
 * evenly along the bottom in the tree's order, each merge above the middle
 * of its two children at its height, and the cut for a cluster count as a
 * horizontal line between the merges it separates. Pure, in a unit box
 * (x and y from 0 to 1, y = 0 at the bottom), scaled by the view.
 */
export interface TreeSegment {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

export interface TreeDrawing {
  readonly segments: readonly TreeSegment[];
  readonly leaves: readonly { readonly x: number; readonly hosts: number }[];
  /** Height of the cut line, 0..1, or null when it lies below the drawn part. */
  readonly cut: number | null;
}

export function drawTree(tree: DendrogramTop, clusters: number): TreeDrawing {
  const top = tree.nodes.at(-1)?.height ?? 0;
  const scale = (height: number) => (top <= 0 ? 0 : height / top);
  const x = new Float64Array(tree.nodes.length);
  const count = tree.leafOrder.length;
  tree.leafOrder.forEach((index, position) => (x[index] = count === 1 ? 0.5 : position / (count - 1)));
  const segments: TreeSegment[] = [];
  tree.nodes.forEach((node, index) => {
    if (node.left < 0) return;
    x[index] = (x[node.left]! + x[node.right]!) / 2;
    const y = scale(node.height);
    for (const child of [node.left, node.right]) segments.push({ x1: x[child]!, y1: scale(tree.nodes[child]!.height), x2: x[child]!, y2: y });
    segments.push({ x1: x[node.left]!, y1: y, x2: x[node.right]!, y2: y });
  });
  const n = tree.heights.length + 1;
  const done = n - clusters;
  let cut: number | null = null;
  if (clusters >= 1 && clusters < n) {
    const below = tree.heights[done - 1] ?? 0;
    const above = tree.heights[done] ?? below;
    const lowest = tree.nodes.length > 0 ? Math.min(...tree.leafOrder.map((index) => tree.nodes[index]!.height)) : 0;
    cut = (below + above) / 2 >= lowest ? scale((below + above) / 2) : null;
  }
  return { segments, leaves: tree.leafOrder.map((index) => ({ x: x[index]!, hosts: tree.nodes[index]!.hosts })), cut };
}
