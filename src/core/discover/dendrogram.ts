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
export class Dendrogram {
  private readonly merges: readonly Merge[];
  private readonly features: HostFeatures;

  constructor(input: Pick<DiscoveryInput, 'hosts' | 'edges'>) {
    this.features = discoveryFeatures(input);
    const n = this.features.profileHosts.length;
    const sizes = Float64Array.from(this.features.profileHosts, (hosts) => hosts.length);
    this.merges = n < 2 ? [] : nnChainLinkage(n, new ProfileDistances(this.features).condensed(), 'average', { sizes });
  }

  /** Distinct host profiles: the most clusters a cut can give. */
  get profiles(): number {
    return this.features.profileHosts.length;
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
