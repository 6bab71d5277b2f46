import { PROTO_TCP, RPC_DYNAMIC_PORTS, RPC_ENDPOINT_MAPPER_PORT } from '../flow/protocols';
import type { ProfileEdge } from './host-features';

/** How profiles name the service behind an RPC endpoint mapper's dynamic ports, whichever port a server drew. */
export const DYNAMIC_RPC_SERVICE = 'tcp/rpc-dynamic';

/**
 * Microsoft RPC services listen on a dynamic port each server draws at boot
 * (IANA's dynamic range) and hands out through its endpoint mapper: two
 * domain controllers serve the same directory replication and Netlogon on
 * tcp/49690 and tcp/49676. As port numbers they are different services
 * and part the two; as a role they are one. An edge is to such an endpoint
 * when it is TCP in the dynamic range and its client also asks the same
 * server's mapper (tcp/135), the test policy/companion-rules.ts applies to
 * rules: a client only learns the port from the mapper, so any high port
 * without it is some other service. A client may have asked before the
 * window began and kept the answer, though: so the port is also an endpoint
 * for every client of it once at least `minAskedShare` of its clients on
 * that server asked the mapper in the window (HOST_FEATURE_DEFAULTS says
 * why half). Otherwise which desks asked in the window, which is chance,
 * named one service two ways, and the rarer name made the desks that
 * happened to carry it look alike.
 */
export function dynamicRpcEdges(edges: readonly ProfileEdge[], minAskedShare: number): (edge: ProfileEdge) => boolean {
  // Discovery asks three times over the same edges (replica sets, host profiles, group names): one pass serves all.
  let byShare = predicates.get(edges);
  if (byShare === undefined) predicates.set(edges, (byShare = new Map()));
  const known = byShare.get(minAskedShare);
  if (known !== undefined) return known;
  const predicate = endpointPredicate(edges, minAskedShare);
  byShare.set(minAskedShare, predicate);
  return predicate;
}

/** Per edge list (never changed once discovery reads it) and share: its predicate. */
const predicates = new WeakMap<readonly ProfileEdge[], Map<number, (edge: ProfileEdge) => boolean>>();

function endpointPredicate(edges: readonly ProfileEdge[], minAskedShare: number): (edge: ProfileEdge) => boolean {
  const askedMapper = new Set<string>();
  for (const edge of edges) if (edge.proto === PROTO_TCP && edge.port === RPC_ENDPOINT_MAPPER_PORT) askedMapper.add(`${edge.client}|${edge.server}`);
  const inRange = (edge: ProfileEdge): boolean => edge.proto === PROTO_TCP && edge.port >= RPC_DYNAMIC_PORTS.from && edge.port <= RPC_DYNAMIC_PORTS.to;
  // Per "server|port" in the range: its clients, and whether each asked that server's mapper.
  const clientsOf = new Map<string, Map<string, boolean>>();
  for (const edge of edges) {
    if (!inRange(edge)) continue;
    const key = `${edge.server}|${edge.port}`;
    let clients = clientsOf.get(key);
    if (clients === undefined) clientsOf.set(key, (clients = new Map()));
    clients.set(edge.client, askedMapper.has(`${edge.client}|${edge.server}`));
  }
  const endpoints = new Set<string>();
  for (const [key, clients] of clientsOf) {
    let asked = 0;
    for (const didAsk of clients.values()) if (didAsk) asked++;
    if (asked > 0 && asked >= minAskedShare * clients.size) endpoints.add(key);
  }
  return (edge) => inRange(edge) && (askedMapper.has(`${edge.client}|${edge.server}`) || endpoints.has(`${edge.server}|${edge.port}`));
}
