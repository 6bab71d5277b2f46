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
 * without it is some other service.
 */
export function dynamicRpcEdges(edges: readonly ProfileEdge[]): (edge: ProfileEdge) => boolean {
  const askedMapper = new Set<string>();
  for (const edge of edges) if (edge.proto === PROTO_TCP && edge.port === RPC_ENDPOINT_MAPPER_PORT) askedMapper.add(`${edge.client}|${edge.server}`);
  return (edge) => edge.proto === PROTO_TCP && edge.port >= RPC_DYNAMIC_PORTS.from && edge.port <= RPC_DYNAMIC_PORTS.to && askedMapper.has(`${edge.client}|${edge.server}`);
}
