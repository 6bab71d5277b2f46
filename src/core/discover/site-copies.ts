import { networkBlock } from '../net/address-block';
import { PROTO_ICMP, PROTO_ICMP6 } from '../flow/protocols';
import { appendTo } from '../util/multimap';
import { compareText } from '../util/compare';
import { groupIndexOfHosts, mergeGroups } from './assemble-groups';
import { BLOCK_ROLE_DEFAULTS } from './block-roles';
import { serviceText, type HostFeatures, type ProfileEdge } from './host-features';
import { roleEdgesOf } from './role-edges';
import { conflicting, groupIdentity } from './role-equivalence';
import type { JoinNote } from './join-note';

/**
 * A chain's sites are copies of one design: every shop has its lanes and
 * back office using its own store server, its label printer, its video
 * recorder and cameras, in a /24 of its own. Each shop's devices use only
 * their own shop's server, so no two shops share a peer: profiles, role
 * equivalence and replica sets all keep every shop's copy of every role
 * apart, and a policy gets one rule per shop and role where the network
 * team writes one per role (and the next shop opened, or a store server
 * replaced under a new address, breaks).
 *
 * A site is an address block (BLOCK_ROLE_DEFAULTS: the VLAN or subnet a
 * site gives its devices) where a host of a group that serves nothing
 * uses a server of its own block: people or devices working with a server
 * of their own. A block of servers only (an application's VLAN, its QA
 * copy beside it) is no site: its users sit elsewhere.
 *
 * Server groups lying wholly in sites, each used by or using a host of its
 * own block, are a site's own roles. Those that serve the same services
 * at enough sites (minCopies) are one role of copies of one design, and
 * join: what a role serves is what a rule to it opens, and a design met
 * at that many sites is a template, not a coincidence. Their uses beyond
 * the site are left out on purpose: a shop that first reached the ERP
 * during the capture, or whose DHCP scope lists the other domain
 * controller first, is still a shop. Groups whose recorded identities
 * differ never join.
 *
 * A copy seen only part of the time serves only part of its role: a store
 * server replaced hours before the end of the learning window was used by
 * the handhelds but not yet by the lanes, which were closed. A site group
 * that serves part of what a joined role serves, at a site where that role
 * has a copy, joins it when one of its services is that role's own: served
 * by no other group of the sites but such partial copies. A service many
 * roles serve (a metrics exporter every Windows host runs) says nothing of
 * which role a host is, so a group serving only such services stays apart.
 */
export const SITE_COPY_DEFAULTS = {
  /**
   * A design met at fewer sites is no template. Production lines,
   * environments and departments come in ones to a handful, each its own
   * zone on purpose (a line's stations must not reach another line's
   * controllers, IEC 62443 zones); a design repeated at five sites or more
   * is a chain's (shops, branches, clinics), and its policy is written once
   * per role.
   */
  minCopies: 5,
};

export type SiteCopyOptions = typeof SITE_COPY_DEFAULTS;

