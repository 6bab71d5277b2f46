import type { RowDoubt } from './doubted-rows';
import { isPlacementLabel } from '../ingest/observed-labels';
import { identifierLabelKeys } from './identifier-labels';
import { APPLICATION_LABEL_KEYS, findLabel, inventoryIdentityKeys } from '../enrich/label-keys';
import ipaddr from 'ipaddr.js';
import { compareText } from '../util/compare';
import { edgeKey } from './anomalies/types';
import { REMOTE_ADMIN_SERVICES } from '../flow/admin-services';
import { DYNAMIC_RPC_SERVICE, dynamicRpcEdges } from './dynamic-rpc';
import { HostTraffic } from './traffic-shares';

/**
 * Host profiles: what each internal host serves (and to whom) and what it
 * uses (and of whom), plus its inventory and Kubernetes labels, as weighted
 * features. Weights follow inverse document frequency, so traffic everyone
 * shares (DNS, NTP, monitoring) counts for little and rare, specific
 * features for much. The ports an RPC endpoint mapper hands out are one
 * service whatever number each server drew (dynamic-rpc.ts). Hosts with
 * identical feature sets share one profile: clustering runs over distinct
 * profiles, each carrying its host count.
 */

export const HOST_FEATURE_DEFAULTS = {
  /**
   * Per kind of feature, the weight of its block in a profile: behaviour
   * leads, labels support. The address block (/16, /48) is weak evidence:
   * environments and sites are often laid out by block, but not always, so
   * it can tip a balance and never decide alone.
   */
  kindWeight: { serves: 1, servesTo: 1, uses: 1, usesOn: 1, servesGroup: 0, usesGroup: 0, label: 1, network: 0.5 } as FeatureWeights,
  /**
   * A block scales with how much it says: at full weight only when its
   * length reaches this, the IDF of a feature one host in ten shares
   * (ln 10). A block made only of what most hosts do (DNS, NTP, syslog,
   * the monitoring scrape) would otherwise weigh as much as a block of
   * specific peers once normalised, and make unrelated hosts look alike.
   * One in ten is specific at any size: a service with a handful of
   * replicas among a few dozen hosts, a tier among hundreds.
   */
  informativeBlockLength: Math.log(10),
  /** Address blocks that describe where a host sits: IPv4 /16, IPv6 /48. */
  networkPrefixV4: 16,
  networkPrefixV6: 48,
  /**
   * Remote administration says who manages a host, not what it does (one
   * jump host reaches every server now and then): its features count this
   * much of their IDF weight.
   */
  adminServices: REMOTE_ADMIN_SERVICES.map((service) => serviceText(service.proto, service.port)),
  adminWeight: 0.2,
  /**
   * A label key is an identifier column (an instance id, an asset tag, a
   * serial: identifier-labels.ts) when at least this many hosts carry it and
   * no two share a value; it then neither groups nor names. With a handful
   * of hosts distinct values are what any label has (three servers of three
   * applications); ten hosts none of which shares its value with another is
   * a column of names, not of groups.
   */
  identifierMinCarriers: 10,
  /**
   * An edge is a call-back (call-backs.ts), and gives its ends no feature,
   * when the edge the other way between the same two hosts carries at least
   * this many times its connections. Two ends that each work for the other
   * (replication both ways, a peer protocol) do so at comparable rates,
   * within a few times; a call-back is one or two calls against a steady
   * stream. Ten leaves a factor of three on both sides of that line.
   */
  callBackRatio: 10,
  /**
   * Traffic shares (traffic-shares.ts, where a caller asks for them) are
   * rounded to this many steps per doubling. Two: the load replicas draw by
   * chance differs by tens of percent, less than a step of √2, so they
   * mostly keep one profile, while a relation that carries half of a
   * host's calls and one that carries a tenth lie five steps apart.
   */
  shareStepsPerOctave: 2,
  /**
   * A high port is a server's RPC endpoint for all its clients there once
   * at least this share of them asked that server's mapper in the window
   * (dynamic-rpc.ts). Half: every client of an endpoint learnt the port
   * from the mapper at some time, and how many did so within the window
   * depends on its length against how long clients keep the answer, so a
   * majority is what a short window still shows; a service of its own on a
   * high port is asked for by its own clients, and only the few that also
   * use the server's RPC services ask its mapper.
   */
  rpcEndpointMinAskedShare: 0.5,
} as const;

