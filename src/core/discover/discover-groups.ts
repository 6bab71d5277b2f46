import { compareText } from '../util/compare';
import { chooseCut } from './choose-cut';
import { clusterGroups, groupIds, groupIndexOfHosts, keepApproved, separateByLabels } from './assemble-groups';
import type { ApprovedGroup } from './approved-groups';
import { GroupDescriber } from './describe-groups';
import { groupSimilarities, labelConflicts } from './group-similarity';
import { analyseGraph, type GraphAnalysis, type GroupKind, type Tier } from './graph-analysis';
import { joinIdleReplicas } from './idle-replicas';
import { partIdleMembers } from './idle-members';
import { appendTo } from '../util/multimap';
import { identityValues, inventoryIdentity, JOIN_DEFAULTS, joinByIdentity, operationalIdentity } from './join-by-identity';
import { propagateIdentity, type ServiceClient } from './propagate-identity';
import { mergeRoleEquivalent } from './role-equivalence';
import { joinIdentitySubsets } from './identity-subsets';
import { partMediaMinority } from './media-hosts';
import { partBlockRoles } from './block-roles';
import { joinBlockPools } from './block-pools';
import { joinNameSiblings } from './name-siblings';
import { joinQuietBlockMembers } from './quiet-block-members';
import { buildHostFeatures, serviceText, type FeatureKind, type FeatureWeights, type HostFeatures, type ProfileEdge, type ProfileHost } from './host-features';
import { partialClientEdges } from './partial-clients';
import { callBackEdges } from './call-backs';
import { ESTATE_POOL_DEFAULTS, joinEstatePools } from './estate-pools';
import { probersOf } from './idle-replicas';
import { joinStandbys } from './standby-replicas';
import { edgeKey } from './anomalies/types';
import { replicaSets, type ReplicaRound } from './replica-sets';
import { joinSiteCopies } from './site-copies';
import { joinClusterMembers } from './cluster-members';
import { serviceClusters } from './service-clusters';
import { joinRareCallReplicas } from './rare-call-replicas';
import { partSteadyDifferences } from './steady-differences';
import { type EdgeSizeStats, type SizeNote, splitBySizeSignature } from './size-signatures';
import { nnChainLinkage } from './nn-chain';
import { ProfileDistances } from './profile-distances';
import { keepWorkloadsTogether, splitByIdentity } from './workloads';
import { templateLabels } from './template-labels';
import { doubtedRows, doubtText, groupingLabels, type RowDoubt } from './doubted-rows';
import { joinRolloutSuccessors } from './rollout-successors';
import type { JoinNote } from './join-note';

/**
 * Application groups from behaviour: replica sets (replica-sets.ts) so that
 * every peer is named by its set, host profiles over those peers,
 * average-linkage hierarchical clustering of the distinct profiles (each
 * weighted by its host count) under distances floored by whom a host
 * serves and uses, a cut chosen by silhouette, parts of one labelled
 * workload rejoined where they serve the same clients, or for a Kubernetes
 * app label the same ports (join-by-identity.ts), unlabelled groups brought
 * to the inventory identity whose ports, clients and servers they share
 * (propagate-identity.ts), fragments of one role merged bottom up
 * (role-equivalence.ts), idle replicas and replicas that a rare call set
 * apart joined to their service (idle-replicas.ts, rare-call-replicas.ts),
 * look-alike services parted by the sizes of what they exchange
 * (size-signatures.ts), pods a rollout replaced joined to their
 * successors (rollout-successors.ts), then groups split wherever labels say hosts must
 * stay apart (prod and dev never share a group).
 * Every group gets a name, agreed labels, a confidence and, where one
 * exists, an exact membership rule; every host a reason.
 */

/** A stage's sentence for a host's reason (join-note.ts); `apartFrom`, where set, as in a PartNote. */
type StageNote = JoinNote & { readonly apartFrom?: number };

