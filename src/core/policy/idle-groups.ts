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
  /** Usable edges (allowed or unknown, not flagged): the ones IdleEvidence was indexed on. */
  readonly edges: readonly PolicyEdge[];
  /** An endpoint's group: an internal group id, an outside network's, or null. */
  readonly groupOf: (ip: string) => string | null;
  readonly isInternalGroup: (group: string) => boolean;
  /** An internal group's member count. */
  readonly groupSize: (group: string) => number;
  /** The members of the given internal groups. */
  readonly membersOf: (groups: ReadonlySet<string>) => ReadonlyMap<string, readonly string[]>;
  readonly describe: (group: string) => string;
}

/**
 * What the idle-group rules depend on that does not change with the
 * grouping: who probes, which services are collectors, and the edges the
 * rules read, indexed once. Every what-if step asks for the rules again, so
 * a step reads the probes, the calls to the members of the groups they
 * reach, and the calls of the services probed there, not every edge.
 */
export interface IdleEvidence {
  readonly probers: ReadonlySet<string>;
  readonly collectors: ReadonlySet<string>;
  /** Edge numbers of the probes (remote administration and collector services left out, as below). */
  readonly probes: readonly number[];
  /** Edge numbers of every other call, by server address and by service. */
  readonly callsToServer: ReadonlyMap<string, readonly number[]>;
  readonly callsOfService: ReadonlyMap<string, readonly number[]>;
}

const serviceOf = (proto: number, port: number): string => `${proto}/${port}`;

/** Remote administration is never opened this way, and collectors (a metrics scrape) are no one's role: both are left out. */
export function idleEvidence(edges: readonly PolicyEdge[], isAdminService: (proto: number, port: number) => boolean): IdleEvidence {
  const probers = probersOf(edges);
  const collectors = collectorServicesOf(edges);
  const probes: number[] = [];
  const callsToServer = new Map<string, number[]>();
  const callsOfService = new Map<string, number[]>();
  // Without probers no group is idle, and nothing needs indexing.
  if (probers.size > 0) {
    edges.forEach((edge, number) => {
      if (edge.client === edge.server) return;
      const service = serviceOf(edge.proto, edge.port);
      if (isAdminService(edge.proto, edge.port) || collectors.has(service)) return;
      if (probers.has(edge.client)) probes.push(number);
      else {
        appendTo(callsToServer, edge.server, number);
        appendTo(callsOfService, service, number);
      }
    });
  }
  return { probers, collectors, probes, callsToServer, callsOfService };
}

/** The openings of every idle internal group, in order of server group, service and client group. */
export function idleOpenings(context: IdleContext, evidence: IdleEvidence, maxChance: number = IDLE_MEMBER_DEFAULTS.maxChance): IdleOpening[] {
  if (evidence.probes.length === 0) return [];
  const { edges, groupOf } = context;
  // Per internal server group: the services probers checked on it (and who).
  const probed = new Map<string, Map<string, Set<string>>>();
  for (const number of evidence.probes) {
    const edge = edges[number]!;
    const to = groupOf(edge.server);
    if (to === null || !context.isInternalGroup(to)) continue;
    getOrAdd(getOrAdd(probed, to, () => new Map<string, Set<string>>()), serviceOf(edge.proto, edge.port), () => new Set<string>()).add(edge.client);
  }
  // Idle: no member took a call from a placed client of another group.
  const members = context.membersOf(new Set(probed.keys()));
  const isUsed = (to: string): boolean =>
    (members.get(to) ?? []).some((server) =>
      (evidence.callsToServer.get(server) ?? []).some((number) => {
        const from = groupOf(edges[number]!.client);
        return from !== null && from !== to;
      }),
    );
  const idle = [...probed.keys()].filter((group) => !isUsed(group)).sort(compareText);
  // Per service probed on an idle group: the client groups using it on each internal server group, and the connections they made.
  const usersOf = new Map<string, Map<string, Set<string>>>();
  const callsOf = new Map<string, Map<string, number>>();
  for (const service of new Set(idle.flatMap((group) => [...probed.get(group)!.keys()]))) {
    const users = new Map<string, Set<string>>();
    const calls = new Map<string, number>();
    for (const number of evidence.callsOfService.get(service) ?? []) {
      const edge = edges[number]!;
      const to = groupOf(edge.server);
      if (to === null || !context.isInternalGroup(to)) continue;
      const from = groupOf(edge.client);
      if (from === null || from === to) continue;
      getOrAdd(users, to, () => new Set<string>()).add(from);
      calls.set(to, (calls.get(to) ?? 0) + edge.flows);
    }
    usersOf.set(service, users);
    callsOf.set(service, calls);
  }
  // A server group could have left one more replica without a call: r/(r+1) of each of its N calls missed it.
  const couldIdle = (service: string, server: string): boolean => couldMissOneMore(callsOf.get(service)!.get(server)!, context.groupSize(server), maxChance);

  const openings: IdleOpening[] = [];
  for (const to of idle) {
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
