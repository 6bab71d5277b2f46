import { Action } from '../../flow/record';
import { compareText } from '../../util/compare';
import { appendTo, getOrAdd } from '../../util/multimap';
import { type Anomaly, type AnomalyEdge, type AnomalyHost, edgeKey, iso, targetKey } from './types';

export const EXFILTRATION_DEFAULTS = {
  /**
   * Bytes on one edge with an external address, within transferWindowHours,
   * that count as a large transfer: half a gigabyte is far above what
   * browsing, updates or API calls move over one service in a day, and well
   * below a database dump or a file share's contents.
   */
  externalTransferBytes: 500_000_000,
  /**
   * …within this many consecutive hours: a day. Summed over the whole
   * capture instead, the threshold would fall with the capture's length:
   * over two weeks an update server's steady downloads or a nightly sync
   * add up to as much as one dump, which leaves in hours. A day holds any
   * one transfer, however slow the line, and every day's rhythm.
   */
  transferWindowHours: 24,
  /**
   * A relay (NAT gateway, proxy) logs the bytes of the transfers it carries
   * again, give or take the headers it rewrites: carrying all but this share
   * of a host's bytes is carrying them. A host that sends something of its
   * own to a service (other hosts sent less than it did) is no relay, so two
   * hosts that each moved a gigabyte to one address stay two findings.
   */
  relayTolerance: 0.02,
} as const;

export type ExfiltrationOptions = { readonly [K in keyof typeof EXFILTRATION_DEFAULTS]: number };

/**
 * Per edgeKey, the most bytes the service carried within any
 * transferWindowHours (load-discovery-input.ts); a service without an entry
 * counts its whole bytes, as when every record's hour is unknown.
 */
export type TransferPeaks = ReadonlyMap<string, number>;

/**
 * Large transfers between an internal client and an external address. One
 * transfer logged at two interfaces (an instance's, then its NAT gateway's
 * or proxy's with the gateway's own address) is reported once, from the
 * host it came from, naming the relay.
 */
export function findExfiltration(edges: readonly AnomalyEdge[], hosts: ReadonlyMap<string, AnomalyHost>, options: ExfiltrationOptions, peaks: TransferPeaks = new Map()): Anomaly[] {
  const isInternal = (ip: string): boolean => hosts.get(ip)?.internal === true;
  // One service's rows of every action but refused: records of one upload can carry different evidence
  // (a slice whose SYN was seen, later slices without it) and land on rows of their own.
  const transfers = new Map<string, AnomalyEdge[]>();
  for (const edge of edges) {
    if (edge.action === Action.deny || !isInternal(edge.client) || isInternal(edge.server)) continue;
    appendTo(transfers, edgeKey(edge), edge);
  }
  // Each internal host's bytes per outside service ("server|proto|port").
  const outside = new Map<string, Map<string, number>>();
  const large: Transfer[] = [];
  for (const rows of transfers.values()) {
    const edge = rows[0]!;
    const transfer: Transfer = { edge, bytes: 0, flows: 0, first: null, last: null, peak: 0 };
    for (const row of rows) {
      transfer.bytes += row.bytes;
      transfer.flows += row.flows;
      if (row.firstMs !== null && (transfer.first === null || row.firstMs < transfer.first)) transfer.first = row.firstMs;
      if (row.lastMs !== null && (transfer.last === null || row.lastMs > transfer.last)) transfer.last = row.lastMs;
    }
    getOrAdd(outside, edge.client, () => new Map<string, number>()).set(targetKey(edge), transfer.bytes);
    transfer.peak = Math.min(transfer.bytes, peaks.get(edgeKey(edge)) ?? transfer.bytes);
    if (transfer.peak >= options.externalTransferBytes) large.push(transfer);
  }
  // A relay sends nothing outside of its own: other internal hosts sent at least its bytes to
  // each service it used. It relays a host when it carries every byte that host sent outside,
  // to the same services, and more services besides (other hosts' traffic): between a gateway
  // and the one host behind it, flows cannot tell which is which, and both are reported.
  const onTarget = new Map<string, number>();
  for (const services of outside.values()) for (const [target, bytes] of services) onTarget.set(target, (onTarget.get(target) ?? 0) + bytes);
  const close = (carried: number, bytes: number): boolean => carried >= (1 - options.relayTolerance) * bytes;
  const relayHosts = new Map<string, boolean>();
  const isRelay = (host: string): boolean => getOrAdd(relayHosts, host, () => [...outside.get(host)!].every(([target, bytes]) => close(onTarget.get(target)! - bytes, bytes)));
  const relays = (relay: string, host: string): boolean => {
    const mine = outside.get(host)!;
    const theirs = outside.get(relay)!;
    if (relay === host || theirs.size <= mine.size || !isRelay(relay)) return false;
    for (const [target, bytes] of mine) if (!close(theirs.get(target) ?? 0, bytes)) return false;
    return true;
  };
  const relayedBy = new Map<Transfer, Transfer[]>();
  const relayed = new Map<Transfer, number>();
  for (const transfer of large) {
    for (const other of large) {
      if (other.edge.server !== transfer.edge.server || targetKey(other.edge) !== targetKey(transfer.edge) || !relays(other.edge.client, transfer.edge.client)) continue;
      appendTo(relayedBy, transfer, other);
      relayed.set(other, (relayed.get(other) ?? 0) + transfer.bytes);
    }
  }
  const anomalies: Anomaly[] = [];
  for (const transfer of large) {
    // A relay's own share of the service (what its hosts did not send through it) is reported only when large itself.
    if (relayed.has(transfer) && Math.min(transfer.peak, transfer.bytes - relayed.get(transfer)!) < options.externalTransferBytes) continue;
    const { edge, bytes, peak, first, last } = transfer;
    const relays = relayedBy.get(transfer) ?? [];
    const through = relays.map((relay) => relay.edge.client).sort(compareText);
    anomalies.push({
      kind: 'exfiltration',
      src: edge.client,
      dst: edge.server,
      ports: [edge.port],
      flows: transfer.flows,
      reason:
        `${(bytes / 1e6).toFixed(0)} MB exchanged with an external address between ${iso(first)} and ${iso(last)}` +
        (peak < bytes ? `, ${(peak / 1e6).toFixed(0)} MB of it within ${options.transferWindowHours} hours` : '') +
        (through.length > 0 ? `; the same bytes left through ${through.join(', ')}, which carr${through.length === 1 ? 'ies' : 'y'} all of this host's outside traffic and others' (a NAT gateway or proxy)` : ''),
      // The key names the service, whatever the action: one key for all its rows; the relays'
      // copies are the same transfer, kept out of policy with it.
      edges: [edgeKey(edge), ...relays.map((relay) => edgeKey(relay.edge)).sort(compareText)],
    });
  }
  return anomalies;
}

interface Transfer {
  readonly edge: AnomalyEdge;
  bytes: number;
  flows: number;
  first: number | null;
  last: number | null;
  /** Its most bytes within transferWindowHours. */
  peak: number;
}
