import { Action } from '../../flow/record';
import { type Anomaly, type AnomalyEdge, type AnomalyHost, edgeKey, iso } from './types';

export const EXFILTRATION_DEFAULTS = {
  /**
   * Bytes on one edge with an external address that count as a large
   * transfer: half a gigabyte is far above what browsing, updates or API
   * calls move over one service in a capture's span, and well below a
   * database dump or a file share's contents.
   */
  externalTransferBytes: 500_000_000,
} as const;

export type ExfiltrationOptions = { readonly [K in keyof typeof EXFILTRATION_DEFAULTS]: number };

/** Large transfers between an internal client and an external address. */
export function findExfiltration(edges: readonly AnomalyEdge[], hosts: ReadonlyMap<string, AnomalyHost>, options: ExfiltrationOptions): Anomaly[] {
  const isInternal = (ip: string): boolean => hosts.get(ip)?.internal === true;
  const anomalies: Anomaly[] = [];
  for (const edge of edges) {
    if (edge.bytes < options.externalTransferBytes || edge.action === Action.deny || !isInternal(edge.client) || isInternal(edge.server)) continue;
    anomalies.push({
      kind: 'exfiltration',
      src: edge.client,
      dst: edge.server,
      ports: [edge.port],
      flows: edge.flows,
      reason: `${(edge.bytes / 1e6).toFixed(0)} MB exchanged with an external address between ${iso(edge.firstMs)} and ${iso(edge.lastMs)}`,
      edges: [edgeKey(edge)],
    });
  }
  return anomalies;
}