export interface DiscoveryInput {
  /** The internal hosts to group, with their labels. */
  readonly hosts: readonly ProfileHost[];
  /** Client→server edges that were allowed or of unknown action. */
  readonly edges: readonly ProfileEdge[];
  /** Host names by address, for hostname rules. */
  readonly names: ReadonlyMap<string, string>;
  /** The protocol a sensor identified per server port, keyed "ip|proto|port" (Zeek's service), for names. */
  readonly observedServices?: ReadonlyMap<string, string>;
  /** Hosts that exchanged media on negotiated ports (negotiated-ports.ts), left out of `edges`; a minority of a group is parted (media-hosts.ts). */
  readonly mediaHosts?: ReadonlySet<string>;
  /** Bytes per connection hour by hour, per edge of the learning window (size-signatures.ts); none: groups are not split by size. */
  readonly sizes?: readonly EdgeSizeStats[];
}

export interface DiscoveredGroup {
  /** "g1", "g2", … in the order of each group's first member (canonical address order). */
  readonly id: string;
  readonly name: string;
  readonly members: readonly string[];
  /**
   * Mean of the members' silhouettes, floored at 0: how much closer they are
   * to each other than to the nearest other group (for a host alone in its
   * group, its mean distance to the nearest other group).
   */
  readonly confidence: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly rule: string | null;
  /** Application, shared infrastructure (its services used by most other groups) or clients (serve nothing). */
  readonly kind: GroupKind;
  readonly tier: Tier;
  /** The Louvain community most members fall in (−1: infrastructure, left out), and that share of the members. */
  readonly community: number;
  readonly communityShare: number;
}

export interface HostAssignment {
  readonly ip: string;
  readonly groupId: string;
  readonly confidence: number;
  readonly reason: string;
  /** The host's labels that contradict what the rest of its group agrees on: flagged, not trusted. */
  readonly labelConflicts: readonly string[];
}

export interface Discovery {
  readonly groups: readonly DiscoveredGroup[];
  /** One per internal host, in canonical address order. */
  readonly assignments: readonly HostAssignment[];
  readonly profiles: number;
  readonly cut: { readonly criterion: string; readonly height: number; readonly clusters: number; readonly silhouette: number };
  readonly graph: Pick<GraphAnalysis, 'communities' | 'modularity' | 'topReach'>;
}

export interface DiscoveryControl {
  readonly signal?: AbortSignal;
  readonly onProgress?: (fraction: number, detail: string) => void;
  /**
   * For developers tracing where a grouping goes wrong (test/bench/quality/stage-trace.ts):
   * the groups after each stage, in pipeline order, as lists of addresses.
   */
  readonly onStage?: (stage: string, groups: readonly (readonly string[])[]) => void;
  /** For developers asking why two hosts are or are not replicas (test/bench/quality/profile-inspect.ts): each round of replica sets. */
  readonly onReplicaRound?: (round: ReplicaRound) => void;
}


export type { ApprovedGroup };

export interface DiscoveryOptions {
  /** Move the dendrogram cut: this many clusters of distinct profiles instead of the silhouette's choice. */
  readonly clusters?: number;
  readonly approved?: readonly ApprovedGroup[];
}

export const DISCOVERY_DEFAULTS = {
  /**
   * Feature blocks of a host profile. Who a host serves and uses, each
   * peer named by its replica set (replica-sets.ts), carries the grouping:
   * hosts belong together when a policy written on their group grants
   * them nothing they did not already do. The bare service ("serves
   * tcp/1433") is only a hint: same-port servers of different
   * applications are exactly what must not share a group. Peers by
   * address add nothing once their replica sets are named.
   */
  kindWeight: { serves: 0.25, servesTo: 0, uses: 0.25, usesOn: 0, servesGroup: 1, usesGroup: 1, label: 1, network: 0.5 } as FeatureWeights,
  /**
   * Whom a host serves and whom it uses are each a floor on its distance
   * to another host: the web tiers of two applications used by the same
   * people share their clients but not their back ends, and a group
   * holding both would let each call the other's back end.
   */
  strictKinds: ['servesGroup', 'usesGroup'] as FeatureKind[],
  /** Labels are missing for part of the hosts at most sites: an unlabelled host is compared on its behaviour alone. */
  optionalKinds: ['label'] as FeatureKind[],
};

