// The clustered profiles of chosen hosts, as discovery sees them: each
// host's weighted features (what it serves and uses, of which peer sets,
// its labels and address block) and the distances between them. Written to
// see why two hosts of one true group sit apart, or two of different
// groups together (a rare shared feature, a call-back, a port one server
// drew), which the stage trace cannot show.
import type { HostFeatures } from '../../../src/core/discover/host-features';
import { ProfileDistances } from '../../../src/core/discover/profile-distances';
import type { ReplicaRound } from '../../../src/core/discover/replica-sets';

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
  lines.push(
    ...distanceMatrix('distances', picked, (host) => {
      distances.row(features.profileOfHost[indexOf.get(host.ip)!]!, row);
      return (other) => row[features.profileOfHost[indexOf.get(other.ip)!]!]!;
    }),
  );
  return lines;
}

/**
 * Lines for one round of replica sets: each host's set after the round,
 * the plain distances the round clustered first (peers named by the sets
 * of the round before) and, from the second round on, the distances with
 * the spread of calls (the larger of plain and spread, peers named by this
 * round's plain sets), by which a plain set is parted. A merge needs at
 * most REPLICA_DEFAULTS.maxDistance on each.
 */
export function replicaRoundReport(round: ReplicaRound, hosts: readonly InspectedHost[]): string[] {
  const { plain, spread } = round;
  const indexOf = new Map(plain.hosts.map((host, index) => [host.ip, index]));
  const picked = hosts.filter((host) => indexOf.has(host.ip));
  const lines = [`== replica round ${round.round}`, ...picked.map((host) => `  ${host.truth} ${host.ip}: set ${round.setOf(host.ip)}`)];
  const distances = new ProfileDistances(plain);
  const row = new Float64Array(distances.size);
  lines.push(
    ...distanceMatrix('plain', picked, (host) => {
      distances.row(plain.profileOfHost[indexOf.get(host.ip)!]!, row);
      return (other) => row[plain.profileOfHost[indexOf.get(other.ip)!]!]!;
    }),
  );
  if (spread !== undefined) lines.push(...distanceMatrix('with spread', picked, (host) => (other) => spread.distance(indexOf.get(host.ip)!, indexOf.get(other.ip)!)));
  return lines;
}

/** A titled matrix: a row per host, its truth and address first; `rowOf(host)` gives the distances from that host. */
function distanceMatrix(title: string, picked: readonly InspectedHost[], rowOf: (host: InspectedHost) => (other: InspectedHost) => number): string[] {
  const width = Math.max(...picked.map((host) => host.ip.length), 6) + 1;
  const label = Math.max(...picked.map((host) => host.truth.length), 5) + 1;
  const lines = [`${title.padEnd(label + width)}${picked.map((host) => host.ip.padStart(width)).join('')}`];
  for (const host of picked) {
    const distanceTo = rowOf(host);
    lines.push(`${host.truth.padEnd(label)}${host.ip.padStart(width)}${picked.map((other) => distanceTo(other).toFixed(2).padStart(width)).join('')}`);
  }
  return lines;
}
