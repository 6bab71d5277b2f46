import { groupIndexOfHosts, groupLabel, mergeGroups } from './assemble-groups';
import { serviceText, type HostFeatures, type ProfileEdge } from './host-features';
import { groupIdentity } from './role-equivalence';
import { roleEdgesOf } from './role-edges';
import { appendTo, getOrAdd } from '../util/multimap';
import type { JoinNote } from './join-note';

/**
 * Standbys and read replicas that take no traffic: a database standby
 * streaming from its primary, an ElastiCache replica pulling from its
 * primary. On the wire such a host is a client of its primary's own
 * service and serves nothing, so behaviour puts it apart from the group it
 * belongs to, and the primary's clients lose their rule the day it takes
 * over.
 *
 * Behaviour alone cannot tell a standby from a lone client that uses one
 * service (a load generator, a queue consumer): both only call one
 * server's port. Labels can. A group joins the group it pulls from when
 *   - its labelled members and the other group's name one identity (the
 *     same application, environment and tier in the inventory, the same
 *     Kubernetes app), and
 *   - every one of its members uses, on a member of the other group, a
 *     service that group serves to someone else (the primary's own port,
 *     not a side channel), and
 *   - it serves nothing to anyone (a replica already taking reads is one
 *     behaviour puts with its primary, or one that should stay apart).
 * An unlabelled group never joins this way: missing evidence is none.
 */

/**
 * `groups`: host indexes per group; `identityOf`: a host's label identity
 * (null: none). Returns the groups with standbys joined to their primaries'
 * groups, ordered by first member, and why each host that joined did.
 */
export function joinStandbys(features: HostFeatures, edges: readonly ProfileEdge[], groups: readonly (readonly number[])[], identityOf: (host: number) => string | null): { groups: number[][]; notes: Map<number, JoinNote> } {
  const hostIndex = new Map(features.hosts.map((host, index) => [host.ip, index]));
  const groupOf = groupIndexOfHosts(features.hosts.length, groups);
  const serving = new Set<number>();
  // Per server host and service: clients; per client host: (service, server) pairs.
  const clientsOf = new Map<string, Set<number>>();
  const pulls = new Map<number, { service: string; server: number }[]>();
  for (const edge of roleEdgesOf(edges, { probers: true, collectors: true })) {
    const client = hostIndex.get(edge.client);
    const server = hostIndex.get(edge.server);
    if (client === undefined || server === undefined) continue;
    serving.add(server);
    const service = `${edge.proto}/${edge.port}`;
    getOrAdd(clientsOf, `${server}|${service}`, () => new Set<number>()).add(client);
    appendTo(pulls, client, { service, server });
  }
  const identities = groups.map((members) => groupIdentity(members, identityOf));
  const into = groups.map((_, group) => group);
  const notes = new Map<number, JoinNote>();
  groups.forEach((members, group) => {
    const identity = identities[group];
    if (identity === null || identity === undefined || members.some((host) => serving.has(host))) return;
    // The one group every member pulls from, on a service that group serves to others too.
    let target: number | null = null;
    let evidence: { service: string; server: number } | null = null;
    for (const host of members) {
      const primaries = (pulls.get(host) ?? []).filter(({ service, server }) => {
        const other = groupOf[server]!;
        if (other < 0 || other === group || identities[other] !== identity) return false;
        return [...clientsOf.get(`${server}|${service}`)!].some((client) => groupOf[client] !== group);
      });
      const targets = new Set(primaries.map(({ server }) => groupOf[server]!));
      if (targets.size !== 1 || (target !== null && !targets.has(target))) return;
      target = groupOf[primaries[0]!.server]!;
      // The note names the lowest server and service, so that it does not depend on the order of the edges.
      for (const primary of primaries) {
        if (evidence === null || primary.server < evidence.server || (primary.server === evidence.server && primary.service < evidence.service)) evidence = primary;
      }
    }
    if (target === null || evidence === null) return;
    into[group] = target;
    const [proto, port] = evidence.service.split('/').map(Number) as [number, number];
    const text = `a standby of ${groupLabel(features.hosts[groups[target]![0]!]!.ip, groups[target]!.length)}: labelled as it is, it serves nothing and uses ${serviceText(proto, port)} on ${features.hosts[evidence.server]!.ip}, the service that group serves, as a replica pulls from its primary`;
    for (const host of members) notes.set(host, { text, partner: groups[target]![0]! });
  });
  return { groups: mergeGroups(groups, (group) => into[group]!).sort((a, b) => a[0]! - b[0]!), notes };
}
