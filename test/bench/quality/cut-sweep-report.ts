// Discovery at each dendrogram cut in a range: the cut's silhouette (the
// criterion the engine maximises), its height, and how the final groups
// score against the truth. Written because on some scenarios the best cuts
// lie within 0.01 of silhouette of each other while their groups differ
// widely; this shows that landscape for one scenario.
import { chooseCut } from '../../../src/core/discover/choose-cut';
import { discoverGroups, discoveryFeatures, type DiscoveryInput } from '../../../src/core/discover/discover-groups';
import { nnChainLinkage } from '../../../src/core/discover/nn-chain';
import { ProfileDistances } from '../../../src/core/discover/profile-distances';

export interface CutRow {
  /** Clusters of distinct profiles at this cut. */
  readonly clusters: number;
  readonly height: number;
  readonly silhouette: number;
  /** Groups discovery returns from this cut. */
  readonly groups: number;
  /** `score` of discovery's assignments (host → group id) from this cut. */
  readonly score: number;
  /** The cut discovery takes on its own. */
  readonly chosen: boolean;
}

export function sweepCuts(input: DiscoveryInput, score: (groupOf: ReadonlyMap<string, string>) => number, from: number, to: number): CutRow[] {
  const features = discoveryFeatures(input);
  const distances = new ProfileDistances(features);
  const n = features.profileHosts.length;
  const sizes = Float64Array.from(features.profileHosts, (hosts) => hosts.length);
  const merges = nnChainLinkage(n, distances.condensed(), 'average', { sizes });
  const own = chooseCut(distances, merges, sizes);
  const rows: CutRow[] = [];
  for (let clusters = Math.max(1, from); clusters <= Math.min(n, to); clusters++) {
    const cut = chooseCut(distances, merges, sizes, { clusters });
    const discovery = discoverGroups(input, {}, { clusters });
    const groupOf = new Map(discovery.assignments.map((assignment) => [assignment.ip, assignment.groupId]));
    rows.push({ clusters, height: cut.height, silhouette: cut.silhouette, groups: discovery.groups.length, score: score(groupOf), chosen: clusters === own.clusters });
  }
  return rows;
}

export function cutRowText(row: CutRow): string {
  return `${String(row.clusters).padStart(4)} clusters  height ${row.height.toFixed(3)}  silhouette ${row.silhouette.toFixed(4)}  ${String(row.groups).padStart(4)} groups  score ${row.score.toFixed(3)}${row.chosen ? '  ← chosen' : ''}`;
}
