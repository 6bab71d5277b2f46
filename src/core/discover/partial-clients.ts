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
 * client in question left out of both, and at least two shared). A client
 * is partial on a service when it reaches fewer than half of its targets
 * and their look-alikes.
 */
export const PARTIAL_CLIENT_DEFAULTS = {
  /**
   * Two servers of one service are look-alikes when at least half of their
   * other clients are shared: replicas behind one load balancer share
   * nearly all; servers of two applications that share a few users do not.
   */
  lookAlikeJaccard: 0.5,
  /**
   * …and at least this many of those clients: one shared client is no
   * witness. A node's kubelet probes every pod on the node, whatever its
   * service, so with one other client each, two databases of different
   * applications on one node would pass for replicas, and their own rare
   * callers (which met only their own database) for partial clients.
   * Replicas behind a load balancer share their callers by the handful.
   */
  lookAlikeMinShared: 2,
  /** A client reaching less than this share of the look-alike servers is partial there: it met them by placement or by chance. */
  minCoverage: 0.5,
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
          if (union > 0 && shared >= settings.lookAlikeMinShared && shared / union >= settings.lookAlikeJaccard) reachable.add(neighbour.server);
        }
      }
      if (targets.size / reachable.size >= settings.minCoverage) continue;
      for (const target of targets) partial.add(edgeKey({ client, server: target, ...splitService(service) }));
    }
  }
  return partial;
}

function addTo(map: Map<string, Map<string, Set<string>>>, outer: string, inner: string, value: string): void {
  let byInner = map.get(outer);
  if (byInner === undefined) map.set(outer, (byInner = new Map()));
  let set = byInner.get(inner);
  if (set === undefined) byInner.set(inner, (set = new Set()));
  set.add(value);
}
