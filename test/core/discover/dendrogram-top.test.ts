import { describe, expect, it } from 'vitest';
import { Dendrogram } from '../../../src/core/discover/dendrogram';
import { analyseDemo } from '../../helpers/demo-analysis';

describe('the top of the dendrogram, for drawing', () => {
  it('has the clusters of the cut as leaves, every host once, children before parents, heights rising', async () => {
    const analysis = await analyseDemo();
    const tree = new Dendrogram(analysis.discoveryInput);
    const top = tree.top(10);
    const hosts = analysis.discoveryInput.hosts.length;
    expect(top.leafOrder).toHaveLength(10);
    expect(top.nodes).toHaveLength(19);
    expect(top.leafOrder.reduce((sum, index) => sum + top.nodes[index]!.hosts, 0)).toBe(hosts);
    expect(top.nodes.at(-1)!.hosts).toBe(hosts);
    top.nodes.forEach((node, index) => {
      if (node.left < 0) return;
      expect(node.left).toBeLessThan(index);
      expect(node.right).toBeLessThan(index);
      expect(node.height).toBeGreaterThanOrEqual(Math.max(top.nodes[node.left]!.height, top.nodes[node.right]!.height));
    });
    expect([...top.heights]).toEqual([...top.heights].sort((a, b) => a - b));
    // The leaves are the groups of the cut at 10 (before the label separation, which only splits further).
    expect(tree.cut(10).length).toBeGreaterThanOrEqual(10);
  });
});