export type FeatureKind = 'serves' | 'servesTo' | 'uses' | 'usesOn' | 'servesGroup' | 'usesGroup' | 'label' | 'network';
export type FeatureWeights = Readonly<Record<FeatureKind, number>>;

export interface FeatureOptions {
  /**
   * Names a peer's group, for "serves … to group X" and "uses … on group X"
   * features (refinement rounds): replicas whose peers are different
   * replicas of the same services then look the same.
   */
  readonly peerGroup?: (ip: string) => string;
  readonly kindWeight?: FeatureWeights;
  /**
   * Kinds whose own distance is a floor on the profile distance: hosts
   * that differ entirely in whom they serve are apart however alike the
   * rest of their profiles are (profile-distances.ts).
   */
  readonly strictKinds?: readonly FeatureKind[];
  /**
   * Kinds that may simply be missing (labels: an inventory lists some
   * hosts only). A host without the block is compared on the rest: being
   * unlabelled is no evidence of being different.
   */
  readonly optionalKinds?: readonly FeatureKind[];
  /**
   * An edge end that gives its host no feature (replica-sets.ts: a one-off
   * call says nothing about the role of a host that has steadier edges).
   */
  readonly ignoreEnd?: (edge: ProfileEdge, end: 'server' | 'client') => boolean;
  /**
   * Edges ("client|server|proto|port") whose client says nothing about
   * whom the server serves (partial-clients.ts): they give the server no
   * "serves … to" feature. The client still uses what it uses.
   */
  readonly partialEdges?: ReadonlySet<string>;
  /**
   * Edges between members of one service cluster (service-clusters.ts),
   * by edge key: both ends name the peer by its cluster, so every member
   * of a replica set has the same peers.
   */
  readonly clusterEdges?: ReadonlyMap<string, string>;
  /** Edges to an RPC endpoint mapper's dynamic ports (dynamic-rpc.ts), when the caller has already read them from `edges`. */
  readonly dynamicRpc?: (edge: ProfileEdge) => boolean;
  /**
   * Kinds whose features also weigh by the share of the host's connections
   * (in that kind) each carries (traffic-shares.ts): a host's work then
   * outweighs the housekeeping every host does. None by default.
   */
  readonly trafficShareKinds?: readonly FeatureKind[];
  /**
   * Labels a host's profile carries instead of its own, by address
   * (template-labels.ts: a pod outvoted by its workload's pods carries
   * their template's). The hosts keep their own labels for everything else.
   */
  readonly profileLabels?: ReadonlyMap<string, ProfileHost['labels']>;
}

export interface ProfileEdge {
  readonly client: string;
  readonly server: string;
  readonly proto: number;
  /** −1 for protocols without ports. */
  readonly port: number;
  /** Connections (flow records) behind the edge in the window, where known. */
  readonly flows?: number;
  /** When the edge was first and last seen in the window (epoch ms), where the export says (rollout-successors.ts). */
  readonly firstMs?: number | null;
  readonly lastMs?: number | null;
}

export interface ProfileHost {
  readonly ip: string;
  /** Orders hosts (canonical address order); ties fall back to the address text. */
  readonly sortKey: string;
  readonly labels: readonly { readonly key: string; readonly value: string }[];
  /**
   * The Kubernetes controller whose pods share this address's pod template
   * ("namespace/Deployment/name", from the pod list's owner chain); absent
   * for hosts no pod list names, or that several workloads share (the host
   * network).
   */
  readonly workload?: string;
}

export interface Feature {
  readonly kind: FeatureKind;
  /** Readable, e.g. "serves tcp/5432 to 10.1.2.3"; unique. */
  readonly name: string;
  /** Hosts that have it. */
  readonly hosts: number;
  /** Its IDF weight (times the admin factor), before each profile's block normalisation. */
  readonly weight: number;
}

