import type { PolicyEdge } from './policy-input';

/**
 * Which outside ends of the edges are named "any outside address" rather
 * than their own network (external-networks.ts): the clients of a host's
 * service that is public (used from at least `minNetworks` outside
 * networks: a web shop's customers) and the servers of a host's use that is
 * open (on at least `minNetworks` of them: a proxy's destinations). Either
 * way the next peer comes from a network no capture has seen, so a rule per
 * network would block tomorrow's traffic. Decided per internal host and
 * service, whatever the grouping, so a regrouping never changes it.
 */
export function widenedOutsideEnds(
  edges: readonly Pick<PolicyEdge, 'client' | 'server' | 'proto' | 'port'>[],
  isOutside: (ip: string) => boolean,
  networkOf: (ip: string) => string,
  minNetworks: number,
): Map<number, 'client' | 'server'> {
  const networks = new Map<string, Set<string>>();
  const keys: (string | null)[] = edges.map((edge) => {
    const outsideClient = isOutside(edge.client);
    const outsideServer = isOutside(edge.server);
    if (outsideClient === outsideServer) return null;
    const key = outsideClient ? `s|${edge.server}|${edge.proto}|${edge.port}` : `c|${edge.client}|${edge.proto}|${edge.port}`;
    let seen = networks.get(key);
    if (seen === undefined) networks.set(key, (seen = new Set()));
    seen.add(networkOf(outsideClient ? edge.client : edge.server));
    return key;
  });
  const widened = new Map<number, 'client' | 'server'>();
  keys.forEach((key, number) => {
    if (key !== null && networks.get(key)!.size >= minNetworks) widened.set(number, key.startsWith('s|') ? 'client' : 'server');
  });
  return widened;
}
