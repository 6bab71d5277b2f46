import { Action } from '../../flow/record';
import { getOrAdd, groupBy } from '../../util/multimap';
import { baselineEnd, type CaptureOptions, type CaptureWindow } from './capture-window';
import { type Anomaly, type AnomalyEdge, type AnomalyHost, iso, sortedEdgeKeys, summariseTargets } from './types';

export const NEW_EXTERNAL_DEFAULTS = {
  /**
   * A host that had reached at least this many outside addresses by the
   * end of the baseline meets new ones as a matter of course: its job or
   * its user picks them (a web proxy, a mail relay, a desk browsing
   * directly), and every day brings more. A server's outside peers are the
   * APIs, update mirrors and partners it was built to use, a handful; twenty
   * is well above that and far below a day of a proxy's destinations.
   */
  newExternalWideReach: 20,
} as const;

/** The baseline (CAPTURE_DEFAULTS) and NEW_EXTERNAL_DEFAULTS. */
export type NewExternalOptions = CaptureOptions & { readonly [K in keyof typeof NEW_EXTERNAL_DEFAULTS]: number };

/**
 * External addresses first contacted after the baseline, by one internal
 * host only, one that was already active during the baseline (for a host
 * or a capture that starts late, every destination is new) and had not
 * already reached many outside addresses in it (NEW_EXTERNAL_DEFAULTS).
 */
export function findNewExternal(edges: readonly AnomalyEdge[], hosts: ReadonlyMap<string, AnomalyHost>, window: CaptureWindow | null, options: NewExternalOptions): Anomaly[] {
  if (window === null) return [];
  const isInternal = (ip: string): boolean => hosts.get(ip)?.internal === true;
  const baseline = baselineEnd(window, options.baselineShare);
  const outbound = edges.filter((edge) => isInternal(edge.client) && !isInternal(edge.server) && edge.action !== Action.deny);
  const reachedEarly = new Map<string, Set<string>>();
  for (const edge of outbound) if (edge.firstMs !== null && edge.firstMs <= baseline) getOrAdd(reachedEarly, edge.client, () => new Set<string>()).add(edge.server);
  const anomalies: Anomaly[] = [];
  for (const [destination, reaching] of groupBy(outbound, (edge) => edge.server)) {
    const client = reaching[0]!.client;
    if (reaching.some((edge) => edge.client !== client)) continue;
    let first = Infinity;
    for (const edge of reaching) if (edge.firstMs !== null && edge.firstMs < first) first = edge.firstMs;
    const since = window.activeSince.get(client) ?? null;
    // A destination with no time on any edge cannot be placed after the baseline.
    if (first === Infinity || !(first > baseline) || since === null || !(since <= baseline)) continue;
    if ((reachedEarly.get(client)?.size ?? 0) >= options.newExternalWideReach) continue;
    const { ports, flows } = summariseTargets(reaching);
    anomalies.push({
      kind: 'new-external',
      src: client,
      dst: destination,
      ports,
      flows,
      reason: `external address first contacted at ${iso(first)}, after the baseline ending ${iso(baseline)}, by this host only (active since ${iso(since)})`,
      edges: sortedEdgeKeys(reaching),
    });
  }
  return anomalies;
}
