import { networkBlock } from '../net/address-block';
import { compareText } from '../util/compare';
import { groupLabel, mergeGroups } from './assemble-groups';
import { BLOCK_ROLE_DEFAULTS, deskView, usesOfMembers } from './block-roles';
import type { HostFeatures, ProfileEdge } from './host-features';
import { majorityIdentity } from './identity-evidence';
import { JOIN_DEFAULTS } from './join-by-identity';
import type { JoinNote } from './join-note';

/**
 * A host that did little while the capture ran, in a block that is one
 * group's own. A radiology desk switched off most of the capture logged on,
 * printed and opened the image viewer, but received no study over DICOM as
 * its siblings did: behaviour makes it a group of one, whose rules are
 * those few uses, and the day it is back at work every study sent to it is
 * blocked. Its address says what it is: the department's desks fill their
 * own VLAN.
 *
 * So where every host of a block (BLOCK_ROLE_DEFAULTS' /24 or /64) is in
 * one group, but for groups that lie wholly in the block and serve nothing
 * (deskView), each of those that used something, all of it used by that
 * group too, joins the group: one policy on the two grants the quiet hosts
 * only what their block's group does. A quiet group that used something the
 * block's group never did is doing something of its own and stays; one
 * that used nothing at all may be an address only ever probed, and stays;
 * a block holding a second group that serves, or more than one host of a
 * group that spreads beyond it, is shared and says nothing (one address of
 * a group across every block, a VLAN's gateway, is plumbing); recorded
 * identities that differ never join.
 */
export const QUIET_MEMBER_DEFAULTS = {
  blockBitsV4: BLOCK_ROLE_DEFAULTS.blockBitsV4,
  blockBitsV6: BLOCK_ROLE_DEFAULTS.blockBitsV6,
  /**
   * The block's group needs at least this many hosts in it: three hosts of
   * one group and none of another make the block that group's VLAN, while
   * one or two beside a quiet host are as likely neighbours in a shared
   * server subnet (a database pair and an unrelated appliance).
   */
  minBlockHosts: 3,
};

export type QuietMemberOptions = typeof QUIET_MEMBER_DEFAULTS;

/** `groups`: host indexes per group. Returns the groups, joined, ordered by first member, and why each moved host moved. */
export function joinQuietBlockMembers(
  features: HostFeatures,
  edges: readonly ProfileEdge[],
  groups: readonly number[][],
  identity: (host: number) => string | null,
  options: QuietMemberOptions = QUIET_MEMBER_DEFAULTS,
): { groups: number[][]; notes: Map<number, JoinNote> } {
  const { serving, usesOf } = deskView(features, edges, groups);
  const blockOf = (host: number): string | null => networkBlock(features.hosts[host]!.ip, options.blockBitsV4, options.blockBitsV6);
  // Per block, the groups with a host in it and how many.
  const inBlock = new Map<string, Map<number, number>>();
  groups.forEach((members, group) => {
    for (const host of members) {
      const block = blockOf(host);
      if (block === null) continue;
      let counts = inBlock.get(block);
      if (counts === undefined) inBlock.set(block, (counts = new Map()));
      counts.set(group, (counts.get(group) ?? 0) + 1);
    }
  });
  const quiet = (group: number, block: string): boolean => {
    const members = groups[group]!;
    return members.every((host) => !serving.has(host) && blockOf(host) === block);
  };
  const into = groups.map((_, group) => group);
  const notes = new Map<number, JoinNote>();
  for (const [block, counts] of [...inBlock].sort((a, b) => compareText(a[0], b[0]))) {
    if (counts.size < 2) continue;
    // The block's group: the one with most hosts there (the first on a tie); every other must be quiet.
    const [main] = [...counts].sort((a, b) => b[1] - a[1] || groups[a[0]]![0]! - groups[b[0]]![0]!)[0]!;
    if (counts.get(main)! < options.minBlockHosts) continue;
    const others = [...counts.keys()].filter((group) => group !== main);
    // One address of a group that spans blocks and serves nothing (the gateway at .1 of every VLAN) is the block's
    // plumbing, not a second population; any other group there contests the block.
    const plumbing = (group: number): boolean => counts.get(group) === 1 && groups[group]!.length > 1 && groups[group]!.every((host) => !serving.has(host));
    const candidates = others.filter((group) => quiet(group, block));
    if (!others.every((group) => candidates.includes(group) || plumbing(group))) continue;
    const mainUses = usesOfMembers(groups[main]!, usesOf);
    const mainIdentity = majorityIdentity(groups[main]!, identity, JOIN_DEFAULTS.minIdentityShare);
    for (const group of candidates) {
      const uses = usesOfMembers(groups[group]!, usesOf);
      if (uses.size === 0 || ![...uses].every((use) => mainUses.has(use))) continue;
      const own = majorityIdentity(groups[group]!, identity, JOIN_DEFAULTS.minIdentityShare);
      if (own !== null && mainIdentity !== null && own !== mainIdentity) continue;
      into[group] = main;
      const text = `it lies wholly in address block ${block}, serves nothing, and everything it used group ${groupLabel(features.hosts[groups[main]![0]!]!.ip, groups[main]!.length)} used too, whose block it is (every other host there is in that group, but for plumbing): a member that did little while the capture ran`;
      for (const host of groups[group]!) notes.set(host, { text, partner: groups[main]![0]! });
    }
  }
  const merged = mergeGroups(groups, (group) => into[group]!);
  return { groups: merged.sort((a, b) => a[0]! - b[0]!), notes };
}

