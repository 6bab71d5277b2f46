import { clusterGroups, groupLabel } from './assemble-groups';
import { clustersAfter } from './choose-cut';
import { buildHostFeatures, HOST_FEATURE_DEFAULTS, type FeatureKind, type FeatureWeights, type HostFeatures, type ProfileEdge, type ProfileHost } from './host-features';
import { callBackEdges } from './call-backs';
import { dynamicRpcEdges } from './dynamic-rpc';
import { nnChainLinkage } from './nn-chain';
import { callSpread, type CallSpread } from './call-spread';
import { probersOf } from './idle-replicas';
import { keepWorkloadsTogether } from './workloads';
import { ProfileDistances } from './profile-distances';

/**
 * Replica sets: hosts that are structurally equivalent in the traffic
 * (the same services used by the same clients, the same services used of
 * the same servers), such as the replicas of one service behind a load
 * balancer. Discovery then names every peer by its replica set, so two
 * replicas whose clients happened to be different replicas of one caller
 * look the same, while two databases on one port used by different
 * applications still look different.
 *
 * It starts from peers named by address and repeats with peers named by
 * the sets of the round before: the replicas of a database join once the
 * replicas of their app server have joined. A merge needs (almost) the
 * same peers, never just the same ports, so it cannot spread along a
 * chain of look-alike tiers the way grouping by role would. A set is then
 * parted where its members spread their calls differently over the sets
 * (call-spread.ts), so that one peer a host works with all day is not
 * outvoted by the many ports of its housekeeping.
 */
export const REPLICA_DEFAULTS = {
  /**
   * Replicas join while their average cosine distance over peer features
   * stays at or below this. Serving and using form two blocks of equal
   * weight, so two hosts with the same clients but entirely different
   * dependencies (the web tiers of two applications used by the same
   * users) sit at 0.5; replicas that differ only in rarely used peers sit
   * well below 0.3.
   */
  maxDistance: 0.3,
  /**
   * Rounds of renaming peers by their sets after the first; a round that
   * changes nothing ends it early. A join travels one hop per round: two
   * cover replicas whose clients are replicas of a caller whose own clients
   * are replicas (pods behind two tiers of load balancing); deeper chains
   * are already joined through their shared clients.
   */
  rounds: 2,
  /**
   * An edge carried by fewer connections than this over the window is a
   * one-off: a rare call lands on one replica of its server, at random, and
   * comes from one replica of its client, so it makes replicas look unlike
   * each other. Replica sets are read from the steadier edges (oneOffEnds);
   * a host whose edges in a role are all one-offs keeps them. Three: one
   * connection is chance, and a call made at all steadily over a window
   * of hours or days repeats more than twice; the clustering after replica
   * sets still sees every edge. Not tuned to a data set: at 5 the quality
   * harness's worst cases move by at most 0.02 either way.
   */
  minFlows: 3,
  /**
   * Kinds whose features also weigh by the share of a host's calls they
   * carry, for a second distance by which a set is parted (call-spread.ts):
   * replicas run one program and call the same peers in about the same
   * proportions. Only what a host uses: how much each client calls a
   * server is the clients' doing, not the server's. From the second round
   * on, with peers named by the sets the round's plain profiles give: by
   * address, the replicas of a caller that keep to different replicas of a
   * server (sticky sessions, a zone's own endpoint) spread their calls over
   * different peers.
   */
  callSpreadKinds: ['uses', 'usesOn', 'usesGroup'] as FeatureKind[],
  /** Only peers, by set: ports alone, labels and addresses say nothing about structural equivalence. */
  kindWeight: { serves: 0, servesTo: 0, uses: 0, usesOn: 0, servesGroup: 1, usesGroup: 1, label: 0, network: 0 } as FeatureWeights,
} as const;

export interface ReplicaControl {
  readonly signal?: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
  /** For developers asking why two hosts are or are not one set (test/bench/quality/profile-inspect.ts): each round as it ends. */
  readonly onRound?: (round: ReplicaRound) => void;
}

/** One round of replica sets, as it ends. */
export interface ReplicaRound {
  readonly round: number;
  /** The plain profiles the round clustered first: peers named by the sets of the round before. */
  readonly plain: HostFeatures;
  /** From the second round on: the spread of calls that parted the plain sets (peers named by them). */
  readonly spread?: CallSpread;
  /** Each host's set once the round ended. */
  readonly setOf: (ip: string) => string;
}