/** `groups`: host indexes per group. Returns the groups, joined, ordered by first member, and why each moved host moved. */
export function joinSiteCopies(
  features: HostFeatures,
  edges: readonly ProfileEdge[],
  groups: readonly number[][],
  identity: (host: number) => string | null,
  options: SiteCopyOptions = SITE_COPY_DEFAULTS,
): { groups: number[][]; notes: Map<number, JoinNote> } {
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const groupOf = groupIndexOfHosts(features.hosts.length, groups);
  const blockOf = features.hosts.map((host) => networkBlock(host.ip, BLOCK_ROLE_DEFAULTS.blockBitsV4, BLOCK_ROLE_DEFAULTS.blockBitsV6));
  // What each group serves (to anyone), and the hosts that use a host of another group in their own block.
  const served = groups.map(() => new Set<string>());
  const local: [number, number][] = [];
  for (const edge of roleEdgesOf(edges, { probers: true, collectors: true })) {
    if (edge.proto === PROTO_ICMP || edge.proto === PROTO_ICMP6) continue;
    const [client, server] = [hostIndex.get(edge.client), hostIndex.get(edge.server)];
    if (server === undefined || groupOf[server]! < 0 || (client !== undefined && groupOf[client] === groupOf[server])) continue;
    // Outside clients count: a web server the internet uses serves something, though no host of the estate uses it.
    served[groupOf[server]!]!.add(serviceText(edge.proto, edge.port));
    if (client !== undefined && blockOf[client] !== null && blockOf[client] === blockOf[server]) local.push([client, server]);
  }
  // Sites: blocks where a host of a group that serves nothing uses a server of its own block.
  const sites = new Set<string>();
  for (const [client, server] of local) if (served[groupOf[client]!]!.size === 0) sites.add(blockOf[server]!);
  // Candidates: server groups wholly in sites that serve or use a host of their own block, by what they serve.
  const withLocalPeer = new Set(local.flatMap(([client, server]) => [groupOf[client]!, groupOf[server]!]));
  const byColour = new Map<string, number[]>();
  groups.forEach((members, group) => {
    if (served[group]!.size === 0 || !withLocalPeer.has(group)) return;
    if (!members.every((host) => blockOf[host] !== null && sites.has(blockOf[host]!))) return;
    appendTo(byColour, [...served[group]!].sort(compareText).join(','), group);
  });
  const blocksOf = (list: readonly number[]): Set<string> => new Set(list.flatMap((group) => groups[group]!.map((host) => blockOf[host]!)));
  const parent = Int32Array.from(groups, (_, group) => group);
  const find = (group: number): number => {
    while (parent[group] !== group) group = parent[group] = parent[parent[group]!]!;
    return group;
  };
  const notes = new Map<number, JoinNote>();
  const identities = groups.map((members) => groupIdentity(members, identity));
  const join = (root: number, group: number): boolean => {
    root = find(root);
    if (find(group) === root || conflicting(identities[root], identities[group])) return false;
    identities[root] = identities[root] ?? identities[group]!;
    parent[group] = root;
    return true;
  };
  // A role counts its copies over the groups that can join it: a class of five sites, one of them
  // recorded as another application, is four copies.
  const roles = [...byColour.values()].map((list) => joinable(list, identities)).filter((list) => blocksOf(list).size >= options.minCopies);
  for (const list of roles) {
    const blocks = blocksOf(list);
    for (const group of list.slice(1)) join(list[0]!, group);
    const first = groups[list[0]!]![0]!;
    const text = `serves ${[...served[list[0]!]!].sort(compareText).join(', ')} and works with hosts of its own site, as a group does at each of ${blocks.size} sites built alike (${[...blocks].sort(compareText).slice(0, 2).join(', ')} …): one role of one site design`;
    for (const group of list) if (find(group) !== group) for (const host of groups[group]!) notes.set(host, { text, partner: first });
  }
  joinPartialCopies(roles, [...byColour.values()].flat(), served, blocksOf, join, (group, role) => {
    const text = `serves ${[...served[group]!].sort(compareText).join(', ')}, part of what ${[...served[role[0]!]!].sort(compareText).join(', ')} is at ${blocksOf(role).size} sites built alike, at a site that has that role: a copy of it seen only part of the time`;
    for (const host of groups[group]!) notes.set(host, { text, partner: groups[role[0]!]![0]! });
  });
  return { groups: mergeGroups(groups, find).sort((a, b) => a[0]! - b[0]!), notes };
}

/** The groups of a class that join its first one, in order: each whose recorded identity agrees with those before. */
function joinable(list: readonly number[], identities: readonly (string | null | undefined)[]): number[] {
  let identity = identities[list[0]!];
  const kept = [list[0]!];
  for (const group of list.slice(1)) {
    if (conflicting(identity, identities[group])) continue;
    identity = identity ?? identities[group]!;
    kept.push(group);
  }
  return kept;
}

/**
 * Site groups (`candidates`: the server groups wholly in sites) that serve
 * part of what a joined role serves, at a site of that role, with a service
 * that only the role and such partial copies serve (module comment): each
 * joins its role.
 */
function joinPartialCopies(
  roles: readonly (readonly number[])[],
  candidates: readonly number[],
  served: readonly ReadonlySet<string>[],
  blocksOf: (list: readonly number[]) => ReadonlySet<string>,
  join: (root: number, group: number) => boolean,
  note: (group: number, role: readonly number[]) => void,
): void {
  const inRole = new Set(roles.flat());
  const holders = new Map<string, number[]>();
  // Among the sites' groups: a head office's API on the same port is no role of the site design.
  for (const group of candidates) for (const service of served[group]!) appendTo(holders, service, group);
  const blocksOfGroup = candidates.map((group) => blocksOf([group]));
  for (const role of roles) {
    const whole = served[role[0]!]!;
    const sites = blocksOf(role);
    const partOf = (group: number, index: number): boolean =>
      served[group]!.size < whole.size && [...served[group]!].every((service) => whole.has(service)) && [...blocksOfGroup[index]!].every((block) => sites.has(block));
    const members = new Set(role);
    const partial = candidates.filter((group, index) => !inRole.has(group) && partOf(group, index));
    const partialSet = new Set(partial);
    const own = (service: string): boolean => holders.get(service)!.every((group) => members.has(group) || partialSet.has(group));
    for (const group of partial) if ([...served[group]!].some(own) && join(role[0]!, group)) note(group, role);
  }
}
