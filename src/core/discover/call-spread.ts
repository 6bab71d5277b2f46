import { buildHostFeatures, type FeatureOptions, type HostFeatures, type ProfileEdge, type ProfileHost } from './host-features';
import { ProfileDistances } from './profile-distances';

/**
 * Distances between replica candidates that ask for the same peers and the
 * same spread of calls over them. Profiles whose `trafficShareKinds`
 * features weigh also by the share of the host's calls each carries
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
 *
 * The spread may name peers otherwise than the plain profiles do
 * (replica-sets.ts names them by the sets the plain profiles give in the
 * same round), so two hosts can share a spread profile and not a plain one,
 * or the reverse. The distances are therefore between units: hosts with
 * both profiles alike.
 */
export interface CallSpreadUnits {
  /** The hosts, in the order both profile builds list them. */
  readonly hosts: HostFeatures['hosts'];
  /** Per host: its unit. Units keep the order of their first host. */
  readonly unitOfHost: Int32Array;
  /** Per unit: its hosts, ascending. */
  readonly unitHosts: readonly number[][];
  /** Condensed distances between units (nn-chain.ts layout). */
  readonly condensed: Float64Array;
}

/**
 * `plain`: the profiles built from the same hosts and edges without
 * shares; `spreadOptions`: how to build the spread profiles (with
 * `trafficShareKinds`, and the peer names the spread reads).
 */
export function callSpreadDistances(
  plain: HostFeatures,
  hosts: readonly ProfileHost[],
  edges: readonly ProfileEdge[],
  spreadOptions: FeatureOptions,
  control: { readonly signal?: AbortSignal; readonly into?: Float64Array } = {},
): CallSpreadUnits {
  const spread = buildHostFeatures(hosts, edges, spreadOptions);
  const { unitOfHost, unitHosts } = unitsOf(plain.profileOfHost, spread.profileOfHost);
  const n = unitHosts.length;
  const plainOf = Int32Array.from(unitHosts, (members) => plain.profileOfHost[members[0]!]!);
  const spreadOf = Int32Array.from(unitHosts, (members) => spread.profileOfHost[members[0]!]!);
  const length = (n * (n - 1)) / 2;
  const condensed = control.into !== undefined && control.into.length >= length ? control.into.subarray(0, length) : new Float64Array(length);
  // Row by row, not two matrices: at ten thousand hosts a matrix is 400 MB.
  const plainRows = new RowReader(new ProfileDistances(plain), plainOf);
  const spreadRows = new RowReader(new ProfileDistances(spread), spreadOf);
  let at = 0;
  for (let i = 0; i < n - 1; i++) {
    control.signal?.throwIfAborted();
    const plainRow = plainRows.rowFor(i);
    const spreadRow = spreadRows.rowFor(i);
    const a = plainOf[i]!;
    const c = spreadOf[i]!;
    for (let j = i + 1; j < n; j++, at++) {
      const b = plainOf[j]!;
      const d = spreadOf[j]!;
      condensed[at] = Math.max(a === b ? 0 : plainRow[b]!, c === d ? 0 : spreadRow[d]!);
    }
  }
  return { hosts: plain.hosts, unitOfHost, unitHosts, condensed };
}

/** Hosts alike in both partitions (profiles of two builds over the same hosts), numbered by first host. */
function unitsOf(first: Int32Array, second: Int32Array): { unitOfHost: Int32Array; unitHosts: number[][] } {
  const unitByPair = new Map<number, number>();
  const unitOfHost = new Int32Array(first.length);
  const unitHosts: number[][] = [];
  const span = first.length + 1;
  first.forEach((profile, host) => {
    const pair = profile * span + second[host]!;
    let unit = unitByPair.get(pair);
    if (unit === undefined) {
      unit = unitHosts.length;
      unitByPair.set(pair, unit);
      unitHosts.push([]);
    }
    unitHosts[unit]!.push(host);
    unitOfHost[host] = unit;
  });
  return { unitOfHost, unitHosts };
}

/**
 * The distance row of unit i's profile, over the profiles of units after
 * i. Units are numbered by first host, and so are profiles, so profiles
 * mostly ascend with units: a row need only run from the lowest profile of
 * the units after i (later rows never need less, so a row read for one
 * unit still serves the next unit of the same profile).
 */
class RowReader {
  private readonly row: Float64Array;
  private readonly lowestAfter: Int32Array;
  private rowOf = -1;

  constructor(
    private readonly distances: ProfileDistances,
    private readonly profileOfUnit: Int32Array,
  ) {
    this.row = new Float64Array(distances.size);
    const n = profileOfUnit.length;
    this.lowestAfter = new Int32Array(n + 1).fill(distances.size);
    for (let i = n - 1; i >= 0; i--) this.lowestAfter[i] = Math.min(this.lowestAfter[i + 1]!, profileOfUnit[i]!);
  }

  rowFor(unit: number): Float64Array {
    const profile = this.profileOfUnit[unit]!;
    if (profile !== this.rowOf) this.distances.row(profile, this.row, this.lowestAfter[unit + 1]!);
    this.rowOf = profile;
    return this.row;
  }
}
