import { compareText } from '../util/compare';
import { groupBy } from '../util/multimap';
import { ADMIN_SERVICES } from '../flow/admin-services';
import { Action } from '../flow/record';

/**
 * Traffic that must not be blessed into policy: scans, bursts of lateral
 * movement over admin services, large transfers to external addresses,
 * crossings between environments, and external destinations first seen
 * late in the window. Each anomaly names its kind, source, destination,
 * ports, flows and a reason with the evidence; its edges are flagged so
 * policy leaves them out until an analyst accepts them.
 */
export const ANOMALY_DEFAULTS = {
  /** A scan reaches at least this many (host, port) targets… */
  scanTargets: 20,
  /** …of which at least this share were refused. */
  scanRefusedShare: 0.5,
  /** TCP ports of remote administration and remote execution (flow/admin-services.ts). */
  adminPorts: ADMIN_SERVICES.filter((service) => service.proto === 6).map((service) => service.port),
  /** Lateral fan-out: at least this many admin targets first reached within burstMs… */
  lateralTargets: 5,
  lateralBurstMs: 3_600_000,
  /** …making up at least this share of all the admin targets the source ever reached (an admin's jump host reaches them all the time). */
  lateralNewShare: 0.6,
  /** Bytes on one edge to an external address that count as a large transfer. */
  externalTransferBytes: 500_000_000,
  /** External destinations first seen after this share of the window, by one internal host that was active before. */
  baselineShare: 0.2,
  /** Environment values every environment may use (not a crossing). */
  sharedEnvironments: ['shared', 'corp', 'common', 'infra', 'infrastructure', 'global', 'mgmt', 'management'],
} as const;

export type AnomalyKind = 'scan' | 'lateral-movement' | 'exfiltration' | 'cross-environment' | 'new-external';

export interface AnomalyEdge {
  readonly client: string;
  readonly server: string;
  readonly proto: number;
  readonly port: number;
  /** 0 unknown, 1 allow, 2 deny. */
  readonly action: number;
  readonly flows: number;
  readonly bytes: number;
  readonly firstMs: number | null;
  readonly lastMs: number | null;
}

export interface AnomalyHost {
  readonly internal: boolean;
  /** The environment label (env / environment), if any. */
  readonly env: string | null;
}

export interface Anomaly {
  readonly kind: AnomalyKind;
  readonly src: string;
  /** The destination, or a summary ("27 hosts") when there are several. */
  readonly dst: string;
  readonly ports: readonly number[];
  readonly flows: number;
  readonly reason: string;
  /** The edges behind it, as "client|server|proto|port". */
  readonly edges: readonly string[];
}

/** An edge's identity across its action rows: "client|server|proto|port" (flagged_edges and policy use the same). */
export const edgeKey = (edge: Pick<AnomalyEdge, 'client' | 'server' | 'proto' | 'port'>): string => `${edge.client}|${edge.server}|${edge.proto}|${edge.port}`;
const iso = (ms: number | null): string => (ms === null ? 'an unknown time' : new Date(ms).toISOString());

export function findAnomalies(edges: readonly AnomalyEdge[], hosts: ReadonlyMap<string, AnomalyHost>): Anomaly[] {
  const bySource = groupBy(edges, (edge) => edge.client);
  const anomalies: Anomaly[] = [];
  const sources = [...bySource.keys()].sort(compareText);
  for (const source of sources) {
    const own = bySource.get(source)!;
    const scan = scanOf(source, own);
    if (scan !== null) anomalies.push(scan);
    // A scanner's answered admin ports are part of its scan, not a separate movement.
    const lateral = scan === null ? lateralOf(source, own) : null;
    if (lateral !== null) anomalies.push(lateral);
  }
  anomalies.push(...externalAnomalies(edges, hosts), ...crossEnvironment(edges, hosts));
  return anomalies.sort((a, b) => compareText(a.kind, b.kind) || compareText(a.src, b.src) || compareText(a.dst, b.dst));
}

