import { isIcmp } from '../flow/protocols';
import { groupIndexOfHosts, groupLabel, mergeGroups } from './assemble-groups';
import { deskView, usesOfMembers } from './block-roles';
import { serviceText, type HostFeatures, type ProfileEdge } from './host-features';
import { majorityIdentity } from './identity-evidence';
import { JOIN_DEFAULTS } from './join-by-identity';
import type { JoinNote } from './join-note';
import { isAdminService } from './role-edges';
import { appendTo, getOrAdd } from '../util/multimap';

/**
 * A host that has not taken up its role yet. A shop's replacement store
 * server, brought up two hours before the capture ended, had logged on at
 * the domain controller and answered the monitoring's scrapes, and its
 * tills were still on the old server: behaviour makes it a group of its
 * own, whose rules are those few uses, and the day the tills move over,
 * every call they make to it is blocked. Nothing on the wire says what it
 * is for. Its name does: estates name hosts by a convention (a site code,
 * a role code, a counter: S0387-SRV02 beside S0113-SRV01 and fifty more),
 * and the inventory carries the name.
 *
 * So a group all of whose hosts carry names of one shape (the name in
 * lower case, each run of digits read as one counter) joins the group that
 * holds every other host named in that shape, when there are at least
 * `minSiblings` of them and they outnumber it (the convention is theirs,
 * and two groups never join each other), and when it answered and used
 * nothing that group does not (the same service to the same clients' group,
 * the same service on the same servers' group; remote administration and
 * pings aside): one policy on both grants the new host only what its
 * namesakes do. A name without a counter, or with fewer than two letters
 * beside its digits (an address written as a name), states no convention;
 * a shape whose hosts sit in several groups (every desk named ws-0000,
 * whatever its department) says nothing of which; a host that served or
 * used anything its namesakes did not has shown a role of its own and
 * stays; recorded identities that differ never join.
 */
export const NAME_SIBLING_DEFAULTS = {
  /**
   * Hosts of one name shape, outside the group that would join, that make a
   * naming convention: three, as three hosts of one group make a VLAN its
   * own (QUIET_MEMBER_DEFAULTS.minBlockHosts). One or two hosts named
   * alike are as likely a coincidence of short names (app01 of one
   * application, app02 of another) as a convention.
   */
  minSiblings: 3,
};

export type NameSiblingOptions = typeof NAME_SIBLING_DEFAULTS;

/** A name's shape (see above), or null when the name states no convention. */
export function nameShape(name: string | undefined): string | null {
  if (name === undefined) return null;
  const lower = name.trim().toLowerCase();
  if (!/\d/.test(lower)) return null;
  const shape = lower.replace(/\d+/g, '#');
  return (shape.match(/\p{L}/gu)?.length ?? 0) >= 2 ? shape : null;
}

/** `groups`: host indexes per group; `names`: inventory names by address. Returns the groups, joined, ordered by first member, and why each moved host moved. */
export function joinNameSiblings(
  features: HostFeatures,
  edges: readonly ProfileEdge[],
  groups: readonly number[][],
  identity: (host: number) => string | null,
  names: ReadonlyMap<string, string>,
  options: NameSiblingOptions = NAME_SIBLING_DEFAULTS,
): { groups: number[][]; notes: Map<number, JoinNote> } {
  const shapes = features.hosts.map((host) => nameShape(names.get(host.ip)));
  const hostsOfShape = new Map<string, number[]>();
  shapes.forEach((shape, host) => {
    if (shape !== null) appendTo(hostsOfShape, shape, host);
  });
  const groupOf = groupIndexOfHosts(features.hosts.length, groups);
  const { usesOf } = deskView(features, edges, groups);
  const answersOf = answers(features, edges, groups, groupOf);
  const into = groups.map((_, group) => group);
  const notes = new Map<number, JoinNote>();
  groups.forEach((members, group) => {
    const shape = members.length === 0 ? null : shapes[members[0]!]!;
    if (shape === null || members.some((host) => shapes[host] !== shape)) return;
    const siblings = hostsOfShape.get(shape)!.filter((host) => groupOf[host] !== group);
    if (siblings.length < options.minSiblings || siblings.length <= members.length) return;
    const target = groupOf[siblings[0]!]!;
    if (target < 0 || siblings.some((host) => groupOf[host] !== target)) return;
    const within = (view: ReadonlyMap<number, ReadonlySet<string>>): boolean => {
      const theirs = usesOfMembers(groups[target]!, view);
      return [...usesOfMembers(members, view)].every((entry) => theirs.has(entry));
    };
    if (!within(usesOf) || !within(answersOf)) return;
    const own = majorityIdentity(members, identity, JOIN_DEFAULTS.minIdentityShare);
    const theirs = majorityIdentity(groups[target]!, identity, JOIN_DEFAULTS.minIdentityShare);
    if (own !== null && theirs !== null && own !== theirs) return;
    into[group] = target;
    const examples = siblings.slice(0, 2).map((host) => names.get(features.hosts[host]!.ip)!);
    const targetLabel = groupLabel(features.hosts[groups[target]![0]!]!.ip, groups[target]!.length);
    for (const host of members) {
      const text = `its name ${names.get(features.hosts[host]!.ip)!} follows the convention of the ${siblings.length} other hosts named like ${examples.join(', ')}, all in group ${targetLabel}, and it served and used nothing that group did not: a host named for a role it had not yet taken up while the capture ran`;
      notes.set(host, { text, partner: groups[target]![0]! });
    }
  });
  const merged = mergeGroups(groups, (group) => into[group]!);
  return { groups: merged.sort((a, b) => a[0]! - b[0]!), notes };
}

/**
 * What each host answered: "service to group", the clients' group named by
 * its first member (an outside client by its address). Remote
 * administration and pings are left out: who manages or pings a host says
 * nothing of its role.
 */
function answers(features: HostFeatures, edges: readonly ProfileEdge[], groups: readonly number[][], groupOf: Int32Array): Map<number, Set<string>> {
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const answered = new Map<number, Set<string>>();
  for (const edge of edges) {
    if (edge.client === edge.server || isAdminService(edge) || isIcmp(edge.proto)) continue;
    const server = hostIndex.get(edge.server);
    if (server === undefined) continue;
    const client = hostIndex.get(edge.client);
    getOrAdd(answered, server, () => new Set<string>()).add(`${serviceText(edge.proto, edge.port)} to ${client === undefined ? edge.client : features.hosts[groups[groupOf[client]!]![0]!]!.ip}`);
  }
  return answered;
}
