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
 * and their look-alikes, unless a cohort of other clients reaches the same
 * part and passes over the same rest: then the part is a service of its
 * own that those clients use, which a fan-out client (a front end calling
 * every back end on one port) had made look like the rest.
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
  /**
   * A partial-looking client is taken at its word when at least this many
   * other clients reach at least half of its targets and less than half of
   * the look-alikes it passed over (minCoverage both). Placement gives each
   * node's probes a part of its own (other nodes' probes share none of it),
   * and chance gives each rare caller a different part; the replicas of one
   * calling service all using one back end give the same part again and
   * again. Two, as for look-alikes: one other client is no witness.
   */
  cohortMinClients: 2,
} as const;

export type PartialClientOptions = { readonly [K in keyof typeof PARTIAL_CLIENT_DEFAULTS]: number };

const serviceKey = (edge: ProfileEdge): string => `${edge.proto}/${edge.port}`;
const splitService = (service: string): { proto: number; port: number } => {
  const [proto, port] = service.split('/');
  return { proto: Number(proto), port: Number(port) };
};

/** Keys (edgeKey: "client|server|proto|port") of the edges whose client is partial on that service. Independent of edge order. */
export function partialClientEdges(edges: readonly ProfileEdge[], options: Partial<PartialClientOptions> = {}): Set<string> {
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
      // One target is what a single rare call gives: a part of one is left to chance.
      if (targets.size >= 2 && cohortSize(client, targets, reachable, clients, clientTargets, settings.minCoverage) >= settings.cohortMinClients) continue;
      for (const target of targets) partial.add(edgeKey({ client, server: target, ...splitService(service) }));
    }
  }
  return partial;
}

/**
 * Other clients that use the same part of the look-alikes as `client`: they
 * reach at least `minCoverage` of its targets and less than `minCoverage` of
 * the look-alikes it passed over, the measure by which `client` itself is
 * partial. A client that reaches every look-alike but missed a few by chance
 * (a front end, a scraper) is no cohort however the part is cut.
 */
function cohortSize(
  client: string,
  targets: ReadonlySet<string>,
  reachable: ReadonlySet<string>,
  clients: ReadonlyMap<string, ReadonlySet<string>>,
  clientTargets: ReadonlyMap<string, ReadonlySet<string>>,
  minCoverage: number,
): number {
  const passedOverByClient = reachable.size - targets.size;
  const inPart = new Map<string, number>();
  for (const target of targets) for (const other of clients.get(target)!) if (other !== client) inPart.set(other, (inPart.get(other) ?? 0) + 1);
  let cohort = 0;
  for (const [other, inside] of inPart) {
    if (inside < minCoverage * targets.size) continue;
    let passedOver = 0;
    for (const server of clientTargets.get(other)!) if (reachable.has(server) && !targets.has(server)) passedOver++;
    if (passedOver < minCoverage * passedOverByClient) cohort++;
  }
  return cohort;
}

function addTo(map: Map<string, Map<string, Set<string>>>, outer: string, inner: string, value: string): void {
  let byInner = map.get(outer);
  if (byInner === undefined) map.set(outer, (byInner = new Map()));
  let set = byInner.get(inner);
  if (set === undefined) byInner.set(inner, (set = new Set()));
  set.add(value);
}
