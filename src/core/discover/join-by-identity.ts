import { INVENTORY_IDENTITY_KEYS, inventoryIdentityKeys } from '../enrich/label-keys';
import { addressBlock, type HostFeatures } from './host-features';
import { appendTo } from '../util/multimap';
import type { ProfileDistances } from './profile-distances';
import { agreedValues, workloadIdentities } from './workloads';
import type { RowDoubt } from './doubted-rows';
import { jaccard, majorityIdentity, rarity, servedServices, weightedJaccard } from './identity-evidence';

/**
 * Labels that name a workload's identity (a Kubernetes app label, what its
 * Service selects on; an inventory's application and tier in one
 * environment) rejoin groups that behaviour alone split, when the parts are
 * still alike: versions of one service where only some call a dependency,
 * a database primary and its standby. Parts that behave too differently stay
 * apart: the label is then a claim behaviour does not support.
 *
 * How alike depends on where the label comes from:
 * - 'services': a Kubernetes app label is operational. The Service load
 *   balances over exactly the pods that carry it, so pods with one app label
 *   that serve the same ports (or the same clients) are one workload, whoever
 *   their clients happen to be: a rarely called database whose few calls
 *   landed on some replicas only, replicas probed by the kubelet of the node
 *   each one runs on.
 * - 'clients': an inventory's application and tier are a record someone
 *   keeps, and wrong now and then; its parts must also serve the same
 *   clients, so that a host filed under the wrong environment does not join
 *   the other environment's servers of the same port. The same clients:
 *   alike in whom they serve (mean distance), or serving the same ports to
 *   clients of the same identities (the web replicas of one application
 *   behind session-sticky balancing serve different app replicas each, all
 *   filed under the same application and tier; a misfiled dev database's
 *   clients are dev application servers).
 *
 * A group whose labelled members agree on an operational identity but that
 * also holds unlabelled hosts (behaviour alone put them together: a service
 * listed in the pod list and an unlisted one that looks the same on the
 * wire) sends its labelled members to their identity's group when they
 * serve the same ports; the unlabelled ones stay, since a missing label is
 * no evidence either way.
 */
export const JOIN_DEFAULTS = {
  /** Key sets, tried in order: a group's identity is the first whose keys its labelled members mostly carry with one value. */
  identityKeys: [
    { keys: ['k8s:app.kubernetes.io/name', 'k8s:app.kubernetes.io/instance'], judge: 'services' },
    { keys: ['k8s:app.kubernetes.io/name'], judge: 'services' },
    { keys: ['k8s:app'], judge: 'services' },
    // Listed pods that carry none of the keys above: their controller's name (workloadIdentities).
    { keys: [], judge: 'services', from: 'workload' },
    { keys: INVENTORY_IDENTITY_KEYS, judge: 'clients' },
  ] as readonly { readonly keys: readonly string[]; readonly judge: 'services' | 'clients'; readonly from?: 'workload' }[],
  /** Groups of one identity join when the mean distance of whom their hosts serve is at most this. */
  maxDistance: 0.6,
  /**
   * 'services': parts join when at least this share of the ports they serve
   * (Jaccard of the two sets) is common: the same workload serves the same
   * ports, and two workloads mislabelled alike rarely do more than half.
   */
  minSharedServices: 0.5,
  /**
   * 'clients': parts that serve the same ports (minSharedServices) also join
   * when at least this share of their clients' identities (Jaccard; a
   * client's inventory identity, or its address block where it has none)
   * is common. Both shares are weighted by how rare each port and each
   * client identity is among the groups (inverse document frequency): a
   * monitoring agent's port that every server serves, or the jump host that
   * reaches every server, says nothing about which workload a host is, and
   * must not make two services of one application look alike.
   */
  minSharedClientIdentities: 0.5,
  /**
   * A group's identity is the value at least this share of its labelled
   * members carry: two in three agreeing outvote a label copied from another
   * workload's template, while a group split evenly between two names has
   * none.
   */
  minIdentityShare: 2 / 3,
  /**
   * An inventory identity (env, app, tier) splits a group that behaviour
   * formed only where at least this many of its members carry each value:
   * two look-alike services the inventory files apart (two endpoints that
   * every instance polls) are two groups, while one host filed under
   * another application stays where its behaviour put it. One dissenting row
   * is as likely a wrong row as a fact (a CMDB is wrong now and then); two
   * rows alike within one look-alike group are a record.
   */
  minRecordedSplit: 2,
  /**
   * A group whose rows name at least this many identities, none of them
   * agreed (minIdentityShare), holds several workloads whatever the rows
   * say singly: one wrong row explains two names, not three. Its unlisted
   * hosts go with the row whose host behaves most like them.
   */
  minMixedRecords: 3,
};

