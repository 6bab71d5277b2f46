import { Action } from '../../flow/record';
import { groupBy } from '../../util/multimap';
import { baselineEnd, type CaptureOptions, type CaptureWindow } from './capture-window';
import { type Anomaly, type AnomalyEdge, type AnomalyHost, iso, sortedEdgeKeys, summariseTargets } from './types';

/** Its one threshold is the baseline (CAPTURE_DEFAULTS). */
export type NewExternalOptions = CaptureOptions;

/**
 * External addresses first contacted after the baseline, by one internal
 * host only, one that was already active during the baseline (for a host
 * or a capture that starts late, every destination is new).
 */
export function findNewExternal(edges: readonly AnomalyEdge[], hosts: ReadonlyMap<string, AnomalyHost>, window: CaptureWindow | null, options: NewExternalOptions): Anomaly[] {
  if (window === null) return [];
  const isInternal = (ip: string): boolean => hosts.get(ip)?.internal === true;
  const baseline = baselineEnd(window, options.baselineShare);
  const outbound = edges.filter((edge) => isInternal(edge.client) && !isInternal(edge.server) && edge.action !== Action.deny);
  const anomalies: Anomaly[] = [];
  for (const [destination, reaching] of groupBy(outbound, (edge) => edge.server)) {
    const client = reaching[0]!.client;
    if (reaching.some((edge) => edge.client !== client)) continue;
    let first = Infinity;
    for (const edge of reaching) if (edge.firstMs !== null && edge.firstMs < first) first = edge.firstMs;
    const since = window.activeSince.get(client) ?? null;
    // A destination with no time on any edge cannot be placed after the baseline.
    if (first === Infinity || !(first > baseline) || since === null || !(since <= baseline)) continue;
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