export interface HostFeatures {
  /** Internal hosts in canonical address order. */
  readonly hosts: readonly ProfileHost[];
  /** Hosts whose inventory row their own name contradicts (doubted-rows.ts): grouping reads each one's RowDoubt.labels instead of the row's identity keys. */
  readonly doubtedRows?: ReadonlyMap<number, RowDoubt>;
  /** Per host (same order): its profile. */
  readonly profileOfHost: Int32Array;
  /** Per profile: its hosts, in order. */
  readonly profileHosts: readonly (readonly number[])[];
  /** Per profile: its features (ascending ids) and their weights in it, as a compressed sparse row. */
  readonly featureStart: Int32Array;
  readonly featureIds: Int32Array;
  readonly featureWeights: Float64Array;
  /** Per profile: the L2 norm of its weight vector. */
  readonly norms: Float64Array;
  /** Features sorted by name; ids index this. */
  readonly features: readonly Feature[];
  /** The weight of each kind's block at full information. */
  readonly kindWeight: FeatureWeights;
  readonly strictKinds: readonly FeatureKind[];
  readonly optionalKinds: readonly FeatureKind[];
  /** How the profiles name a peer's group (FeatureOptions.peerGroup), where they do: stages that weigh connections name peers alike. */
  readonly peerGroup?: (ip: string) => string;
}

export function serviceText(proto: number, port: number): string {
  const name = proto === 6 ? 'tcp' : proto === 17 ? 'udp' : proto === 1 ? 'icmp' : proto === 58 ? 'icmp6' : `proto${proto}`;
  return port < 0 ? name : `${name}/${port}`;
}

/**
 * Builds the profiles of `hosts` (the internal hosts) from client→server
 * edges (allowed or unknown action; refused connections are not behaviour).
 * Peers may be any host, internal or not. The result does not depend on
 * the order of hosts, labels or edges.
 */
