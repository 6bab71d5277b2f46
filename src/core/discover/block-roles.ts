import { networkBlock } from '../net/address-block';
import { appendTo } from '../util/multimap';
import { compareText } from '../util/compare';
import { groupIndexOfHosts } from './assemble-groups';
import { serviceText, type HostFeatures, type ProfileEdge } from './host-features';
import { isAdminService, roleEdgesOf } from './role-edges';
import { PROTO_ICMP, PROTO_ICMP6 } from '../flow/protocols';
import type { PartNote } from './join-note';

/**
 * Desks of several departments share the directory, file, print, proxy and
 * the clinical applications, and differ by one server each (the lab's desks
 * use the lab system, IT's the jump hosts): the cut puts them in one group,
 * whose rules then give every desk what any department uses. Behaviour
 * alone cannot part them desk by desk: a lab desk that used no lab system
 * while the capture ran looks like any other desk, and parting by what each
 * desk happened to use breaks the next such desk. Their addresses can: a
 * department's desks sit in a VLAN of their own at each site.
 *
 * So in a group that serves nothing (desks, phones: pings, probes and
 * scrape agents aside; servers' subnets are
 * availability zones and node ranges, not roles), each address block
 * (blockBitsV4, blockBitsV6) of at least minBlockMembers members is read
 * for what most of them use (minBlockShare) and the rest of the group
 * mostly does not (under half of its members): a block's role. Blocks of
 * different roles part the group, one part per role; blocks without one
 * (a block of desks that use only what everyone uses) stay with the part
 * of no role. A desk alone in its block stays there too, unless its own uses
 * hold the whole role of exactly one part, and that part makes all of the
 * desk's uses the rest of the group mostly does not: a department's one
 * desk at a small site, which would otherwise open that role's servers to
 * every desk of no role.
 */
export const BLOCK_ROLE_DEFAULTS = {
  /** A block is a /24 (IPv4) or a /64 (IPv6): the VLAN or subnet a site gives a department. */
  blockBitsV4: 24,
  blockBitsV6: 64,
  /** A block of fewer members says nothing of a role: one desk's uses are its own. */
  minBlockMembers: 2,
  /** A use is a block's role when at least this share of its members made it: two in three, as an identity is agreed (JOIN_DEFAULTS.minIdentityShare). */
  minBlockShare: 2 / 3,
};

export type BlockRoleOptions = typeof BLOCK_ROLE_DEFAULTS;

/** `groups`: host indexes per group. Returns the groups, parted, ordered by first member. */
export function partBlockRoles(
  features: HostFeatures,
  edges: readonly ProfileEdge[],
  groups: readonly number[][],
  options: BlockRoleOptions = BLOCK_ROLE_DEFAULTS,
): { groups: number[][]; notes: Map<number, PartNote> } {
  const { serving, usesOf } = deskView(features, edges, groups);
  const result: number[][] = [];
  const notes = new Map<number, PartNote>();
  for (const members of groups) {
    const parts = members.some((host) => serving.has(host)) ? null : blockRoleParts(features, members, usesOf, options);
    if (parts === null) {
      result.push([...members]);
      continue;
    }
    for (const part of parts) result.push(part.members);
    const plain = parts.find((part) => part.role.length === 0) ?? parts.find((part) => part !== parts[0])!;
    for (const part of parts) {
      if (part.role.length === 0) continue;
      const other = part === plain ? parts.find((candidate) => candidate !== part)! : plain;
      const role = `${part.role.slice(0, 3).join('; ')}${part.role.length > 3 ? `; ${part.role.length - 3} more` : ''}`;
      const text = `its address block${part.blocks.length > 1 ? 's' : ''} (${part.blocks.join(', ')}) mostly use${part.blocks.length > 1 ? '' : 's'} ${role}, which the rest of its group mostly does not: a department's or a site's own network`;
      const lonerText = `alone in its address block, it uses all of ${role}, which ${part.blocks.length > 1 ? 'the blocks' : 'the block'} ${part.blocks.join(', ')} mostly use${part.blocks.length > 1 ? '' : 's'} and the rest of its group mostly does not: that department's desk`;
      const loners = new Set(part.loners);
      for (const host of part.members) notes.set(host, { text: loners.has(host) ? lonerText : text, partner: host, apartFrom: other.members[0]! });
    }
  }
  return { groups: result.sort((a, b) => a[0]! - b[0]!), notes };
}

/**
 * The hosts that serve an application (not a ping, a prober or the scrape
 * agent most servers run: desks answer the monitoring's pings and its
 * agent's scrapes too), and what each host uses: "service on group", the
 * group named by its first member (an outside server by its address).
 * Remote administration is left out: who manages a desk is no role of it.
 */