/** Names each address by its replica set: "10.0.0.5" alone, "{10.0.0.5 +2}" for a set of three (its first member and how many more). */
export function replicaSets(
  hosts: readonly ProfileHost[],
  edges: readonly ProfileEdge[],
  partialEdges: ReadonlySet<string>,
  clusterEdges: ReadonlyMap<string, string>,
  control: ReplicaControl = {},
  options: Partial<typeof REPLICA_DEFAULTS> = {},
): (ip: string) => string {
  const settings = { ...REPLICA_DEFAULTS, ...options };
  const probers = probersOf(edges);
  const oneOff = oneOffEnds(edges, settings.minFlows);
  // Nor does a call-back against a busier edge (call-backs.ts), at either end: which PLC lost its stream in the window is chance.
  const callBack = callBackEdges(edges);
  const ignoreEnd = (edge: ProfileEdge, end: 'server' | 'client'): boolean => callBack(edge) || oneOff(edge, end);
  // Read once: every round builds its profiles from the same edges.
  const dynamicRpc = dynamicRpcEdges(edges, HOST_FEATURE_DEFAULTS.rpcEndpointMinAskedShare);
  let names = new Map<string, string>();
  let key = '';
  // One matrix's memory for every round (later rounds have no more profiles than the first, as a rule).
  let matrix: Float64Array | undefined;
  const setsOf = (found: HostFeatures, condensed: Float64Array): number[][] => {
    const n = found.profileHosts.length;
    let clusterOfProfile: Int32Array = Int32Array.from({ length: n }, (_, profile) => profile);
    if (n >= 2) {
      if (matrix === undefined || condensed.length > matrix.length) matrix = condensed;
      const sizes = Float64Array.from(found.profileHosts, (members) => members.length);
      const merges = nnChainLinkage(n, condensed, 'average', { signal: control.signal, sizes });
      let kept = 0;
      while (kept < merges.length && merges[kept]!.height <= settings.maxDistance) kept++;
      clusterOfProfile = clustersAfter(n, merges, kept);
    }
    // The pods of one workload are replicas by construction, whatever their peers (workloads.ts).
    const sets = keepWorkloadsTogether(found, clusterGroups(Int32Array.from(found.profileOfHost, (profile) => clusterOfProfile[profile]!)));
    return uniteProbers(found, sets, probers);
  };
  for (let round = 0; round <= settings.rounds; round++) {
    control.signal?.throwIfAborted();
    const current = names;
    const featureOptions = { peerGroup: (ip: string) => current.get(ip) ?? ip, kindWeight: settings.kindWeight, partialEdges, clusterEdges, ignoreEnd, dynamicRpc };
    const plain = buildHostFeatures(hosts, edges, featureOptions);
    let sets = setsOf(plain, new ProfileDistances(plain).condensed({ signal: control.signal, into: matrix }));
    let spread: CallSpread | undefined;
    if (round > 0 && settings.callSpreadKinds.length > 0 && sets.some((members) => members.length > 1)) {
      // Replicas call alike: the same peers, in about the same proportions (call-spread.ts). The spread names
      // peers by the sets just found, not by the round before's: a replica's own cache (a PLC's own I/O)
      // then joins its siblings' in the same round as the replicas do, so neither parts the other.
      const found = namesOf(plain.hosts, sets);
      spread = callSpread(plain, hosts, edges, { ...featureOptions, peerGroup: (ip: string) => found.get(ip) ?? ip, trafficShareKinds: settings.callSpreadKinds });
      sets = uniteProbers(plain, keepWorkloadsTogether(plain, spread.part(sets, settings.maxDistance, control.signal)), probers);
    }
    control.onProgress?.((round + 1) / (settings.rounds + 1));
    const nextKey = sets.map((members) => members.join(',')).sort().join('|');
    names = namesOf(plain.hosts, sets);
    const ended = names;
    control.onRound?.({ round, plain, spread, setOf: (ip) => ended.get(ip) ?? ip });
    if (nextKey === key) break;
    key = nextKey;
  }
  const final = names;
  return (ip) => final.get(ip) ?? ip;
}

/**
 * Probers (idle-replicas.ts: a node's kubelet checks the pods of its own
 * node) are one role wherever they run: one set. Otherwise each node's
 * kubelet is a peer of its own, and the replicas of a service placed on
 * different nodes differ by the node that probes them.
 */
function uniteProbers(features: Pick<HostFeatures, 'hosts'>, sets: readonly number[][], probers: ReadonlySet<string>): number[][] {
  if (probers.size < 2) return [...sets];
  const united: number[] = [];
  const rest: number[][] = [];
  for (const members of sets) {
    const kept = members.filter((host) => !probers.has(features.hosts[host]!.ip));
    if (kept.length < members.length) united.push(...members.filter((host) => probers.has(features.hosts[host]!.ip)));
    if (kept.length > 0) rest.push(kept);
  }
  return united.length === 0 ? rest : [...rest, united.sort((a, b) => a - b)];
}

/** Each host's set name: "{first +k}" for a set of k + 1, the address alone for a host on its own. */
function namesOf(hosts: HostFeatures['hosts'], sets: readonly number[][]): Map<string, string> {
  const names = new Map<string, string>();
  for (const members of sets) {
    const name = groupLabel(hosts[members[0]!]!.ip, members.length);
    for (const host of members) names.set(hosts[host]!.ip, name);
  }
  return names;
}

/** An edge carried by fewer than `minFlows` connections (REPLICA_DEFAULTS.minFlows); one of unknown count is not. */
export const isOneOffEdge = (edge: ProfileEdge, minFlows: number): boolean => edge.flows !== undefined && edge.flows < minFlows;

/**
 * The ends of one-off edges (fewer than `minFlows` connections) that say
 * nothing of their host's role: a server's end when that server also has
 * steadier clients, a client's end when that client also makes steadier
 * calls. A host whose every edge in a role is a one-off keeps them, so it
 * never looks idle. Edges without counts are steady.
 */
export function oneOffEnds(edges: readonly ProfileEdge[], minFlows: number): (edge: ProfileEdge, end: 'server' | 'client') => boolean {
  const steadyServers = new Set<string>();
  const steadyClients = new Set<string>();
  for (const edge of edges) {
    if (isOneOffEdge(edge, minFlows)) continue;
    steadyServers.add(edge.server);
    steadyClients.add(edge.client);
  }
  return (edge, end) => isOneOffEdge(edge, minFlows) && (end === 'server' ? steadyServers.has(edge.server) : steadyClients.has(edge.client));
}
