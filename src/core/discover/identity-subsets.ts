import { groupIndexOfHosts, groupLabel, mergeGroups } from './assemble-groups';
import { addressBlock, serviceText, type HostFeatures, type ProfileEdge } from './host-features';
import { collectorServicesOf } from './idle-replicas';
import { unlistedExtraOver, type SubsetView } from './unlisted-superset';
import { hostRoles } from './role-edges';
import { compareText } from '../util/compare';
import { appendTo, getOrAdd } from '../util/multimap';
import { majorityIdentity } from './identity-evidence';
import type { JoinNote } from './join-note';

/**
 * Parts of one recorded workload that do less than their siblings. An asset
 * list files every PLC of a line as "Line 2 / PLC", but only the PLCs that
 * own remote I/O scan adapters, and an adapter whose Forward_Open fell
 * outside the capture is seen only producing its inputs; a database's
 * standby answers the same port as its primary to fewer clients. Behaviour
 * parts them, the record says they are one tier, and nothing on the wire
 * says the record is wrong:
 *
 * a group joins another of the same identity (the value most of its
 * labelled members carry) when everything it does, the other does too:
 * each port its hosts answer on, and each service they use on each group
 * (or outside host). One policy on the two then grants the larger group
 * nothing new and the smaller one only what its recorded siblings do.
 * Where behaviour contradicts the record (a part answers a port, or uses
 * a back end, its siblings do not), the parts stay apart, as they do when
 * two parts each do something the other does not.
 *
 * A part may also join a group no label names at all, when that group does
 * the part's common work (what at least half its hosts do) for the same
 * clients (each port answered to the same groups), and more only for
 * devices of its own plus at most one extra duty: the one PLC of a line
 * that owns the remote I/O answers its adapters besides the line's
 * operator stations and SCADA, and the inventory happened to leave it out.
 * Nothing on the wire or in the record says it is anything else; its
 * siblings gain only what it does. Never a group another part's identity
 * would also take (the wire does not say which), a group that answers the
 * part's port to other clients (another line's PLCs answer their own
 * stations), nor into any group for a part that answers no one (a
 * station's every "own device" would be some other host's client). Only
 * parts an inventory names join this way, as in propagate-identity.ts: a
 * pod list names every pod it lists, and an unlisted pod answering a
 * mesh's one port could be any service.
 *
 * Remote administration is left out: what operators do to a host is no
 * host's role. Groups without a majority identity never join this way.
 * Nor does a part that did nothing most groups do not also do (answer a
 * metrics scrape, look up names, keep time): that says nothing of what it
 * is for, and a wrong row would carry it anywhere. Nor a part with a host
 * in an address block none of the other's hosts sit in: environments and
 * sites are parted by blocks, and the row that files a dev host under
 * prod is the classic wrong one.
 */
export const IDENTITY_SUBSET_DEFAULTS = {
  /**
   * A group's identity is the value at least this share of its labelled
   * members carry (JOIN_DEFAULTS.minIdentityShare, for the same reason): two
   * in three agreeing outvote a row copied from another workload.
   */
  minIdentityShare: 2 / 3,
  /**
   * Work beyond its own devices that a group no row names may do besides
   * a recorded tier's common work and still join it: one extra duty (the
   * PLC that reads a neighbouring line's PLC for an interlock, the replica
   * that won the leader election and runs the singleton job). A host doing
   * two things its tier does not is doing another role's work (a SCADA
   * server polls every line, an operator station one).
   */
  maxExtraDuties: 1,
  /** Rounds: a join can make another group's uses alike (two PLC groups that scanned two adapter groups now one). */
  rounds: 4,
  /** A key at least this share of the groups hold is the estate's, not a role (ROLE_DEFAULTS.universalShare: half). */
  universalShare: 0.5,
};

export type IdentitySubsetOptions = typeof IDENTITY_SUBSET_DEFAULTS;

export interface SubsetJoin {
  readonly groups: number[][];
  readonly notes: ReadonlyMap<number, JoinNote>;
}