function summariseTargets(edges: readonly AnomalyEdge[]): { dst: string; ports: number[]; flows: number } {
  const servers = [...new Set(edges.map((edge) => edge.server))].sort(compareText);
  const ports = [...new Set(edges.map((edge) => edge.port))].sort((a, b) => a - b);
  return { dst: servers.length === 1 ? servers[0]! : `${servers.length} hosts`, ports, flows: edges.reduce((sum, edge) => sum + edge.flows, 0) };
}

/** Many (host, port) targets, mostly refused. */
function scanOf(source: string, edges: readonly AnomalyEdge[]): Anomaly | null {
  // An edge is per action: a target both allowed and refused counts once, as answered.
  const answered = new Set(edges.filter((edge) => edge.action !== Action.deny).map((edge) => `${edge.server}|${edge.proto}|${edge.port}`));
  const targets = new Set(edges.map((edge) => `${edge.server}|${edge.proto}|${edge.port}`));
  if (targets.size < ANOMALY_DEFAULTS.scanTargets) return null;
  const share = (targets.size - answered.size) / targets.size;
  if (share < ANOMALY_DEFAULTS.scanRefusedShare) return null;
  // The scan is the refused probes and whatever answered while they ran; the
  // source's usual traffic, first seen before or after, is not part of it.
  const refused = edges.filter((edge) => !answered.has(`${edge.server}|${edge.proto}|${edge.port}`));
  const times = refused.map((edge) => edge.firstMs).filter((ms): ms is number => ms !== null);
  const from = times.length > 0 ? Math.min(...times) - ANOMALY_DEFAULTS.lateralBurstMs : -Infinity;
  const to = times.length > 0 ? Math.max(...times) + ANOMALY_DEFAULTS.lateralBurstMs : Infinity;
  const probes = edges.filter((edge) => !answered.has(`${edge.server}|${edge.proto}|${edge.port}`) || (edge.firstMs !== null && edge.firstMs >= from && edge.firstMs <= to));
  const { dst, ports, flows } = summariseTargets(probes);
  const servers = new Set(probes.map((edge) => edge.server)).size;
  return {
    kind: 'scan',
    src: source,
    dst,
    ports,
    flows,
    reason: `probed ${new Set(probes.map((edge) => `${edge.server}|${edge.proto}|${edge.port}`)).size} (host, port) targets on ${servers} hosts and ${ports.length} ports; ${Math.round(share * 100)}% of all its targets only ever refused`,
    edges: probes.map(edgeKey).sort(compareText),
  };
}

/** Admin services on many servers, most of them first reached within one burst. */
function lateralOf(source: string, edges: readonly AnomalyEdge[]): Anomaly | null {
  const admin: readonly number[] = ANOMALY_DEFAULTS.adminPorts;
  const targets = edges.filter((edge) => edge.proto === 6 && admin.includes(edge.port) && edge.action !== Action.deny && edge.firstMs !== null);
  const servers = new Set(targets.map((edge) => edge.server));
  if (servers.size < ANOMALY_DEFAULTS.lateralTargets) return null;
  const byFirst = [...targets].sort((a, b) => a.firstMs! - b.firstMs! || compareText(edgeKey(a), edgeKey(b)));
  let best: AnomalyEdge[] = [];
  for (let from = 0, to = 0; from < byFirst.length; from++) {
    while (to < byFirst.length && byFirst[to]!.firstMs! - byFirst[from]!.firstMs! <= ANOMALY_DEFAULTS.lateralBurstMs) to++;
    const window = byFirst.slice(from, to);
    if (new Set(window.map((edge) => edge.server)).size > new Set(best.map((edge) => edge.server)).size) best = window;
  }
  const burstServers = new Set(best.map((edge) => edge.server)).size;
  if (burstServers < ANOMALY_DEFAULTS.lateralTargets || burstServers < ANOMALY_DEFAULTS.lateralNewShare * servers.size) return null;
  const { dst, ports, flows } = summariseTargets(best);
  return {
    kind: 'lateral-movement',
    src: source,
    dst,
    ports,
    flows,
    reason: `first used admin services (${ports.join(', ')}) on ${burstServers} servers within ${Math.round(ANOMALY_DEFAULTS.lateralBurstMs / 60_000)} minutes from ${iso(best[0]!.firstMs)}, out of ${servers.size} it ever reached that way`,
    edges: best.map(edgeKey).sort(compareText),
  };
}

