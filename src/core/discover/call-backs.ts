import { HOST_FEATURE_DEFAULTS, type ProfileEdge } from './host-features';

/**
 * Call-backs: an edge that runs against a far busier edge between the same
 * two hosts. A PLC re-opens the connection to the I/O adapter that streams
 * to it all day; an antivirus console wakes up the agents that report to it
 * every hour; a domain controller calls back a member that queries it all
 * day. The call-back says who manages whom, which the busy edge already
 * says; what it adds to profiles is chance (which PLC lost its connection
 * in the window, which station was awake for the wake-up), and it parts
 * hosts that do the same work. Its ends give their hosts no feature; rules
 * still come from every edge.
 *
 * Whether an edge is a call-back, at HOST_FEATURE_DEFAULTS.callBackRatio.
 * Edges of unknown count are neither call-backs nor evidence against
 * another.
 */
export function callBackEdges(edges: readonly ProfileEdge[], ratio: number = HOST_FEATURE_DEFAULTS.callBackRatio): (edge: ProfileEdge) => boolean {
  // Per "client|server": the connections of its busiest edge.
  const busiest = new Map<string, number>();
  for (const edge of edges) {
    if (edge.flows === undefined || edge.client === edge.server) continue;
    const key = `${edge.client}|${edge.server}`;
    busiest.set(key, Math.max(busiest.get(key) ?? 0, edge.flows));
  }
  return (edge) => edge.flows !== undefined && edge.client !== edge.server && (busiest.get(`${edge.server}|${edge.client}`) ?? 0) >= ratio * Math.max(1, edge.flows);
}
