import { networkBlock } from '../net/address-block';
import { compareText } from '../util/compare';
import { BLOCK_ROLE_DEFAULTS, deskView, usesOfMembers } from './block-roles';
import type { HostFeatures, ProfileEdge } from './host-features';
import { majorityIdentity } from './identity-evidence';
import { JOIN_DEFAULTS } from './join-by-identity';
import type { JoinNote } from './join-note';

/**
 * The other side of block-roles.ts: a network of desks, a VPN pool or a
 * DHCP scope is one population, whose addresses the cut spreads over
 * several groups by what each desk or session happened to use while the
 * capture ran (one VPN address opened the file share, another the image
 * viewer). Each such group then gets only its own uses, and the next
 * session on an address of the first group that opens the file share is
 * blocked. Their block says they are one: a department's desks or a pool's
 * sessions share a VLAN or a scope.
 *
 * So groups that serve nothing (deskView) and lie wholly in one block
 * (BLOCK_ROLE_DEFAULTS' /24 or /64) join, the smaller into the largest of
 * its block whose uses hold all of its own or are all among them: one
 * policy on the two then grants one side nothing new. Two roles that happen
 * to share a block (two applications' workers, each with its own database)
 * use what the other does not, so they stay apart; a group that uses only
 * what most groups use, or nothing, says nothing of a pool and joins none
 * (nor takes any in); and a group whose recorded identity differs from
 * the other's never joins it.
 */

export const BLOCK_POOL_DEFAULTS = {
  ...BLOCK_ROLE_DEFAULTS,
  /** A use at least this share of the groups make is the estate's, not a pool's (identity-subsets.ts: half). */
  universalShare: 0.5,
};

export type BlockPoolOptions = typeof BLOCK_POOL_DEFAULTS;

/** `groups`: host indexes per group. Returns the groups, joined, ordered by first member, and why each moved host moved. */
export function joinBlockPools(
  features: HostFeatures,
  edges: readonly ProfileEdge[],
  groups: readonly number[][],
  identity: (host: number) => string | null,
  options: BlockPoolOptions = BLOCK_POOL_DEFAULTS,
): { groups: number[][]; notes: Map<number, JoinNote> } {
  const { serving, usesOf } = deskView(features, edges, groups);
  const byBlock = new Map<string, number[]>();
  groups.forEach((members, index) => {
    if (members.some((host) => serving.has(host))) return;
    const blocks = new Set(members.map((host) => networkBlock(features.hosts[host]!.ip, options.blockBitsV4, options.blockBitsV6)));
    const [block] = blocks;
    if (blocks.size !== 1 || block === null || block === undefined) return;
    const list = byBlock.get(block);
    if (list === undefined) byBlock.set(block, [index]);
    else list.push(index);
  });
  const within = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => [...a].every((use) => b.has(use));
  // A group that uses only what most groups use (the resolver, the time and log servers), or nothing at all
  // (an address only ever probed), is a subset of anything: it says nothing of a pool.
  const groupUses = groups.map((members) => usesOfMembers(members, usesOf));
  const holders = new Map<string, number>();
  for (const uses of groupUses) for (const use of uses) holders.set(use, (holders.get(use) ?? 0) + 1);
  const saysSomething = (uses: ReadonlySet<string>): boolean => [...uses].some((use) => holders.get(use)! < options.universalShare * groups.length);

  const joinedInto = new Map<number, number>();
  const notes = new Map<number, JoinNote>();
  for (const [block, indexes] of [...byBlock].sort((a, b) => compareText(a[0], b[0]))) {
    if (indexes.length < 2) continue;
    const largestFirst = [...indexes].sort((a, b) => groups[b]!.length - groups[a]!.length || groups[a]![0]! - groups[b]![0]!);
    const identities = new Map(largestFirst.map((index) => [index, majorityIdentity(groups[index]!, identity, JOIN_DEFAULTS.minIdentityShare)]));
    const roots: number[] = [];
    for (const index of largestFirst) {
      const own = groupUses[index]!;
      if (!saysSomething(own)) continue;
      const target = roots.find((root) => {
        const [mine, theirs] = [identities.get(index), identities.get(root)];
        if (mine !== null && theirs !== null && mine !== theirs) return false;
        const other = groupUses[root]!;
        return within(own, other) || within(other, own);
      });
      if (target === undefined) {
        roots.push(index);
        continue;
      }
      joinedInto.set(index, target);
      const text = `it and a group at least as large lie wholly in address block ${block} and serve nothing, and ${within(own, groupUses[target]!) ? 'what this group used, that one did too' : 'what that group used, this one did too'}: one desk network or address pool`;
      for (const host of groups[index]!) notes.set(host, { text, partner: groups[target]![0]! });
    }
  }
  const result = groups.map((members) => [...members]);
  // One push per host: a pool in a /64 can hold more hosts than a spread may pass.
  for (const [index, target] of joinedInto) for (const host of result[index]!) result[target]!.push(host);
  return {
    groups: result
      .filter((_, index) => !joinedInto.has(index))
      .map((members) => members.sort((a, b) => a - b))
      .sort((a, b) => a[0]! - b[0]!),
    notes,
  };
}