/** Large transfers to, and late first contacts with, external addresses. */
function externalAnomalies(edges: readonly AnomalyEdge[], hosts: ReadonlyMap<string, AnomalyHost>): Anomaly[] {
  const isInternal = (ip: string): boolean => hosts.get(ip)?.internal === true;
  const outbound = edges.filter((edge) => isInternal(edge.client) && !isInternal(edge.server) && edge.action !== Action.deny);
  const anomalies: Anomaly[] = [];
  for (const edge of outbound) {
    if (edge.bytes < ANOMALY_DEFAULTS.externalTransferBytes) continue;
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
  let windowStart = Infinity;
  let windowEnd = -Infinity;
  for (const edge of edges) {
    if (edge.firstMs !== null) windowStart = Math.min(windowStart, edge.firstMs);
    if (edge.lastMs !== null) windowEnd = Math.max(windowEnd, edge.lastMs);
  }
  if (!Number.isFinite(windowStart) || windowEnd <= windowStart) return anomalies;
  const baselineEnd = windowStart + ANOMALY_DEFAULTS.baselineShare * (windowEnd - windowStart);
  // Only hosts already active during the baseline: for a host that appears
  // later (or a capture that starts later) every destination is new.
  const activeSince = new Map<string, number>();
  for (const edge of edges) {
    if (edge.firstMs === null) continue;
    for (const host of [edge.client, edge.server]) activeSince.set(host, Math.min(activeSince.get(host) ?? Infinity, edge.firstMs));
  }
  const byDestination = groupBy(outbound, (edge) => edge.server);
  for (const [destination, reaching] of byDestination) {
    const clients = new Set(reaching.map((edge) => edge.client));
    const first = Math.min(...reaching.map((edge) => edge.firstMs ?? Infinity));
    if (clients.size !== 1 || !(first > baselineEnd) || !((activeSince.get(reaching[0]!.client) ?? Infinity) <= baselineEnd)) continue;
    const { ports, flows } = summariseTargets(reaching);
    anomalies.push({
      kind: 'new-external',
      src: reaching[0]!.client,
      dst: destination,
      ports,
      flows,
      reason: `external address first contacted at ${iso(first)}, after the baseline ending ${iso(baselineEnd)}, by this host only (active since ${iso(activeSince.get(reaching[0]!.client) ?? null)})`,
      edges: reaching.map(edgeKey).sort(compareText),
    });
  }
  return anomalies;
}

/** Edges between hosts labelled with different environments (shared environments excepted). */
function crossEnvironment(edges: readonly AnomalyEdge[], hosts: ReadonlyMap<string, AnomalyHost>): Anomaly[] {
  const shared: readonly string[] = ANOMALY_DEFAULTS.sharedEnvironments;
  const crossing = edges.filter((edge) => {
    const from = hosts.get(edge.client)?.env ?? null;
    const to = hosts.get(edge.server)?.env ?? null;
    return from !== null && to !== null && from !== to && !shared.includes(from.toLowerCase()) && !shared.includes(to.toLowerCase());
  });
  const crossings = groupBy(crossing, (edge) => `${edge.client}|${edge.server}`);
  return [...crossings.values()].map((pair) => {
    const { client, server } = pair[0]!;
    const { ports, flows } = summariseTargets(pair);
    const refused = pair.every((edge) => edge.action === Action.deny);
    return {
      kind: 'cross-environment' as const,
      src: client,
      dst: server,
      ports,
      flows,
      reason: `${hosts.get(client)!.env} host ${refused ? 'tried to reach (refused)' : 'reached'} a ${hosts.get(server)!.env} host`,
      edges: pair.map(edgeKey).sort(compareText),
    };
  });
}