type Judge = 'services' | 'clients';

interface Part {
  readonly members: readonly number[];
  readonly identity: string;
  readonly judge: Judge;
  /** The group the part came from; a part that is the whole group can be joined into. */
  readonly group: number;
  readonly whole: boolean;
}

/** `groups` are lists of host indexes; returns the joined groups, ordered by first member. */
export function joinByIdentity(
  features: HostFeatures,
  distances: ProfileDistances,
  groups: readonly number[][],
  valuesByKeySet: readonly ReadonlyMap<number, string>[] = identityValues(features),
  clientsOfHost: ReadonlyMap<number, readonly string[]> = new Map(),
): number[][] {
  const byIdentity = new Map<string, Part[]>();
  groups.forEach((members, group) => {
    const part = identityPart(valuesByKeySet, members, group);
    if (part !== null) appendTo(byIdentity, `${part.judge}\t${part.identity}`, part);
  });
  // Where each host ends up: its own group unless its part joined another.
  const target = new Int32Array(features.hosts.length).fill(-1);
  groups.forEach((members, group) => {
    for (const host of members) target[host] = group;
  });
  const joinedInto = Int32Array.from(groups, (_, group) => group);
  const row = new Float64Array(distances.size);
  const served = new Map<number, Set<number>>();
  const servicesOf = (part: Part): Set<number> => {
    if (part.whole) {
      let cached = served.get(part.group);
      if (cached === undefined) served.set(part.group, (cached = servedServices(features, part.members)));
      return cached;
    }
    return servedServices(features, part.members);
  };
  const inventoryKeySet = JOIN_DEFAULTS.identityKeys.findIndex(({ judge }) => judge === 'clients');
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  // A client by its inventory identity; where it has none, by its address block (where environments and sites
  // part: the users of an application are scattered over groups by what else they use, not over blocks).
  const clientIdentity = (client: string): string => {
    const index = hostIndex.get(client);
    const identity = index === undefined ? undefined : valuesByKeySet[inventoryKeySet]?.get(index);
    return identity ?? `in ${addressBlock(client) ?? client}`;
  };
  const clientIdentitiesOf = (part: Part): Set<string> => new Set(part.members.flatMap((host) => clientsOfHost.get(host) ?? []).map(clientIdentity));
  const serviceWeight = rarity(groups.map((members) => servedServices(features, members)));
  const clientWeight = rarity(groups.map((members) => clientIdentitiesOf({ members, identity: '', judge: 'clients', group: -1, whole: false })));
  for (const parts of byIdentity.values()) {
    // Greedy in group order: each later part joins the first earlier whole group it is alike enough to.
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k]!;
      for (let earlier = 0; earlier < parts.length; earlier++) {
        const anchor = parts[earlier]!;
        if (earlier === k || !anchor.whole || joinedInto[anchor.group] !== anchor.group) continue;
        // Whole groups join only earlier ones, so that a pair is decided once; a part of a mixed group may join any.
        if (part.whole && earlier > k) break;
        const sameServices = () => jaccard(servicesOf(part), servicesOf(anchor)) >= JOIN_DEFAULTS.minSharedServices;
        const alike =
          (part.judge === 'services' && sameServices()) ||
          meanDistance(features, distances, part.members, anchor.members, row) <= JOIN_DEFAULTS.maxDistance ||
          (part.judge === 'clients' &&
            weightedJaccard(servicesOf(part), servicesOf(anchor), serviceWeight) >= JOIN_DEFAULTS.minSharedServices &&
            weightedJaccard(clientIdentitiesOf(part), clientIdentitiesOf(anchor), clientWeight) >= JOIN_DEFAULTS.minSharedClientIdentities);
        if (!alike) continue;
        if (part.whole) joinedInto[part.group] = anchor.group;
        else for (const host of part.members) target[host] = anchor.group;
        break;
      }
    }
  }
  const joined = new Map<number, number[]>();
  target.forEach((group, host) => {
    if (group >= 0) appendTo(joined, joinedInto[group]!, host);
  });
  return [...joined.values()].map((members) => members.sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!);
}