/** The profiles discovery clusters (and the what-if dendrogram cuts): peers named by their replica sets. */
export function discoveryFeatures(
  input: Pick<DiscoveryInput, 'hosts' | 'edges'> & Partial<Pick<DiscoveryInput, 'names'>>,
  control: DiscoveryControl = {},
  /** serviceClusters(input.edges), when the caller already has it. */
  clusterEdges: ReadonlyMap<string, string> = serviceClusters(input.edges),
): HostFeatures {
  const probers = probersOf(input.edges);
  const partialEdges = partialClientEdges(input.edges);
  // A node's health checks reach the pods placed on it (a load balancer's, the pool behind it): placement,
  // never what a server is for, whatever share of a service's replicas the node holds.
  for (const edge of input.edges) if (probers.has(edge.client)) partialEdges.add(edgeKey(edge));
  const peerGroup = replicaSets(input.hosts, input.edges, partialEdges, clusterEdges, {
    signal: control.signal,
    onProgress: (fraction) => control.onProgress?.(fraction, 'replica sets'),
    onRound: control.onReplicaRound,
  });
  // A call-back (a PLC re-opening its adapter's stream, a console waking its agents) gives neither end a feature (call-backs.ts).
  const callBack = callBackEdges(input.edges);
  // A pod outvoted by its workload's pods is profiled on their template's labels (template-labels.ts).
  const profileLabels = templateLabels(input.hosts);
  // A host whose name contradicts its inventory row is profiled on its behaviour and its other labels (doubted-rows.ts).
  const doubts = doubtedRows(input.hosts, input.names ?? new Map());
  for (const host of input.hosts) {
    const doubt = doubts.get(host.ip);
    if (doubt !== undefined) profileLabels.set(host.ip, groupingLabels(profileLabels.get(host.ip) ?? host.labels, doubt.namesakes));
  }
  const features = buildHostFeatures(input.hosts, input.edges, {
    peerGroup,
    kindWeight: DISCOVERY_DEFAULTS.kindWeight,
    strictKinds: DISCOVERY_DEFAULTS.strictKinds,
    optionalKinds: DISCOVERY_DEFAULTS.optionalKinds,
    partialEdges,
    clusterEdges,
    ignoreEnd: callBack,
    profileLabels,
  });
  if (doubts.size === 0) return features;
  const doubtedByIndex = new Map<number, RowDoubt>();
  features.hosts.forEach((host, index) => {
    const doubt = doubts.get(host.ip);
    if (doubt !== undefined) doubtedByIndex.set(index, doubt);
  });
  return { ...features, doubtedRows: doubtedByIndex };
}