export function deskView(
  features: HostFeatures,
  edges: readonly ProfileEdge[],
  groups: readonly number[][],
): { serving: Set<number>; usesOf: Map<number, Set<string>> } {
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const groupOf = groupIndexOfHosts(features.hosts.length, groups);
  const serving = new Set<number>();
  for (const edge of roleEdgesOf(edges, { probers: true, collectors: true })) {
    const server = hostIndex.get(edge.server);
    if (server !== undefined && hostIndex.has(edge.client) && edge.proto !== PROTO_ICMP && edge.proto !== PROTO_ICMP6) serving.add(server);
  }
  const usesOf = new Map<number, Set<string>>();
  for (const edge of edges) {
    if (edge.client === edge.server || isAdminService(edge)) continue;
    const server = hostIndex.get(edge.server);
    const client = hostIndex.get(edge.client);
    if (client === undefined) continue;
    let uses = usesOf.get(client);
    if (uses === undefined) usesOf.set(client, (uses = new Set()));
    const group = server === undefined ? -1 : groupOf[server]!;
    uses.add(`${serviceText(edge.proto, edge.port)} on ${group < 0 ? edge.server : features.hosts[groups[group]![0]!]!.ip}`);
  }
  return { serving, usesOf };
}

/** Everything any of the hosts used, as deskView's usesOf records it. */
export function usesOfMembers(members: readonly number[], usesOf: ReadonlyMap<number, ReadonlySet<string>>): Set<string> {
  const uses = new Set<string>();
  for (const host of members) for (const use of usesOf.get(host) ?? []) uses.add(use);
  return uses;
}

interface RolePart {
  readonly members: number[];
  /** The uses that make it a role, sorted; empty for the part of no role. */
  readonly role: readonly string[];
  readonly blocks: readonly string[];
  /** Desks alone in their blocks that joined for holding the whole role. */
  readonly loners: readonly number[];
}

/** The parts of a group that serves nothing, by its blocks' roles; null where fewer than two roles (counting none) appear. */
function blockRoleParts(features: HostFeatures, members: readonly number[], usesOf: ReadonlyMap<number, ReadonlySet<string>>, options: BlockRoleOptions): RolePart[] | null {
  const blocks = new Map<string, number[]>();
  for (const host of members) {
    const block = networkBlock(features.hosts[host]!.ip, options.blockBitsV4, options.blockBitsV6);
    if (block === null) return null;
    appendTo(blocks, block, host);
  }
  if (blocks.size < 2) return null;
  // Uses most of the group makes are everyone's, not a role.
  const users = new Map<string, number>();
  for (const host of members) for (const use of usesOf.get(host) ?? []) users.set(use, (users.get(use) ?? 0) + 1);
  const roleOf = (hosts: readonly number[]): string[] => {
    if (hosts.length < options.minBlockMembers) return [];
    const counts = new Map<string, number>();
    for (const host of hosts) for (const use of usesOf.get(host) ?? []) if (2 * users.get(use)! < members.length) counts.set(use, (counts.get(use) ?? 0) + 1);
    return [...counts].filter(([, count]) => count >= options.minBlockShare * hosts.length).map(([use]) => use).sort(compareText);
  };
  const byRole = new Map<string, { members: number[]; role: string[]; blocks: string[]; loners: number[] }>();
  const sortedBlocks = [...blocks].sort((a, b) => a[1][0]! - b[1][0]!);
  for (const [block, hosts] of sortedBlocks) {
    const role = roleOf(hosts);
    const key = role.join('\n');
    let part = byRole.get(key);
    if (part === undefined) byRole.set(key, (part = { members: [], role, blocks: [], loners: [] }));
    part.members.push(...hosts);
    part.blocks.push(block);
  }
  if (byRole.size < 2) return null;
  // A desk alone in its block (a department's one desk at a small site) has no
  // block to read; its own uses are then the only evidence. Where they hold the
  // whole role of exactly one part, it is that department's desk: left with the
  // part of no role, it would open that role's servers to every desk there.
  // And it joins only when the part makes every use of the desk's that the
  // rest of the group mostly does not: one that also uses what the part does
  // not is no one department's desk. A desk among others of its block keeps
  // its block's reading (a nurse who once opened the lab system stays a nurse).
  const roles = [...byRole.values()].filter((part) => part.role.length > 0);
  const partUses = new Map(roles.map((part) => [part, usesOfMembers(part.members, usesOf)]));
  const plain = byRole.get('');
  for (const [, hosts] of sortedBlocks) {
    if (hosts.length >= options.minBlockMembers || plain === undefined) continue;
    for (const host of hosts) {
      const uses = usesOf.get(host) ?? new Set<string>();
      const rare = [...uses].filter((use) => 2 * users.get(use)! < members.length);
      const held = roles.filter((part) => part.role.every((use) => uses.has(use)) && rare.every((use) => partUses.get(part)!.has(use)));
      if (held.length !== 1) continue;
      plain.members.splice(plain.members.indexOf(host), 1);
      held[0]!.members.push(host);
      held[0]!.loners.push(host);
    }
  }
  const parts = [...byRole.values()].filter((part) => part.members.length > 0);
  if (parts.length < 2) return null;
  return parts.map((part) => ({ ...part, members: part.members.sort((a, b) => a - b) })).sort((a, b) => a.members[0]! - b.members[0]!);
}
