import { compareText } from '../util/compare';
import { edgeKey } from './anomalies/types';
import type { ProfileEdge } from './host-features';

/**
 * Clients that reach only part of a set of look-alike servers: a node's
 * health probes reach the replicas scheduled on that node, a rarely seen
 * client reaches the one replica its few calls landed on. Such a client
 * says which replica it met, not what the servers are for, and counting it
 * would split replicas by node or by chance. Whom a server serves is
 * judged without them (its other clients still count in full).
 *
 * Look-alikes of a server on a service are the servers whose other clients
 * on that service are mostly its own (Jaccard of the client sets, the
 * client in question left out of both). A client is partial on a service
 * when it reaches fewer than half of its targets and their look-alikes.
 *
 * Look-alikes need callers that reach several replicas; where the callers
 * are few or rare, placement shows in another way: clients that split the
 * servers between them. Two clients that use several services in common
 * and never reach the same server on any of them (each node's kubelet
 * probing the pods scheduled on it, a poller per site polling that site's
 * servers) are placement clients, and every edge of theirs is partial.
 * Clients with a common purpose overlap somewhere (load-balanced callers
 * reach the same replicas; the workstations of two sites still use the
 * same applications).
 */
export const PARTIAL_CLIENT_DEFAULTS = {
  /**
   * Two servers of one service are look-alikes when at least half of their
   * other clients are shared: replicas behind one load balancer share
   * nearly all; servers of two applications that share a few users do not.
   */
  lookAlikeJaccard: 0.5,
  /** A client reaching less than this share of the look-alike servers is partial there: it met them by placement or by chance. */
  minCoverage: 0.5,
  /**
   * Two clients are placement clients when they use at least this many
   * services in common and reach disjoint servers on each: once or twice
   * can be the chance of a few calls, three services split alike is a
   * layout (nodes probe every service they host; pollers a handful each).
   */
  placementMinServices: 3,
  /**
   * Pairs are sought among at most this many clients of a service that reach
   * only part of it: a layout has a handful to a few hundred placement
   * clients (nodes, sites), while a service that hundreds more each use in
   * part (desktops and their site's domain controllers) is used, not probed,
   * and pairing them all would cost the square of their number.
   */
  maxPairingClients: 256,
} as const;

const serviceKey = (edge: ProfileEdge): string => `${edge.proto}/${edge.port}`;
const splitService = (service: string): { proto: number; port: number } => {
  const [proto, port] = service.split('/');
  return { proto: Number(proto), port: Number(port) };
};

/** Keys (edgeKey: "client|server|proto|port") of the edges whose client is partial on that service. Independent of edge order. */
export function partialClientEdges(edges: readonly ProfileEdge[], options: Partial<typeof PARTIAL_CLIENT_DEFAULTS> = {}): Set<string> {
  const settings = { ...PARTIAL_CLIENT_DEFAULTS, ...options };
  // Per service: clients of each server, servers of each client.
  const clientsOf = new Map<string, Map<string, Set<string>>>();
  const serversOf = new Map<string, Map<string, Set<string>>>();
  for (const edge of edges) {
    const service = serviceKey(edge);
    addTo(clientsOf, service, edge.server, edge.client);
    addTo(serversOf, service, edge.client, edge.server);
  }
  const partial = new Set<string>();
  for (const [service, clientTargets] of serversOf) {
    const clients = clientsOf.get(service)!;
    // Each server's neighbours on this service (servers sharing a client with it) and how many clients they share, worked out once.
    const neighboursOf = new Map<string, readonly { server: string; shared: number }[]>();
    const neighbours = (server: string): readonly { server: string; shared: number }[] => {
      let list = neighboursOf.get(server);
      if (list !== undefined) return list;
      const own = clients.get(server)!;
      const shared = new Map<string, number>();
      for (const other of own) for (const candidate of clientTargets.get(other)!) if (candidate !== server) shared.set(candidate, (shared.get(candidate) ?? 0) + 1);
      list = [...shared].map(([candidate, count]) => ({ server: candidate, shared: count }));
      neighboursOf.set(server, list);
      return list;
    };
    for (const [client, targets] of clientTargets) {
      const reachable = new Set<string>(targets);
      for (const target of targets) {
        const own = clients.get(target)!;
        for (const neighbour of neighbours(target)) {
          if (reachable.has(neighbour.server)) continue;
          // Jaccard of the two client sets with this client left out of both: its own visit is what is in question.
          const theirs = clients.get(neighbour.server)!;
          const inTheirs = theirs.has(client) ? 1 : 0;
          const shared = neighbour.shared - inTheirs;
          const union = own.size - 1 + theirs.size - inTheirs - shared;
          if (union > 0 && shared / union >= settings.lookAlikeJaccard) reachable.add(neighbour.server);
        }
      }
      if (targets.size / reachable.size >= settings.minCoverage) continue;
      for (const target of targets) partial.add(edgeKey({ client, server: target, ...splitService(service) }));
    }
  }
  for (const client of placementClients(serversOf, clientsOf, settings.placementMinServices, settings.maxPairingClients)) {
    for (const [service, clientTargets] of serversOf) {
      for (const target of clientTargets.get(client) ?? []) partial.add(edgeKey({ client, server: target, ...splitService(service) }));
    }
  }
  return partial;
}

