import { buildHostFeatures, withoutTrafficShares, type FeatureKind, type FeatureOptions, type HostFeatures, type ProfileEdge, type ProfileHost } from './host-features';
import { ProfileDistances } from './profile-distances';

/**
 * Distances between replica candidates that ask for the same peers and the
 * same spread of calls over them. Profiles whose `spreadKinds` features
 * weigh also by the share of the host's calls each carries
 * (traffic-shares.ts); each pair's distance is the larger of that and the
 * plain profiles' distance. Replicas of one service run one program: they
 * call the same peers in about the same proportions. Two operator stations
 * of different lines both call the directory on eight ports and poll
 * their own line's PLCs all day: counted feature by feature they are
 * alike (one feature in eleven differs), by their calls they are not
 * (most of each one's calls go where the other's never do).
 *
 * The larger of the two, so it only ever parts: two desks of different
 * departments whose calls mostly go to the same directory and file
 * servers stay as far apart as their plain profiles say (each department's
 * application is a peer the other never uses). Only calls, not whom a host
 * serves: how much each client calls a server is the clients' doing (a
 * balancer's split, sticky sessions, the adapters one PLC owns), not the
 * server's role.
 */
export interface CallSpreadProfiles {
  /** The profiles, split also by their share steps; replica sets cluster these. */
  readonly features: HostFeatures;
  /** Condensed distances between `features`' profiles (nn-chain.ts layout). */
  readonly condensed: Float64Array;
}

export function callSpreadDistances(
  hosts: readonly ProfileHost[],
  edges: readonly ProfileEdge[],
  options: FeatureOptions,
  spreadKinds: readonly FeatureKind[],
  control: { readonly signal?: AbortSignal; readonly into?: Float64Array } = {},
): CallSpreadProfiles {
  const features = buildHostFeatures(hosts, edges, { ...options, trafficShareKinds: spreadKinds });
  const condensed = new ProfileDistances(features).condensed({ signal: control.signal, into: control.into });
  if (spreadKinds.length === 0) return { features, condensed };
  const plain = withoutTrafficShares(features);
  // Both list the hosts in one order, so a profile's first host finds its plain profile.
  const plainOf = Int32Array.from(features.profileHosts, (members) => plain.profileOfHost[members[0]!]!);
  // Row by row, not a second matrix: at ten thousand hosts a matrix is 400 MB.
  const plainDistances = new ProfileDistances(plain);
  const plainRow = new Float64Array(plainDistances.size);
  const n = features.profileHosts.length;
  // Both number profiles by their first host, so plain profiles mostly ascend with i: a row need only
  // run from the lowest plain profile after i (later rows never need less, so a kept row still serves).
  const lowestAfter = new Int32Array(n + 1).fill(plainDistances.size);
  for (let i = n - 1; i >= 0; i--) lowestAfter[i] = Math.min(lowestAfter[i + 1]!, plainOf[i]!);
  let rowOf = -1;
  let at = 0;
  for (let i = 0; i < n - 1; i++) {
    control.signal?.throwIfAborted();
    const a = plainOf[i]!;
    if (a !== rowOf) plainDistances.row(a, plainRow, lowestAfter[i + 1]!);
    rowOf = a;
    for (let j = i + 1; j < n; j++, at++) {
      const b = plainOf[j]!;
      if (a !== b) condensed[at] = Math.max(condensed[at]!, plainRow[b]!);
    }
  }
  return { features, condensed };
}