/** `groups`: host indexes per group. Returns the groups, joined, ordered by first member, and why each moved host moved. */
export function joinIdentitySubsets(
  features: HostFeatures,
  edges: readonly ProfileEdge[],
  groups: readonly number[][],
  identityOf: (host: number) => string | null,
  recordedOf: (host: number) => string | null = identityOf,
  options: IdentitySubsetOptions = IDENTITY_SUBSET_DEFAULTS,
): SubsetJoin {
  const roles = hostRoles(features, edges);
  // The scrape agents most servers offer to one collector (idle-replicas.ts): answering one says nothing of a role.
  const collectors = new Set([...collectorServicesOf(edges)].map((service) => serviceText(Number(service.split('/')[0]), Number(service.split('/')[1]))));
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const notes = new Map<number, JoinNote>();
  let current = groups.map((members) => [...members]);
  for (let round = 0; round < options.rounds; round++) {
    const groupOf = groupIndexOfHosts(features.hosts.length, current);
    // Each host's keys; a use of its own group's hosts is no key (it stays inside whichever group they join).
    const hostKeys = new Map<number, Set<string>>();
    const served = new Map<number, Set<string>>();
    for (const [host, services] of roles.answers) for (const service of services) getOrAdd(hostKeys, host, () => new Set()).add(`answers ${service}`);
    for (const [client, uses] of roles.uses) {
      for (const { service, server } of uses) {
        const index = hostIndex.get(server);
        const group = index === undefined ? -1 : groupOf[index]!;
        if (group === groupOf[client]) continue;
        getOrAdd(hostKeys, client, () => new Set()).add(`uses ${service}@${group < 0 ? server : `#${group}`}`);
        // Its clients per port answered ("tcp/502<-#4"), for joins into a group no label names.
        if (index !== undefined) getOrAdd(served, index, () => new Set()).add(`${service}<-#${groupOf[client]}`);
      }
    }
    const keysOf = current.map((members) => keysOfMembers(members, hostKeys, 0));
    const servedOf = current.map((members) => keysOfMembers(members, served, 0));
    // What at least half the members do: a tier's common work, without the extra duty of one of them.
    const typicalOf = current.map((members) => keysOfMembers(members, hostKeys, members.length / 2));
    // A port answered to one client by groups the record files under several identities (every Windows server's
    // metrics exporter to the one scraper, every line's PLCs to SCADA) is the estate's, not a role: left out of
    // what a part typically answers, as is a scrape agent most servers offer.
    const identityOfGroup = current.map((members) => majorityIdentity(members, identityOf, options.minIdentityShare));
    const servedIdentities = new Map<string, Set<string>>();
    servedOf.forEach((keys, group) => {
      const named = identityOfGroup[group];
      if (named !== null && named !== undefined) for (const key of keys) getOrAdd(servedIdentities, key, () => new Set()).add(named);
    });
    const roleServed = (key: string): boolean => (servedIdentities.get(key)?.size ?? 0) <= 1 && !collectors.has(key.slice(0, key.lastIndexOf('<-')));
    const typicalServedOf = current.map((members) => new Set([...keysOfMembers(members, served, members.length / 2)].filter(roleServed)));
    const target = current.map((_, group) => group);
    const unnamed = current.map((members) => members.every((host) => identityOf(host) === null));
    const holders = new Map<string, number>();
    for (const keys of keysOf) for (const key of keys) holders.set(key, (holders.get(key) ?? 0) + 1);
    const saysSomething = (group: number): boolean => [...keysOf[group]!].some((key) => holders.get(key)! < options.universalShare * current.length);
    const blocksOf = current.map((members) => new Set(members.map((host) => addressBlock(features.hosts[host]!.ip))));
    const withinBlocks = (small: number, large: number): boolean => [...blocksOf[small]!].every((block) => blocksOf[large]!.has(block));
    const byIdentity = new Map<string, number[]>();
    current.forEach((_, group) => {
      const identity = identityOfGroup[group];
      if (identity === null || identity === undefined) return;
      const list = byIdentity.get(identity);
      if (list === undefined) byIdentity.set(identity, [group]);
      else list.push(group);
    });
    // A use of the other group of the pair is inside the joined group too.
    const within = (key: string, a: number, b: number): boolean => key.endsWith(`#${a}`) || key.endsWith(`#${b}`);
    /** `large` does all `small` does: its extra keys, or null. */
    const extraOver = (small: number, large: number): number | null => {
      if (large === small || target[large] !== large || !withinBlocks(small, large)) return null;
      const smallKeys = [...keysOf[small]!].filter((key) => !within(key, small, large));
      const largeKeys = [...keysOf[large]!].filter((key) => !within(key, small, large));
      const inLarge = new Set(largeKeys);
      if (!smallKeys.every((key) => inLarge.has(key))) return null;
      return largeKeys.length - smallKeys.length;
    };
    const view: SubsetView = { keysOf, servedOf, typicalOf, typicalServedOf, roleServed, within };
    const labelOf = (group: number): string => groupLabel(features.hosts[current[group]![0]!]!.ip, current[group]!.length);
    let joined = false;
    const unnamedJoins = new Map<number, { small: number; identity: string }[]>();
    const join = (small: number, large: number, text: string): void => {
      // Groups already joined into `small` follow it.
      for (let group = 0; group < target.length; group++) if (target[group] === small) target[group] = large;
      for (const host of current[small]!) notes.set(host, { text, partner: current[large]![0]! });
      joined = true;
    };
    for (const [identity, list] of byIdentity) {
      for (const small of list) {
        if (!saysSomething(small)) continue;
        // Of the groups doing all it does, the one doing least else (fewest extra keys), then the larger, then the first.
        let best = -1;
        let bestExtra = Number.POSITIVE_INFINITY;
        const consider = (large: number, extraOf: (small: number, large: number) => number | null): void => {
          const extra = extraOf(small, large);
          // Equal key sets: the later group joins the earlier, so that a pair is decided once (an unnamed group is never the part).
          if (extra === null || (extra === 0 && large > small && !unnamed[large])) return;
          const better = extra < bestExtra || (extra === bestExtra && (current[large]!.length > current[best]!.length || (current[large]!.length === current[best]!.length && large < best)));
          if (better) [best, bestExtra] = [large, extra];
        };
        for (const large of list) consider(large, extraOver);
        // Only where no group of its own identity does all it does: an unnamed one that does more, for the same clients.
        // Only for an inventory's record: a pod list names every pod it lists, and an unlisted pod on a mesh's one port
        // could be any service (propagate-identity.ts keeps to the record for the same reason).
        const unlistedExtra = (part: number, large: number): number | null =>
          large === part || target[large] !== large || !withinBlocks(part, large) ? null : unlistedExtraOver(view, part, large, options.maxExtraDuties);
        if (best < 0 && current[small]!.every((host) => identityOf(host) === null || recordedOf(host) === identityOf(host))) unnamed.forEach((isUnnamed, large) => isUnnamed && consider(large, unlistedExtra));
        if (best < 0 || target[small] !== small) continue;
        if (unnamed[best]) {
          appendTo(unnamedJoins, best, { small, identity });
          continue;
        }
        join(small, best, `filed under ${identity} like group ${labelOf(best)}, which does everything its part did (${describeKeys(keysOf[small]!, labelOf)})`);
      }
    }
    // An unnamed group that parts of two identities would join says which of them it is no more than the wire does.
    for (const [large, parts] of unnamedJoins) {
      if (new Set(parts.map((part) => part.identity)).size > 1) continue;
      for (const { small, identity } of parts) {
        if (target[small] !== small || target[large] !== large) continue;
        join(small, large, `filed under ${identity}; group ${labelOf(large)}, which no row names, does for the same clients everything most of its part did, and more (${describeKeys(keysOf[large]!, labelOf)})`);
      }
    }
    if (!joined) break;
    current = mergeGroups(current, (group) => target[group]!);
  }
  return { groups: current.sort((a, b) => a[0]! - b[0]!), notes };
}

/** A few of a part's keys for its hosts' reasons, groups by their label (a part that joins has one at least: saysSomething). */
function describeKeys(keys: ReadonlySet<string>, labelOf: (group: number) => string): string {
  const sorted = [...keys].sort(compareText);
  const shown = sorted.slice(0, 3).map((key) => key.replace(/@#(\d+)$/, (_, group: string) => ` on group ${labelOf(Number(group))}`).replace('@', ' on '));
  return `${shown.join('; ')}${sorted.length > shown.length ? `; ${sorted.length - shown.length} more` : ''}`;
}

/** The keys at least `minHolders` of the members hold (0: any member). */
function keysOfMembers(members: readonly number[], keysOfHost: ReadonlyMap<number, ReadonlySet<string>>, minHolders: number): Set<string> {
  const holders = new Map<string, number>();
  for (const host of members) for (const key of keysOfHost.get(host) ?? []) holders.set(key, (holders.get(key) ?? 0) + 1);
  return new Set([...holders].filter(([, count]) => count >= minHolders).map(([key]) => key));
}