/**
 * Clients that have a partner using at least `minServices` services in
 * common with them, reaching disjoint servers on every one of them. Pairs
 * are sought on services where both reach only some of the servers (a
 * client reaching them all splits nothing), among at most
 * `maxPairingClients` such clients per service, then checked on every
 * service they share. Independent of edge order.
 */
function placementClients(serversOf: ServiceMap, clientsOf: ServiceMap, minServices: number, maxPairingClients: number): Set<string> {
  const servicesOf = new Map<string, string[]>();
  for (const [service, clientTargets] of serversOf) for (const client of clientTargets.keys()) appendService(servicesOf, client, service);
  const pairs = new Set<string>();
  for (const [service, clientTargets] of serversOf) {
    const servers = clientsOf.get(service)!.size;
    const partial = [...clientTargets].filter(([client, targets]) => targets.size < servers && servicesOf.get(client)!.length >= minServices).map(([client]) => client);
    if (partial.length < 2 || partial.length > maxPairingClients) continue;
    partial.sort(compareText);
    for (let a = 0; a < partial.length; a++) {
      for (let b = a + 1; b < partial.length; b++) if (!overlapsOn(serversOf, service, partial[a]!, partial[b]!)) pairs.add(`${partial[a]}\t${partial[b]}`);
    }
  }
  const placed = new Set<string>();
  for (const pair of pairs) {
    const [client, partner] = pair.split('\t') as [string, string];
    if (splitAlike(serversOf, clientsOf, servicesOf.get(client)!, client, partner, minServices)) placed.add(client).add(partner);
  }
  return placed;
}

/** Whether two clients use at least `minServices` of `services` both, each time reaching disjoint servers. */
function splitAlike(serversOf: ServiceMap, clientsOf: ServiceMap, services: readonly string[], client: string, partner: string, minServices: number): boolean {
  let shared = 0;
  for (const service of services) {
    const theirs = serversOf.get(service)!.get(partner);
    if (theirs === undefined) continue;
    if (overlapsOn(serversOf, service, client, partner)) return false;
    if (!bridged(serversOf, clientsOf, service, client, partner)) return false;
    shared++;
  }
  return shared >= minServices;
}

/** Whether some third client reaches servers of both on this service: they split one set of look-alike servers. */
function bridged(serversOf: ServiceMap, clientsOf: ServiceMap, service: string, a: string, b: string): boolean {
  const servers = clientsOf.get(service)!;
  const reachB = serversOf.get(service)!.get(b)!;
  for (const server of serversOf.get(service)!.get(a)!) {
    for (const third of servers.get(server)!) {
      if (third === a || third === b) continue;
      for (const other of serversOf.get(service)!.get(third)!) if (reachB.has(other)) return true;
    }
  }
  return false;
}

function overlapsOn(serversOf: ServiceMap, service: string, a: string, b: string): boolean {
  const ofA = serversOf.get(service)!.get(a);
  const ofB = serversOf.get(service)!.get(b);
  if (ofA === undefined || ofB === undefined) return false;
  const [small, large] = ofA.size <= ofB.size ? [ofA, ofB] : [ofB, ofA];
  for (const server of small) if (large.has(server)) return true;
  return false;
}

type ServiceMap = Map<string, Map<string, Set<string>>>;

function appendService(map: Map<string, string[]>, client: string, service: string): void {
  const list = map.get(client);
  if (list === undefined) map.set(client, [service]);
  else list.push(service);
}

function addTo(map: Map<string, Map<string, Set<string>>>, outer: string, inner: string, value: string): void {
  let byInner = map.get(outer);
  if (byInner === undefined) map.set(outer, (byInner = new Map()));
  let set = byInner.get(inner);
  if (set === undefined) byInner.set(inner, (set = new Set()));
  set.add(value);
}