export function discoverGroups(input: DiscoveryInput, control: DiscoveryControl = {}, options: DiscoveryOptions = {}): Discovery {
  const progress = (from: number, to: number, detail: string) => (fraction: number) => control.onProgress?.(from + (to - from) * fraction, detail);
  // Read once: replica sets name each cluster as one peer, and its members then join (cluster-members.ts).
  const clusterEdges = serviceClusters(input.edges);
  const features = discoveryFeatures(input, { signal: control.signal, onProgress: (fraction) => progress(0, 0.4, 'replica sets')(fraction) }, clusterEdges);
  const round = clusterRound(features, control, options, progress(0.4, 0.85, 'grouping host profiles'));
  const { distances, cut } = round;
  const profileCount = features.profileHosts.length;
  const identities = identityValues(features);
  const recorded = inventoryIdentity(identities);
  const parted = partIdleMembers(features, input.edges, round.groups);
  const steady = partSteadyDifferences(features, input.edges, parted.groups, nearestByProfile(features, distances));
  const byOperational = splitByIdentity(keepWorkloadsTogether(features, steady.groups), operationalIdentity(identities));
  const byWorkload = splitByIdentity(byOperational, (host) => recorded.get(host) ?? null, {
    minPart: JOIN_DEFAULTS.minRecordedSplit,
    agreedShare: JOIN_DEFAULTS.minIdentityShare,
    minMixed: JOIN_DEFAULTS.minMixedRecords,
    nearest: nearestByProfile(features, distances),
  });
  const [clients, servers, serviceClients] = peersByHost(features, input.edges);
  const operational = operationalIdentity(identities);
  const propagated = propagateIdentity(features, joinByIdentity(features, distances, byWorkload, identities, clients), recorded, serviceClients, servers);
  const identity = (host: number): string | null => operational(host) ?? recorded.get(host) ?? null;
  const clusters = joinClusterMembers(features, input.edges, propagated, identity, clusterEdges);
  const sites = joinSiteCopies(features, input.edges, clusters.groups, identity);
  const joined = mergeRoleEquivalent(features, input.edges, sites.groups, identity);
  const idle = joinIdleReplicas(features, input.edges, joined, identity);
  const sameIdentity = (a: number, b: number): boolean => {
    const value = identity(a);
    return value !== null && value === identity(b);
  };
  const standbys = joinStandbys(features, input.edges, idle.groups, identity);
  const rare = joinRareCallReplicas(features, input.edges, standbys.groups, identity);
  // After the joins that say more (an idle replica, a standby, a replica a rare call set apart): what is left of one recorded tier.
  const subsets = joinIdentitySubsets(features, input.edges, rare.groups, identity, (host) => recorded.get(host) ?? null);
  // Sizes part look-alike services before pools join slices of one service: a log node and an endpoint
  // that every instance polls both serve 443 and use nothing, and only their messages tell them apart.
  const bySize = input.sizes === undefined ? { groups: subsets.groups, notes: new Map<number, SizeNote>() } : splitBySizeSignature(features, subsets.groups, input.sizes, sameIdentity);
  const beforeSizes = groupIndexOfHosts(features.hosts.length, subsets.groups);
  const afterSizes = groupIndexOfHosts(features.hosts.length, bySize.groups);
  const partedBySize = (a: number, b: number): boolean => beforeSizes[a] === beforeSizes[b] && afterSizes[a] !== afterSizes[b];
  const pools = joinEstatePools(features, input.edges, bySize.groups, identity, ESTATE_POOL_DEFAULTS, partedBySize);
  const media = partMediaMinority(features, pools.groups, input.mediaHosts ?? new Set());
  const blocks = partBlockRoles(features, input.edges, media.groups);
  const blockPools = joinBlockPools(features, input.edges, blocks.groups, identity);
  const quiet = joinQuietBlockMembers(features, input.edges, blockPools.groups, identity);
  // A host that had not taken up its role yet: its inventory name says which of the estate's conventions it follows.
  const named = joinNameSiblings(features, input.edges, quiet.groups, identity, input.names);
  // Last: whatever behaviour made of a replaced pod, the moment its clients moved to its successors says more.
  const rollouts = joinRolloutSuccessors(features, input.edges, named.groups, identity);
  const notes = new Map<number, StageNote[]>();
  for (const source of [parted.notes, steady.notes, clusters.notes, sites.notes, subsets.notes, idle.notes, standbys.notes, rare.notes, bySize.notes, pools.notes, media.notes, blocks.notes, blockPools.notes, quiet.notes, named.notes, rollouts.notes]) for (const [host, note] of source) appendTo(notes, host, note);
  const discovered = separateByLabels(features, rollouts.groups);
  if (control.onStage !== undefined) {
    const stages: [string, readonly (readonly number[])[]][] = [
      ['cut', round.groups], ['idle members parted', parted.groups], ['steady differences', steady.groups], ['workload identities', byWorkload], ['identity joined and propagated', propagated],
      ['cluster members', clusters.groups], ['site copies', sites.groups], ['role equivalence', joined], ['idle replicas', idle.groups], ['standbys', standbys.groups], ['rare-call replicas', rare.groups],
      ['identity subsets', subsets.groups], ['size signatures', bySize.groups], ['estate pools', pools.groups], ['media minority', media.groups],
      ['block roles', blocks.groups], ['block pools', blockPools.groups], ['quiet block members', quiet.groups], ['name siblings', named.groups], ['rollout successors', rollouts.groups], ['labels apart', discovered],
    ];
    for (const [stage, groups] of stages) control.onStage(stage, groups.map((members) => members.map((host) => features.hosts[host]!.ip)));
  }
  const { groups: groupsOfHosts, fixed } = keepApproved(features, discovered, options.approved ?? []);
  control.signal?.throwIfAborted();
  const result = describeAll(features, groupsOfHosts, fixed, distances, input, notes, bySize.notes, progress(0.85, 0.95, 'explaining groups'), control.signal);
  control.onProgress?.(0.95, 'graph analysis');
  const graph = analyseGraph(features.hosts.map((host) => host.ip), groupsOfHosts, input.edges);
  const groups = result.groups.map((group, index) => {
    const facts = graph.groups[index]!;
    return { ...group, kind: facts.kind, tier: facts.tier, community: facts.community, communityShare: facts.communityShare };
  });
  return { groups, assignments: result.assignments, profiles: profileCount, cut, graph: { communities: graph.communities, modularity: graph.modularity, topReach: graph.topReach } };
}

