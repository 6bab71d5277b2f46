import { describe, expect, it } from 'vitest';
import type { DendrogramTop } from '../../../src/core/discover/dendrogram';
import { drawTree } from '../../../src/renderer/model/tree-drawing';

// Three leaves (a, b, c); a and b merge at 1, then with c at 4. Five profiles below: heights of all four merges.
const tree: DendrogramTop = {
  nodes: [
    { hosts: 2, height: 0.5, left: -1, right: -1 },
    { hosts: 1, height: 0, left: -1, right: -1 },
    { hosts: 3, height: 1, left: 0, right: 1 },
    { hosts: 4, height: 0.2, left: -1, right: -1 },
    { hosts: 7, height: 4, left: 2, right: 3 },
  ],
  leafOrder: [0, 1, 3],
  heights: [0.2, 0.5, 1, 4],
};

describe('drawing the top of the tree', () => {
  it('puts leaves along the bottom in order, merges above their children, and the cut between the merges it separates', () => {
    const drawing = drawTree(tree, 2);
    expect(drawing.leaves).toEqual([
      { x: 0, hosts: 2 },
      { x: 0.5, hosts: 1 },
      { x: 1, hosts: 4 },
    ]);
    // Two merges, each two uprights and a bar.
    expect(drawing.segments).toHaveLength(6);
    expect(drawing.segments).toContainEqual({ x1: 0, y1: 0.25, x2: 0.5, y2: 0.25 });
    expect(drawing.segments).toContainEqual({ x1: 0.25, y1: 1, x2: 1, y2: 1 });
    // Two clusters: three merges done (up to 1), the fourth (4) not: the cut lies at 2.5 of 4.
    expect(drawing.cut).toBeCloseTo(2.5 / 4);
    // A cut below every drawn leaf is not drawn.
    expect(drawTree(tree, 5).cut).toBeNull();
  });
});