export function buildHostFeatures(hosts: readonly ProfileHost[], edges: readonly ProfileEdge[], options: FeatureOptions = {}): HostFeatures {
  const peerGroup = options.peerGroup;
  const kindWeight = options.kindWeight ?? HOST_FEATURE_DEFAULTS.kindWeight;
  const ordered = [...hosts].sort((a, b) => compareText(a.sortKey, b.sortKey) || compareText(a.ip, b.ip));
  const hostIndex = new Map(ordered.map((host, index) => [host.ip, index]));
  const namesByHost: Set<string>[] = ordered.map(() => new Set<string>());
  const kindOf = new Map<string, FeatureKind>();
  const shareKinds = options.trafficShareKinds ?? [];
  const traffic = shareKinds.length > 0 ? new HostTraffic(ordered.length, shareKinds, HOST_FEATURE_DEFAULTS.shareStepsPerOctave) : undefined;
  let flows = 0;
  const add = (host: number | undefined, kind: FeatureKind, name: string): void => {
    // A kind at weight 0 could not change a distance: not building it saves most of the work in replica rounds.
    if (host === undefined || kindWeight[kind] === 0) return;
    namesByHost[host]!.add(name);
    kindOf.set(name, kind);
    traffic?.add(host, kind, name, flows);
  };
  const ignoreEnd = options.ignoreEnd;
  const dynamicRpc = options.dynamicRpc ?? dynamicRpcEdges(edges, HOST_FEATURE_DEFAULTS.rpcEndpointMinAskedShare);
  for (const edge of edges) {
    const service = dynamicRpc(edge) ? DYNAMIC_RPC_SERVICE : serviceText(edge.proto, edge.port);
    // An edge of unknown count weighs as one connection.
    flows = edge.flows ?? 1;
    const server = ignoreEnd?.(edge, 'server') === true ? undefined : hostIndex.get(edge.server);
    const client = ignoreEnd?.(edge, 'client') === true ? undefined : hostIndex.get(edge.client);
    add(server, 'serves', `serves ${service}`);
    const key = edgeKey(edge);
    const partial = options.partialEdges?.has(key) === true;
    const cluster = options.clusterEdges?.get(key);
    if (!partial) add(server, 'servesTo', `serves ${service} to ${edge.client}`);
    add(client, 'uses', `uses ${service}`);
    add(client, 'usesOn', `uses ${service} on ${edge.server}`);
    if (peerGroup !== undefined) {
      if (cluster !== undefined) {
        // Replication runs one way at a time (a standby pulls from its primary); membership is
        // symmetric, so both ends get both features and every member the same ones.
        for (const member of [server, client]) {
          add(member, 'servesGroup', `serves ${service} to ${cluster}`);
          add(member, 'usesGroup', `uses ${service} on ${cluster}`);
        }
      } else {
        if (server !== undefined && !partial) add(server, 'servesGroup', `serves ${service} to group ${peerGroup(edge.client)}`);
        if (client !== undefined) add(client, 'usesGroup', `uses ${service} on group ${peerGroup(edge.server)}`);
      }
    }
  }
  const identifiers = identifierLabelKeys(hosts, HOST_FEATURE_DEFAULTS.identifierMinCarriers);
  const identityKeys = inventoryIdentityKeys(hosts);
  ordered.forEach((host, index) => {
    // Placement (an NSG, a subnet) is shared by whatever the network team put together, and an
    // identifier column (an instance id) names one host: they explain, never group.
    const labels = (options.profileLabels?.get(host.ip) ?? host.labels).filter((label) => !isPlacementLabel(label.key) && !identifiers.has(label.key));
    // A full inventory identity is a feature of its own, and its environment and tier are not: alone
    // ("env=prod", "role=worker") they are shared by every application's workers and would pull two
    // applications' tiers together. The application stays, as the part that names one.
    const identity = inventoryIdentityOf(labels, identityKeys);
    if (identity !== null) add(index, 'label', `label ${identity.text}`);
    for (const label of labels) if (identity === null || !identity.sharedParts.has(label.key)) add(index, 'label', `label ${label.key}=${label.value}`);
    const block = addressBlock(host.ip);
    if (block !== null) add(index, 'network', `in ${block}`);
  });

  const names = [...kindOf.keys()].sort(compareText);
  const featureId = new Map(names.map((name, id) => [name, id]));
  const hostCount = new Int32Array(names.length);
  const idsByHost = namesByHost.map((set) => {
    const ids = Int32Array.from(set, (name) => featureId.get(name)!).sort();
    for (const id of ids) hostCount[id]!++;
    return ids;
  });
  const shareStepsByHost = traffic === undefined ? undefined : idsByHost.map((ids, host) => Int8Array.from(ids, (id) => traffic.shareStep(host, names[id]!, kindOf.get(names[id]!)!)));
  const admin = new Set<string>(HOST_FEATURE_DEFAULTS.adminServices);
  const features: Feature[] = names.map((name, id) => {
    const kind = kindOf.get(name)!;
    const idf = Math.log(ordered.length / hostCount[id]!);
    const service = kind === 'label' ? '' : name.split(' ')[1]!;
    return { kind, name, hosts: hostCount[id]!, weight: admin.has(service) ? idf * HOST_FEATURE_DEFAULTS.adminWeight : idf };
  });
  const multiplier = traffic === undefined ? undefined : (step: number) => traffic.multiplier(step);
  return {
    hosts: ordered,
    ...collapseIdentical(idsByHost, shareStepsByHost, multiplier, features, kindWeight),
    kindWeight,
    strictKinds: options.strictKinds ?? [],
    optionalKinds: options.optionalKinds ?? [],
    ...(peerGroup === undefined ? {} : { peerGroup }),
  };
}

/**
 * Hosts with the same feature set (and, with traffic shares, the same share
 * steps) share a profile; profiles keep the order of their first host.
 */
