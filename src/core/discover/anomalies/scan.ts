import { Action } from '../../flow/record';
import { isIcmp } from '../../flow/protocols';
import { type Anomaly, type AnomalyEdge, sortedEdgeKeys, summariseTargets, targetKey } from './types';

export const SCAN_DEFAULTS = {
  /**
   * A scan reaches at least this many (host, port) targets. Ordinary hosts
   * use a handful of services on a handful of servers; twenty distinct
   * targets of which most are refused is more than a misconfigured client
   * retrying one dead service can produce.
   */
  scanTargets: 20,
  /**
   * …of which at least this share were only ever refused. Legitimate
   * traffic is answered almost always; half refused means the source does
   * not know what listens where, which is what probing is.
   */
  scanRefusedShare: 0.5,
  /**
   * Answered targets first reached within this long of the refused probes
   * belong to the scan (the open ports it found); what the source used
   * before or after is its usual traffic. An hour covers the gaps of a
   * slow (rate-limited) scan without reaching into a working day's routine.
   */
  scanContextMs: 3_600_000,
  /**
   * Where a record says nothing of refusals (GCP's VPC flow logs, flow
   * exports without TCP flags), a TCP target whose flows average at most
   * this many bytes, both ways, carried no data: a SYN and its reset are
   * about 100 bytes of headers, and 0 where the record counts payload only
   * (GCP's bytes_sent). A request and its answer add their payload to at
   * least eight packets of headers (about 430 bytes; a one-way capture of a
   * request alone, 300 and more), and in a payload count even a bare HTTP
   * request line and its status line pass 120. A connect scan's answered
   * handshakes (about 210 bytes) count as answered: its refused probes are
   * most of any sweep.
   */
  scanHandshakeBytes: 120,
  /**
   * …reached by at most this many flows: a probe tries a target once or
   * twice, while a TCP health check (a connect and a reset, no data either)
   * comes back every few seconds all capture long.
   */
  scanProbeFlows: 3,
} as const;

export type ScanOptions = { readonly [K in keyof typeof SCAN_DEFAULTS]: number };

/**
 * Many (host, port) targets of one source, mostly refused; null when not. `edges` are the source's own.
 * `soleCounterpart(ip)` is the one address `ip` ever exchanged traffic with, or null when it has several.
 */
export function findScan(source: string, edges: readonly AnomalyEdge[], options: ScanOptions, soleCounterpart: (ip: string) => string | null): Anomaly | null {
  // An edge is per action: a target both allowed and refused counts once, as answered.
  // Keys once per edge, and plain loops: a sweep brings hundreds of thousands.
  const keys = edges.map(targetKey);
  const targets = new Set(keys);
  if (targets.size < options.scanTargets) return null;
  const answered = new Set<string>();
  for (let i = 0; i < edges.length; i++) {
    const edge = edges[i]!;
    if (edge.action !== Action.deny && !isDarkEcho(edge, source, soleCounterpart) && !isBareHandshake(edge, options)) answered.add(keys[i]!);
  }
  const share = (targets.size - answered.size) / targets.size;
  if (share < options.scanRefusedShare) return null;
  // The scan is the refused probes and whatever answered while they ran.
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < edges.length; i++) {
    const ms = edges[i]!.firstMs;
    if (ms === null || answered.has(keys[i]!)) continue;
    if (ms < first) first = ms;
    if (ms > last) last = ms;
  }
  const from = first === Infinity ? -Infinity : first - options.scanContextMs;
  const to = first === Infinity ? Infinity : last + options.scanContextMs;
  const probes: AnomalyEdge[] = [];
  const probed = new Set<string>();
  for (let i = 0; i < edges.length; i++) {
    const edge = edges[i]!;
    if (answered.has(keys[i]!) && !(edge.firstMs !== null && edge.firstMs >= from && edge.firstMs <= to)) continue;
    probes.push(edge);
    probed.add(keys[i]!);
  }
  const { dst, ports, flows } = summariseTargets(probes);
  const servers = new Set(probes.map((edge) => edge.server)).size;
  return {
    kind: 'scan',
    src: source,
    dst,
    ports,
    flows,
    reason: `probed ${probed.size} (host, port) targets on ${servers} hosts and ${ports.length} ports; ${Math.round(share * 100)}% of all its targets only ever refused or unanswered`,
    edges: sortedEdgeKeys(probes),
  };
}

/**
 * A TCP probe in a record with no verdict: a few flows that carried no data
 * (scanHandshakeBytes). Only where the record says nothing of refusals: a
 * verdict (allowed, or flags that showed an answer) is the record's word.
 */
export function isBareHandshake(edge: AnomalyEdge, options: Pick<ScanOptions, 'scanHandshakeBytes' | 'scanProbeFlows'>): boolean {
  return edge.proto === 6 && edge.flows > 0 && isBareProbe(edge, options);
}

/**
 * A probe of any protocol in a record with no verdict: at most
 * scanProbeFlows flows of at most scanHandshakeBytes each (a SYN and its
 * reset, an echo or a datagram no record says was answered).
 */
export function isBareProbe(edge: AnomalyEdge, options: Pick<ScanOptions, 'scanHandshakeBytes' | 'scanProbeFlows'>): boolean {
  return edge.action === Action.unknown && edge.flows <= options.scanProbeFlows && edge.bytes <= options.scanHandshakeBytes * edge.flows;
}

/**
 * An ICMP target that never exchanged anything with anyone but this source:
 * an address a ping sweep found empty. Flow records rarely say whether an
 * echo was answered (a reply is its own record, type 0 looks like no type at
 * all), but a live host talks to someone else too, if only to resolve a name.
 */
function isDarkEcho(edge: AnomalyEdge, source: string, soleCounterpart: (ip: string) => string | null): boolean {
  return isIcmp(edge.proto) && edge.action === Action.unknown && soleCounterpart(edge.server) === source;
}