/** The candidate whose profile is nearest a host's (the first on a tie; candidates in host order). */
function nearestByProfile(features: HostFeatures, distances: ProfileDistances): (host: number, candidates: readonly number[]) => number {
  const row = new Float64Array(distances.size);
  return (host, candidates) => {
    distances.row(features.profileOfHost[host]!, row);
    let best = candidates[0]!;
    for (const candidate of candidates) if (row[features.profileOfHost[candidate]!]! < row[features.profileOfHost[best]!]!) best = candidate;
    return best;
  };
}

/**
 * Each host's clients and servers (addresses), for joinByIdentity and propagateIdentity, and each host's clients
 * by the service they use ("tcp/9100"), for propagateIdentity.
 */
function peersByHost(features: HostFeatures, edges: readonly ProfileEdge[]): [Map<number, string[]>, Map<number, string[]>, Map<number, ServiceClient[]>] {
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const clients = new Map<number, Set<string>>();
  const servers = new Map<number, Set<string>>();
  const serviceClients = new Map<number, Map<string, ServiceClient>>();
  const add = (map: Map<number, Set<string>>, host: number | undefined, peer: string): void => {
    if (host === undefined) return;
    let set = map.get(host);
    if (set === undefined) map.set(host, (set = new Set()));
    set.add(peer);
  };
  for (const edge of edges) {
    const server = hostIndex.get(edge.server);
    add(clients, server, edge.client);
    add(servers, hostIndex.get(edge.client), edge.server);
    if (server === undefined) continue;
    let uses = serviceClients.get(server);
    if (uses === undefined) serviceClients.set(server, (uses = new Map()));
    const service = serviceText(edge.proto, edge.port);
    uses.set(`${service} ${edge.client}`, { service, client: edge.client });
  }
  const lists = (map: Map<number, Set<string>>) => new Map([...map].map(([host, set]) => [host, [...set]]));
  return [lists(clients), lists(servers), new Map([...serviceClients].map(([host, uses]) => [host, [...uses.values()]]))];
}

interface ClusterRound {
  /** Host indexes per cluster, in order of first member, before labels split or rejoin them. */
  readonly groups: number[][];
  readonly distances: ProfileDistances;
  readonly cut: Discovery['cut'];
}

/** One clustering of the profiles: distances, average linkage, the cut. */
function clusterRound(features: HostFeatures, control: DiscoveryControl, options: DiscoveryOptions, onProgress: (fraction: number) => void): ClusterRound {
  const profileCount = features.profileHosts.length;
  const distances = new ProfileDistances(features);
  if (profileCount < 3) {
    const cut = { criterion: 'fewer than three distinct profiles: one group per profile', height: 0, clusters: profileCount, silhouette: 0 };
    return { groups: clusterGroups(Int32Array.from(features.profileOfHost)), distances, cut };
  }
  const hostsPerProfile = Float64Array.from(features.profileHosts, (hosts) => hosts.length);
  const part = (from: number, to: number) => (fraction: number) => onProgress(from + (to - from) * fraction);
  const condensed = distances.condensed({ signal: control.signal, onProgress: part(0, 0.35) });
  const merges = nnChainLinkage(profileCount, condensed, 'average', { signal: control.signal, onProgress: part(0.35, 0.7), sizes: hostsPerProfile });
  const choice = chooseCut(distances, merges, hostsPerProfile, { signal: control.signal, onProgress: part(0.7, 1), clusters: options.clusters });
  const cut = { criterion: choice.criterion, height: choice.height, clusters: choice.clusters, silhouette: choice.silhouette };
  return { groups: clusterGroups(Int32Array.from(features.profileOfHost, (profile) => choice.clusterOfProfile[profile]!)), distances, cut };
}