function collapseIdentical(
  idsByHost: readonly Int32Array[],
  shareStepsByHost: readonly Int8Array[] | undefined,
  multiplier: ((step: number) => number) | undefined,
  features: readonly Feature[],
  kindWeight: FeatureWeights,
) {
  const profileByKey = new Map<string, number>();
  const profileOfHost = new Int32Array(idsByHost.length);
  const profileHosts: number[][] = [];
  const profileIds: Int32Array[] = [];
  const profileSteps: (Int8Array | undefined)[] = [];
  idsByHost.forEach((ids, host) => {
    const steps = shareStepsByHost?.[host];
    const key = steps === undefined ? ids.join(',') : `${ids.join(',')}|${steps.join(',')}`;
    let profile = profileByKey.get(key);
    if (profile === undefined) {
      profile = profileHosts.length;
      profileByKey.set(key, profile);
      profileHosts.push([]);
      profileIds.push(ids);
      profileSteps.push(steps);
    }
    profileHosts[profile]!.push(host);
    profileOfHost[host] = profile;
  });
  const featureStart = new Int32Array(profileIds.length + 1);
  profileIds.forEach((ids, profile) => (featureStart[profile + 1] = featureStart[profile]! + ids.length));
  const featureIds = new Int32Array(featureStart[profileIds.length]!);
  const featureWeights = new Float64Array(featureIds.length);
  const norms = new Float64Array(profileIds.length);
  profileIds.forEach((ids, profile) => {
    const start = featureStart[profile]!;
    featureIds.set(ids, start);
    const steps = profileSteps[profile];
    const shareFactor = steps === undefined || multiplier === undefined ? undefined : (k: number) => multiplier(steps[k]!);
    blockWeights(ids, shareFactor, features, kindWeight, featureWeights.subarray(start, start + ids.length));
    let squares = 0;
    for (let k = start; k < start + ids.length; k++) squares += featureWeights[k]! ** 2;
    norms[profile] = Math.sqrt(squares);
  });
  return { profileOfHost, profileHosts, featureStart, featureIds, featureWeights, norms, features };
}

/**
 * A profile's weights: each kind of feature forms a block scaled to length
 * kindWeight, so a web server called by fifty workstations is not decided
 * by those fifty features alone but equally by the one service it uses
 * downstream, which tells its application apart from its siblings'.
 */
function blockWeights(ids: Int32Array, shareFactor: ((k: number) => number) | undefined, features: readonly Feature[], kindWeight: FeatureWeights, out: Float64Array): void {
  const squares = new Map<FeatureKind, number>();
  ids.forEach((id) => {
    const feature = features[id]!;
    squares.set(feature.kind, (squares.get(feature.kind) ?? 0) + feature.weight ** 2);
  });
  // With traffic shares, each weight scales by its share and each block's length follows; how much a block
  // says (its information) still comes from its features' IDF alone: shares set its direction, not its weight.
  const scaled = shareFactor === undefined ? undefined : Float64Array.from(ids, (id, k) => features[id]!.weight * shareFactor(k));
  const scaledSquares = scaled === undefined ? squares : new Map<FeatureKind, number>();
  if (scaled !== undefined) ids.forEach((id, k) => scaledSquares.set(features[id]!.kind, (scaledSquares.get(features[id]!.kind) ?? 0) + scaled[k]! ** 2));
  ids.forEach((id, k) => {
    const feature = features[id]!;
    const information = Math.min(1, Math.sqrt(squares.get(feature.kind)!) / HOST_FEATURE_DEFAULTS.informativeBlockLength);
    const length = Math.sqrt(scaledSquares.get(feature.kind)!);
    out[k] = length === 0 ? 0 : ((scaled?.[k] ?? feature.weight) / length) * information * kindWeight[feature.kind];
  });
}

/** The host's address block ("172.20.0.0/16"), or null for text that is not an address. */
export function addressBlock(ip: string): string | null {
  if (!ipaddr.isValid(ip)) return null;
  const address = ipaddr.parse(ip);
  const prefix = address.kind() === 'ipv4' ? HOST_FEATURE_DEFAULTS.networkPrefixV4 : HOST_FEATURE_DEFAULTS.networkPrefixV6;
  const bytes = address.toByteArray();
  for (let bit = prefix; bit < bytes.length * 8; bit++) bytes[bit >> 3]! &= ~(0x80 >> (bit & 7));
  return `${ipaddr.fromByteArray(bytes).toString()}/${prefix}`;
}

/**
 * A host's full inventory identity (every key the estate's lists use,
 * inventoryIdentityKeys, under any of its spellings) as one "env=… app=…
 * tier=…" text, and the label keys of its environment and tier as the
 * host spells them; null when a part is missing.
 */
function inventoryIdentityOf(labels: readonly { readonly key: string; readonly value: string }[], keys: readonly string[]): { text: string; sharedParts: Set<string> } | null {
  const sharedParts = new Set<string>();
  const parts: string[] = [];
  for (const key of keys) {
    const label = findLabel(labels, key);
    if (label === undefined) return null;
    if (!APPLICATION_LABEL_KEYS.includes(label.key)) sharedParts.add(label.key);
    parts.push(`${key}=${label.value}`);
  }
  return { text: parts.join(' '), sharedParts };
}