/**
 * A group's identity: the first key set whose value most of the members
 * carrying it agree on (minIdentityShare; a few wrong labels do not take a
 * workload's identity away), for the whole group when every member carries
 * the keys; failing that, for an operational key set, the members that
 * carry the agreed value (the unlabelled ones stay where behaviour put them).
 */
function identityPart(valuesByKeySet: readonly ReadonlyMap<number, string>[], members: readonly number[], group: number): Part | null {
  for (const [index, { judge }] of JOIN_DEFAULTS.identityKeys.entries()) {
    const valueOf = new Map<number, string>();
    for (const host of members) {
      const value = valuesByKeySet[index]!.get(host);
      if (value !== undefined) valueOf.set(host, value);
    }
    const identity = majorityIdentity(members, (host) => valueOf.get(host) ?? null, JOIN_DEFAULTS.minIdentityShare);
    if (identity === null) continue;
    if (valueOf.size === members.length) return { members, identity, judge, group, whole: true };
    if (judge !== 'services') continue;
    return { members: members.filter((host) => valueOf.get(host) === identity), identity, judge, group, whole: false };
  }
  return null;
}

/** Per identity key set (JOIN_DEFAULTS.identityKeys), each host's value, the pods of one workload agreeing on one (workloads.ts). */
export function identityValues(features: HostFeatures): Map<number, string>[] {
  // An inventory's key set is the one its lists use: a plant's asset list files hosts by zone and asset type, with no environment.
  const inventoryKeys = inventoryIdentityKeys(features.hosts);
  // A row its host's name contradicts files the host as its namesakes' rows agree, or under nothing (doubted-rows.ts).
  const doubted = features.doubtedRows ?? new Map<number, RowDoubt>();
  const records = doubted.size === 0 ? features.hosts : features.hosts.map((host, index) => (doubted.has(index) ? { ...host, labels: doubted.get(index)!.labels } : host));
  return JOIN_DEFAULTS.identityKeys.map(({ keys, judge, from }) =>
    from === 'workload' ? workloadIdentities(features.hosts) : judge === 'clients' ? agreedValues(records, inventoryKeys) : agreedValues(features.hosts, keys),
  );
}

/** Each host's inventory identity (the key set judged by 'clients'): a record, for propagate-identity.ts. */
export function inventoryIdentity(valuesByKeySet: readonly ReadonlyMap<number, string>[]): ReadonlyMap<number, string> {
  return valuesByKeySet[JOIN_DEFAULTS.identityKeys.findIndex(({ judge }) => judge === 'clients')] ?? new Map();
}

/**
 * A host's operational identity: its value of the first Kubernetes key set
 * it carries (judge 'services'), or null. Inventory key sets are records,
 * not selectors, and never split a group.
 */
export function operationalIdentity(valuesByKeySet: readonly ReadonlyMap<number, string>[]): (host: number) => string | null {
  return (host) => {
    for (const [index, { judge }] of JOIN_DEFAULTS.identityKeys.entries()) {
      if (judge !== 'services') continue;
      const value = valuesByKeySet[index]!.get(host);
      if (value !== undefined) return value;
    }
    return null;
  };
}

/** Mean distance between the hosts of two groups (each profile row computed once). */
function meanDistance(features: HostFeatures, distances: ProfileDistances, a: readonly number[], b: readonly number[], row: Float64Array): number {
  let total = 0;
  const profilesOfA = new Map<number, number>();
  for (const host of a) profilesOfA.set(features.profileOfHost[host]!, (profilesOfA.get(features.profileOfHost[host]!) ?? 0) + 1);
  for (const [profile, count] of profilesOfA) {
    // A workload's parts serve the same clients (one Service, one load
    // balancer) even where versions differ in what they call: judge them
    // on whom they serve, and on their whole profile when they serve nothing.
    distances.row(profile, row, 0, 'servesGroup');
    for (const host of b) total += count * row[features.profileOfHost[host]!]!;
  }
  return total / (a.length * b.length);
}
