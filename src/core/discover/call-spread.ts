import { clustersAfter } from './choose-cut';
import { buildHostFeatures, type FeatureOptions, type HostFeatures, type ProfileEdge, type ProfileHost } from './host-features';
import { nnChainLinkage } from './nn-chain';
import { ProfileDistances } from './profile-distances';

/**
 * Replica candidates that ask for the same peers must also spread their
 * calls alike over them. Profiles whose `trafficShareKinds` features
 * weigh also by the share of the host's calls each carries
 * (traffic-shares.ts); a pair's distance is the larger of that and the
 * plain profiles' distance. Replicas of one service run one program: they
 * call the same peers in about the same proportions. Two operator stations
 * of different lines both call the directory on eight ports and poll
 * their own line's PLCs all day: counted feature by feature they are
 * alike (one feature in eleven differs), by their calls they are not
 * (most of each one's calls go where the other's never do).
 *
 * It only ever parts: a set the plain profiles gave is split where its
 * members call differently, and two desks of different departments whose
 * calls mostly go to the same directory and file servers stay as far apart
 * as their plain profiles say. Only calls, not whom a host serves: how
 * much each client calls a server is the clients' doing (a balancer's
 * split, sticky sessions, the adapters one PLC owns), not the server's
 * role.
 *
 * The spread may name peers otherwise than the plain profiles do
 * (replica-sets.ts names them by the sets the plain profiles give in the
 * same round), so two hosts can share a spread profile and not a plain
 * one, or the reverse; each pair counts both.
 */
export class CallSpread {
  private readonly plainDistances: ProfileDistances;
  private readonly spreadDistances: ProfileDistances;

  /** `plain` and `spread`: two builds over the same hosts (so the same host order), without and with shares. */
  constructor(
    private readonly plain: HostFeatures,
    private readonly spread: HostFeatures,
  ) {
    this.plainDistances = new ProfileDistances(plain);
    this.spreadDistances = new ProfileDistances(spread);
  }

  /** The distance of two hosts (by index): the larger of their plain and spread distances. */
  distance(a: number, b: number): number {
    const plainA = this.plain.profileOfHost[a]!;
    const plainB = this.plain.profileOfHost[b]!;
    const spreadA = this.spread.profileOfHost[a]!;
    const spreadB = this.spread.profileOfHost[b]!;
    return Math.max(plainA === plainB ? 0 : this.plainDistances.pair(plainA, plainB), spreadA === spreadB ? 0 : this.spreadDistances.pair(spreadA, spreadB));
  }

  /**
   * Each set split where its members call differently: average linkage
   * over the set's members (hosts alike in both builds as one, weighed by
   * their number) on distance(), the merges up to `maxDistance` kept, as
   * replica sets join. Only pairs within a set are worked out: a few
   * against the whole estate's matrix. Parts keep the order of their first
   * host; each lists its hosts ascending.
   */
  part(sets: readonly (readonly number[])[], maxDistance: number, signal?: AbortSignal): number[][] {
    const parted: number[][] = [];
    for (const members of sets) {
      signal?.throwIfAborted();
      const units = this.unitsOf(members);
      if (units.length < 2) {
        parted.push([...members].sort((a, b) => a - b));
        continue;
      }
      const n = units.length;
      const condensed = new Float64Array((n * (n - 1)) / 2);
      for (let i = 0, at = 0; i < n - 1; i++) for (let j = i + 1; j < n; j++, at++) condensed[at] = this.distance(units[i]![0]!, units[j]![0]!);
      const sizes = Float64Array.from(units, (hosts) => hosts.length);
      const merges = nnChainLinkage(n, condensed, 'average', { sizes });
      let kept = 0;
      while (kept < merges.length && merges[kept]!.height <= maxDistance) kept++;
      const clusterOfUnit = clustersAfter(n, merges, kept);
      const parts = new Map<number, number[]>();
      units.forEach((hosts, unit) => {
        const part = parts.get(clusterOfUnit[unit]!);
        if (part === undefined) parts.set(clusterOfUnit[unit]!, [...hosts]);
        else part.push(...hosts);
      });
      for (const part of parts.values()) parted.push(part.sort((a, b) => a - b));
    }
    return parted;
  }

  /** The set's hosts alike in both builds, each group ascending, in the order of their first host. */
  private unitsOf(members: readonly number[]): number[][] {
    const byPair = new Map<string, number[]>();
    for (const host of [...members].sort((a, b) => a - b)) {
      const pair = `${this.plain.profileOfHost[host]!},${this.spread.profileOfHost[host]!}`;
      const unit = byPair.get(pair);
      if (unit === undefined) byPair.set(pair, [host]);
      else unit.push(host);
    }
    return [...byPair.values()];
  }
}

/**
 * The spread of calls for the hosts and edges `plain` was built from:
 * `spreadOptions` says how to build the spread profiles (with
 * `trafficShareKinds`, and the peer names the spread reads).
 */
export function callSpread(plain: HostFeatures, hosts: readonly ProfileHost[], edges: readonly ProfileEdge[], spreadOptions: FeatureOptions): CallSpread {
  return new CallSpread(plain, buildHostFeatures(hosts, edges, spreadOptions));
}
