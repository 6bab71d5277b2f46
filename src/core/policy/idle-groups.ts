import { IDLE_MEMBER_DEFAULTS } from '../discover/idle-members';
import { collectorServicesOf, probersOf } from '../discover/idle-replicas';
import { couldMissOneMore } from '../discover/replica-chance';
import { compareText } from '../util/compare';
import { appendTo, getOrAdd } from '../util/multimap';
import type { PolicyEdge } from './policy-input';

/**
 * Groups that no one but probers used while the capture ran: pods of a
 * Service whose calls all landed on its other replicas, or on none (a
 * service called twice a day), checked only by their node's kubelet. Their
 * members listen on the probed port, so they are replicas of some service
 * on it, and will take its calls as soon as the balancer sends one; a
 * policy learned from the capture alone gives them no rule, and the first
 * call after it is blocked.
 *
 * Behaviour cannot tell which service they are replicas of (a reviews pod
 * and a details pod that nobody called look the same on the wire), but it
 * can rule services out: a balancer spreads a service's calls over its
 * replicas, so a service of r replicas that took N calls would have left
 * one more replica without any with a chance of (r/(r+1))^N. A service
 * its clients call all day cannot have an idle replica; one called a few
 * times a day can. Each probed port is opened to the groups that use it on
 * the services that could have left a replica idle (that chance at or
 * above the level IDLE_MEMBER_DEFAULTS.maxChance parts idle members by,
 * the same model): whichever of those the idle pods belong to, its clients
 * are among them. Nothing more: no other port, no client of a busy
 * service. And only where those services can account for the group: a
 * balancer leaves fewer of a service's replicas idle than it keeps busy
 * unless the service took fewer calls than it has replicas, so an idle
 * group larger than their active replicas together holds services that
 * took no call at all (a database nobody queried while the capture ran),
 * whose clients nothing names; opened to the rare services' clients, most
 * of its members would take clients they never have. Each such rule says
 * so in its evidence and has no edges of its own; it disappears as soon as
 * the group takes a real connection. Remote administration is never opened
 * this way.
 */

/** One port an idle group is opened on, to one client group, and why. */
export interface IdleOpening {
  readonly from: string;
  readonly to: string;
  readonly proto: number;
  readonly port: number;
  readonly detail: string;
}

export interface IdleContext {
  /** Usable edges (allowed or unknown, not flagged). */
  readonly edges: readonly PolicyEdge[];
  /** An endpoint's group: an internal group id, an outside network's, or null. */
  readonly groupOf: (ip: string) => string | null;
  readonly isInternalGroup: (group: string) => boolean;
  /** An internal group's member count. */
  readonly groupSize: (group: string) => number;
  readonly isAdminService: (proto: number, port: number) => boolean;
  readonly describe: (group: string) => string;
}

/** What the idle-group rules depend on that does not change with the grouping: who probes, which services are collectors. */
export interface IdleEvidence {
  readonly probers: ReadonlySet<string>;
  readonly collectors: ReadonlySet<string>;
}

export function idleEvidence(edges: readonly PolicyEdge[]): IdleEvidence {
  return { probers: probersOf(edges), collectors: collectorServicesOf(edges) };
}

const serviceOf = (proto: number, port: number): string => `${proto}/${port}`;

/** The openings of every idle internal group, in order of server group, service and client group. */
export function idleOpenings(context: IdleContext, evidence: IdleEvidence, maxChance: number = IDLE_MEMBER_DEFAULTS.maxChance): IdleOpening[] {
  // Without probers no group is idle: skip the pass over the edges (every what-if step asks again).
  if (evidence.probers.size === 0) return [];
  // Per internal server group: the services probers checked on it (and who), and whether anyone else used it.
  const probed = new Map<string, Map<string, Set<string>>>();
  const used = new Set<string>();
  // Per service: the client groups using it on each internal server group, and the connections they made.
  const usersOf = new Map<string, Map<string, Set<string>>>();
  const callsOf = new Map<string, Map<string, number>>();
  for (const edge of context.edges) {
    if (edge.client === edge.server) continue;
    const to = context.groupOf(edge.server);
    if (to === null || !context.isInternalGroup(to)) continue;
    const service = serviceOf(edge.proto, edge.port);
    if (context.isAdminService(edge.proto, edge.port) || evidence.collectors.has(service)) continue;
    if (evidence.probers.has(edge.client)) {
      getOrAdd(getOrAdd(probed, to, () => new Map<string, Set<string>>()), service, () => new Set<string>()).add(edge.client);
      continue;
    }
    const from = context.groupOf(edge.client);
    if (from === null || from === to) continue;
    used.add(to);
    getOrAdd(getOrAdd(usersOf, service, () => new Map<string, Set<string>>()), to, () => new Set<string>()).add(from);
    const calls = getOrAdd(callsOf, service, () => new Map<string, number>());
    calls.set(to, (calls.get(to) ?? 0) + edge.flows);
  }
  // A server group could have left one more replica without a call: r/(r+1) of each of its N calls missed it.
  const couldIdle = (service: string, server: string): boolean => couldMissOneMore(callsOf.get(service)!.get(server)!, context.groupSize(server), maxChance);

  const openings: IdleOpening[] = [];
  for (const to of [...probed.keys()].filter((group) => !used.has(group)).sort(compareText)) {
    const services = probed.get(to)!;
    for (const service of [...services.keys()].sort(compareText)) {
      const [proto, port] = service.split('/').map(Number) as [number, number];
      const clientsOf = new Map<string, string[]>();
      let activeReplicas = 0;
      for (const [server, clients] of usersOf.get(service) ?? []) {
        if (!couldIdle(service, server)) continue;
        activeReplicas += context.groupSize(server);
        for (const client of clients) {
          if (client === to) continue;
          appendTo(clientsOf, client, server);
        }
      }
      // More idle members than those services have active replicas: the group holds services that took no call at all.
      if (clientsOf.size === 0 || context.groupSize(to) > activeReplicas) continue;
      const probers = [...services.get(service)!].sort(compareText);
      const shown = probers.slice(0, 3).join(', ') + (probers.length > 3 ? ` and ${probers.length - 3} more` : '');
      for (const from of [...clientsOf.keys()].sort(compareText)) {
        const servers = clientsOf.get(from)!.sort(compareText);
        openings.push({
          from,
          to,
          proto,
          port,
          detail:
            `no connection reached ${context.describe(to)} in the learning window, only probes on this port (from ${shown}): its members are replicas, that no call has reached yet, ` +
            `of a service on this port called rarely enough to leave a replica idle; the port is open to the ${clientsOf.size} group${clientsOf.size === 1 ? '' : 's'} that use such services ` +
            `(${from} on ${servers.slice(0, 3).join(', ')}${servers.length > 3 ? ` and ${servers.length - 3} more` : ''}) until ${to} shows clients of its own`,
        });
      }
    }
  }
  return openings;
}