function describeAll(
  features: HostFeatures,
  groups: readonly number[][],
  fixed: readonly (ApprovedGroup | null)[],
  distances: ProfileDistances,
  input: Pick<DiscoveryInput, 'names' | 'edges' | 'observedServices'>,
  joinNotes: ReadonlyMap<number, readonly StageNote[]>,
  sizeNotes: ReadonlyMap<number, SizeNote>,
  onProgress: (fraction: number) => void,
  signal: AbortSignal | undefined,
): { groups: Omit<DiscoveredGroup, 'kind' | 'tier' | 'community' | 'communityShare'>[]; assignments: HostAssignment[] } {
  const ids = groupIds(fixed);
  const groupOfHost = new Int32Array(features.hosts.length);
  groups.forEach((members, group) => {
    for (const host of members) groupOfHost[host] = group;
  });
  const similarity = groupSimilarities(features, distances, groupOfHost, groups.length, onProgress, signal);
  const describer = new GroupDescriber(features, input.names, { edges: input.edges, ...(input.observedServices === undefined ? {} : { observedServices: input.observedServices }) });
  const featureCounts = groups.map((members) => describer.featureCounts(members));
  // A group that message sizes parted from others is told apart from its namesakes by what its connections carry.
  const descriptions = describer.describeGroups(groups, (group) => {
    const note = sizeNotes.get(groups[group]![0]!);
    return note === undefined || !groups[group]!.every((host) => sizeNotes.get(host)?.bytes === note.bytes) ? null : `${byteText(note.bytes)} per connection`;
  });
  const assignments: HostAssignment[] = features.hosts.map((host, index) => {
    const group = groupOfHost[index]!;
    const nearestGroup = similarity.nearestGroup[index]!;
    const conflicts = labelConflicts(features, index, groups[group]!);
    const reason = describer.reason(index, featureCounts[group]!, groups[group]!.length, {
      own: similarity.own[index]!,
      nearest: similarity.nearest[index]!,
      nearestGroup: nearestGroup < 0 ? null : ids[nearestGroup]!,
    });
    const approved = fixed[group] === null ? '' : `approved group, kept from an earlier run; `;
    const agreed = descriptions[group]!.labels;
    const agreeing = host.labels.filter((label) => agreed[label.key] === label.value).map((label) => `${label.key}=${label.value}`);
    const agreement = agreeing.length === 0 || groups[group]!.length === 1 ? '' : `; labels agree: ${[...new Set(agreeing)].sort(compareText).join(', ')}`;
    return {
      ip: host.ip,
      groupId: ids[group]!,
      confidence: round(similarity.silhouette[index]!),
      reason: approved + reason + joinNote(joinNotes.get(index), groupOfHost[index]!, groupOfHost) + doubtNote(features, index) + agreement + (conflicts.length === 0 ? '' : `; labels contradict behaviour: ${conflicts.join(', ')}`),
      labelConflicts: conflicts,
    };
  });
  const described = groups.map((members, group) => {
    const description = descriptions[group]!;
    let confidence = 0;
    for (const host of members) confidence += similarity.silhouette[host]!;
    return {
      id: ids[group]!,
      name: fixed[group]?.name ?? description.name,
      members: members.map((host) => features.hosts[host]!.ip),
      confidence: round(confidence / members.length),
      labels: description.labels,
      rule: description.rule,
    };
  });
  return { groups: described, assignments };
}

const round = (value: number): number => Math.round(value * 100) / 100;

/** Why a host's inventory row took no part in grouping it (doubted-rows.ts), or nothing. */
function doubtNote(features: HostFeatures, host: number): string {
  const doubt = features.doubtedRows?.get(host);
  return doubt === undefined ? '' : `; ${doubtText(doubt)}`;
}

/** "640 B", "6.7 kB", "12 MB": two significant figures, enough to tell sizes 1.5× apart. */
function byteText(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : Number(value.toPrecision(2))} ${units[unit]}`;
}

/** Why a host joined its group or was parted from others (idle replicas, rare-call replicas, message sizes), while it still shares a group with the note's partner. */
const joinNote = (notes: readonly StageNote[] | undefined, group: number, groupOfHost: Int32Array): string =>
  (notes ?? [])
    .filter((note) => groupOfHost[note.partner] === group && (note.apartFrom === undefined || groupOfHost[note.apartFrom] !== group))
    .map((note) => `; ${note.text}`)
    .join('');
