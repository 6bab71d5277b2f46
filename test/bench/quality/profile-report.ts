// The clustered profiles of chosen hosts, as discovery sees them: each
// host's weighted features (what it serves and uses, of which peer sets,
// its labels and address block) and the distances between them. Written to
// see why two hosts of one true group sit apart, or two of different
// groups together (a rare shared feature, a call-back, a port one server
// drew), which the stage trace cannot show.
import type { HostFeatures } from '../../../src/core/discover/host-features';
import type { ProfileDistances } from '../../../src/core/discover/profile-distances';

export interface InspectedHost {
  readonly ip: string;
  /** Its true group, for the reader. */
  readonly truth: string;
}

/** Lines: per host its features with weight and carrier count (unless `featuresToo` is false), then the distance matrix. */
export function profileReport(features: HostFeatures, distances: ProfileDistances, hosts: readonly InspectedHost[], featuresToo = true): string[] {
  const indexOf = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const picked = hosts.filter((host) => indexOf.has(host.ip));
  const lines: string[] = [];
  if (featuresToo) {
    for (const host of picked) {
      const profile = features.profileOfHost[indexOf.get(host.ip)!]!;
      lines.push(`== ${host.ip} ${host.truth} (profile ${profile})`);
      for (let k = features.featureStart[profile]!; k < features.featureStart[profile + 1]!; k++) {
        const feature = features.features[features.featureIds[k]!]!;
        const weight = features.featureWeights[k]!;
        if (weight > 0) lines.push(`  ${weight.toFixed(3)} [${feature.hosts}] ${feature.name}`);
      }
    }
  }
  const row = new Float64Array(distances.size);
  const width = Math.max(...picked.map((host) => host.ip.length), 6) + 1;
  const label = Math.max(...picked.map((host) => host.truth.length), 5) + 1;
  lines.push(`${'distances'.padEnd(label + width)}${picked.map((host) => host.ip.padStart(width)).join('')}`);
  for (const host of picked) {
    distances.row(features.profileOfHost[indexOf.get(host.ip)!]!, row);
    lines.push(`${host.truth.padEnd(label)}${host.ip.padStart(width)}${picked.map((other) => row[features.profileOfHost[indexOf.get(other.ip)!]!]!.toFixed(2).padStart(width)).join('')}`);
  }
  return lines;
}
