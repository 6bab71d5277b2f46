import { PROTO_UDP } from '../flow/protocols';
import type { ProfileEdge } from './host-features';

/**
 * Ports that signalling hands out, one per call: a VoIP phone's RTP and
 * RTCP (a fresh even/odd pair from its media range for every call, from
 * the gateway or from whichever phone it called), a media server's relay
 * ports. Read as services, every phone serves a few dozen ports no other
 * host serves, each to whoever it happened to call, and no two phones look
 * alike. What a phone is shows in the signalling it uses on fixed ports
 * (SIP to its call manager), which discovery still reads; the media flows
 * are left out of discovery only: rules are still written from the ports
 * seen, and a new call's ports are new services to the replay.
 */
export const NEGOTIATED_PORT_DEFAULTS = {
  /**
   * A host has negotiated ports when it served at least this many UDP
   * ports of 1024 and above, each to a single peer. A few one-client
   * ports are what any server can show (a service one client tried);
   * eight is a dozen calls' worth of RTP and RTCP pairs, which no fixed
   * service set has: a host serving eight services, each to one client,
   * is already a host of one-off ports.
   */
  minPorts: 8,
} as const;

/** Which of `edges` are media on negotiated ports (module comment), by index. */
export function negotiatedEdges(edges: readonly ProfileEdge[], options: { readonly minPorts?: number } = {}): Uint8Array {
  const minPorts = options.minPorts ?? NEGOTIATED_PORT_DEFAULTS.minPorts;
  const flags = new Uint8Array(edges.length);
  // Per server, per UDP port of 1024 and above: its clients.
  const clientsOf = new Map<string, Map<number, Set<string>>>();
  for (const edge of edges) {
    if (edge.proto !== PROTO_UDP || edge.port < 1024 || edge.client === edge.server) continue;
    let ports = clientsOf.get(edge.server);
    if (ports === undefined) clientsOf.set(edge.server, (ports = new Map()));
    let clients = ports.get(edge.port);
    if (clients === undefined) ports.set(edge.port, (clients = new Set()));
    clients.add(edge.client);
  }
  // Media hosts: those that served at least minPorts single-peer ports.
  const media = new Set<string>();
  for (const [server, ports] of clientsOf) {
    let single = 0;
    for (const clients of ports.values()) if (clients.size === 1) single++;
    if (single >= minPorts) media.add(server);
  }
  if (media.size === 0) return flags;
  // On a media host, every UDP port of 1024 and above that fewer than minPorts peers used is one signalling
  // handed out (over days a port comes round again to another call); a service of its own (SIP's 5060, a
  // TURN server's 3478) takes many. Elsewhere, a single-peer port whose client is a media host: a phone
  // that took two calls in the window took them from the gateway, or from a phone, that negotiates all day.
  edges.forEach((edge, index) => {
    if (edge.proto !== PROTO_UDP || edge.port < 1024 || edge.client === edge.server) return;
    const peers = clientsOf.get(edge.server)?.get(edge.port)?.size ?? 0;
    if (media.has(edge.server) ? peers < minPorts : media.has(edge.client) && peers === 1) flags[index] = 1;
  });
  return flags;
}

/** The edges without those on negotiated ports (in their order), and the hosts at either end of those (media-hosts.ts), from one pass. */
export function separateNegotiated(edges: readonly ProfileEdge[], options: { readonly minPorts?: number } = {}): { edges: ProfileEdge[]; hosts: Set<string> } {
  const negotiated = negotiatedEdges(edges, options);
  const kept: ProfileEdge[] = [];
  const hosts = new Set<string>();
  edges.forEach((edge, index) => {
    if (negotiated[index] === 0) {
      kept.push(edge);
      return;
    }
    hosts.add(edge.client);
    hosts.add(edge.server);
  });
  return { edges: kept, hosts };
}

/** The hosts at either end of media on negotiated ports (media-hosts.ts). */
export function negotiatedHosts(edges: readonly ProfileEdge[], options: { readonly minPorts?: number } = {}): Set<string> {
  return separateNegotiated(edges, options).hosts;
}

/** The edges without those on negotiated ports, in their order. */
export function withoutNegotiatedPorts(edges: readonly ProfileEdge[], options: { readonly minPorts?: number } = {}): ProfileEdge[] {
  return separateNegotiated(edges, options).edges;
}
