import { groupIndexOfHosts, groupLabel, mergeGroups } from './assemble-groups';
import { addressBlock, type HostFeatures, type ProfileEdge } from './host-features';
import { hostRoles } from './role-edges';
import { compareText } from '../util/compare';
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
  options: IdentitySubsetOptions = IDENTITY_SUBSET_DEFAULTS,
): SubsetJoin {
  const roles = hostRoles(features, edges);
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const notes = new Map<number, JoinNote>();
  let current = groups.map((members) => [...members]);
  for (let round = 0; round < options.rounds; round++) {
    const groupOf = groupIndexOfHosts(features.hosts.length, current);
    // Each group's keys; a use of a group's own hosts is no key (it stays inside whichever group they join).
    const keysOf = current.map((members, self) => {
      const keys = new Set<string>();
      for (const host of members) {
        for (const service of roles.answers.get(host) ?? []) keys.add(`answers ${service}`);
        for (const { service, server } of roles.uses.get(host) ?? []) {
          const index = hostIndex.get(server);
          const group = index === undefined ? -1 : groupOf[index]!;
          if (group !== self) keys.add(`uses ${service}@${group < 0 ? server : `#${group}`}`);
        }
      }
      return keys;
    });
    const holders = new Map<string, number>();
    for (const keys of keysOf) for (const key of keys) holders.set(key, (holders.get(key) ?? 0) + 1);
    const saysSomething = (group: number): boolean => [...keysOf[group]!].some((key) => holders.get(key)! < options.universalShare * current.length);
    const blocksOf = current.map((members) => new Set(members.map((host) => addressBlock(features.hosts[host]!.ip))));
    const withinBlocks = (small: number, large: number): boolean => [...blocksOf[small]!].every((block) => blocksOf[large]!.has(block));
    const byIdentity = new Map<string, number[]>();
    current.forEach((members, group) => {
      const identity = majorityIdentity(members, identityOf, options.minIdentityShare);
      if (identity === null) return;
      const list = byIdentity.get(identity);
      if (list === undefined) byIdentity.set(identity, [group]);
      else list.push(group);
    });
    // A use of the other group of the pair is inside the joined group too.
    const within = (key: string, a: number, b: number): boolean => key.endsWith(`@#${a}`) || key.endsWith(`@#${b}`);
    const labelOf = (group: number): string => groupLabel(features.hosts[current[group]![0]!]!.ip, current[group]!.length);
    const target = current.map((_, group) => group);
    let joined = false;
    for (const [identity, list] of byIdentity) {
      if (list.length < 2) continue;
      for (const small of list) {
        if (!saysSomething(small)) continue;
        // Of the groups doing all it does, the one doing least else (fewest extra keys), then the larger, then the first.
        let best = -1;
        let bestExtra = Number.POSITIVE_INFINITY;
        for (const large of list) {
          if (large === small || target[large] !== large || !withinBlocks(small, large)) continue;
          const smallKeys = [...keysOf[small]!].filter((key) => !within(key, small, large));
          const largeKeys = [...keysOf[large]!].filter((key) => !within(key, small, large));
          const inLarge = new Set(largeKeys);
          if (!smallKeys.every((key) => inLarge.has(key))) continue;
          // Equal key sets: the later group joins the earlier, so that a pair is decided once.
          if (smallKeys.length === largeKeys.length && large > small) continue;
          const extra = largeKeys.length - smallKeys.length;
          const better = extra < bestExtra || (extra === bestExtra && (current[large]!.length > current[best]!.length || (current[large]!.length === current[best]!.length && large < best)));
          if (better) [best, bestExtra] = [large, extra];
        }
        if (best < 0 || target[small] !== small) continue;
        // Groups already joined into `small` follow it.
        for (let group = 0; group < target.length; group++) if (target[group] === small) target[group] = best;
        const partner = current[best]!;
        const text = `filed under ${identity} like group ${labelOf(best)}, which does everything its part did (${describeKeys(keysOf[small]!, labelOf)})`;
        for (const host of current[small]!) notes.set(host, { text, partner: partner[0]! });
        joined = true;
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
