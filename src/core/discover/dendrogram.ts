import { clusterGroups, separateByLabels } from './assemble-groups';
import { clustersAfter } from './choose-cut';
import { discoveryFeatures, type DiscoveryInput } from './discover-groups';
import type { HostFeatures } from './host-features';
import { nnChainLinkage, type Merge } from './nn-chain';
import { ProfileDistances } from './profile-distances';

/**
 * The tree discovery cuts (same profiles, distances and average linkage),
 * kept for moving the cut interactively: built once, then each cut is a
 * union-find pass over the merges plus the label separation (prod and dev
 * never share a group), linear in the number of hosts. Unlike a full
 * discovery run it does not rejoin labelled workloads or keep approved
 * groups: in what-if, the analyst's pins do that job.
 */
/** A node of a drawn tree: a leaf (a cluster, left = right = -1) or a merge of two nodes, at a height. */
export interface DendrogramNode {
  readonly hosts: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
}

export interface DendrogramTop {
  /** Children before parents; the last is the root. */
  readonly nodes: readonly DendrogramNode[];
  /** Indexes of the leaves in nodes, left to right. */
  readonly leafOrder: readonly number[];
  /** Every merge's height, lowest first: a cut into k clusters lies between heights[profiles − k − 1] and heights[profiles − k]. */
  readonly heights: readonly number[];
}

export class Dendrogram {
  private readonly merges: readonly Merge[];
  private readonly features: HostFeatures;

  constructor(input: Pick<DiscoveryInput, 'hosts' | 'edges'> & Partial<Pick<DiscoveryInput, 'names'>>) {
    this.features = discoveryFeatures(input);
    const n = this.features.profileHosts.length;
    const sizes = Float64Array.from(this.features.profileHosts, (hosts) => hosts.length);
    this.merges = n < 2 ? [] : nnChainLinkage(n, new ProfileDistances(this.features).condensed(), 'average', { sizes });
  }

  /** Distinct host profiles: the most clusters a cut can give. */
  get profiles(): number {
    return this.features.profileHosts.length;
  }

  /**
   * The top of the tree for drawing: its last `leaves - 1` merges, whose
   * leaves are the clusters of the cut at `leaves` (as scipy's truncated
   * dendrogram), in the tree's own left-to-right order, each with its hosts;
   * and the merge heights, so a cut at any cluster count can be drawn.
   */
  top(leaves: number): DendrogramTop {
    const n = this.profiles;
    const merges = this.merges;
    const hosts = new Float64Array(n + merges.length);
    this.features.profileHosts.forEach((list, profile) => (hosts[profile] = list.length));
    merges.forEach((merge, k) => (hosts[n + k] = hosts[merge.a]! + hosts[merge.b]!));
    const count = Math.max(1, Math.min(n, Math.round(leaves)));
    const firstShown = n - count;
    const nodes: DendrogramNode[] = [];
    const order: number[] = [];
    // Depth first from the root, left child first: the leaves come out in drawing order.
    const visit = (node: number): number => {
      const k = node - n;
      if (k < firstShown) {
        const index = nodes.length;
        nodes.push({ hosts: hosts[node]!, height: k >= 0 ? merges[k]!.height : 0, left: -1, right: -1 });
        order.push(index);
        return index;
      }
      const merge = merges[k]!;
      const left = visit(merge.a);
      const right = visit(merge.b);
      nodes.push({ hosts: hosts[node]!, height: merge.height, left, right });
      return nodes.length - 1;
    };
    if (n > 0) visit(merges.length === 0 ? 0 : n + merges.length - 1);
    return { nodes, leafOrder: order, heights: merges.map((merge) => merge.height) };
  }

  /** Groups of host addresses when the tree is cut into `clusters` clusters (clamped to 1…profiles). */
  cut(clusters: number): string[][] {
    const n = this.profiles;
    const kept = n - Math.max(1, Math.min(n, Math.round(clusters)));
    const clusterOfProfile = clustersAfter(n, this.merges, kept);
    const clusterOfHost = Int32Array.from(this.features.profileOfHost, (profile) => clusterOfProfile[profile]!);
    return separateByLabels(this.features, clusterGroups(clusterOfHost)).map((members) => members.map((host) => this.features.hosts[host]!.ip));
  }
}
