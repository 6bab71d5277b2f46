import { Action } from '../../flow/record';
import { appendTo } from '../../util/multimap';
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
  // One service's rows of every action but refused: records of one upload can carry different evidence
  // (a slice whose SYN was seen, later slices without it) and land on rows of their own.
  const transfers = new Map<string, AnomalyEdge[]>();
  for (const edge of edges) {
    if (edge.action === Action.deny || !isInternal(edge.client) || isInternal(edge.server)) continue;
    appendTo(transfers, `${edge.client}|${edge.server}|${edge.proto}|${edge.port}`, edge);
  }
  const anomalies: Anomaly[] = [];
  for (const rows of transfers.values()) {
    let bytes = 0;
    let flows = 0;
    let first: number | null = null;
    let last: number | null = null;
    for (const row of rows) {
      bytes += row.bytes;
      flows += row.flows;
      if (row.firstMs !== null && (first === null || row.firstMs < first)) first = row.firstMs;
      if (row.lastMs !== null && (last === null || row.lastMs > last)) last = row.lastMs;
    }
    if (bytes < options.externalTransferBytes) continue;
    const edge = rows[0]!;
    anomalies.push({
      kind: 'exfiltration',
      src: edge.client,
      dst: edge.server,
      ports: [edge.port],
      flows,
      reason: `${(bytes / 1e6).toFixed(0)} MB exchanged with an external address between ${iso(first)} and ${iso(last)}`,
      // The key names the service, whatever the action: one key for all its rows.
      edges: [edgeKey(edge)],
    });
  }
  return anomalies;
}
