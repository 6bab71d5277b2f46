import { Action } from '../../flow/record';
import { compareText } from '../../util/compare';

export type AnomalyKind = 'scan' | 'lateral-movement' | 'exfiltration' | 'cross-environment' | 'new-external';

export interface AnomalyEdge {
  readonly client: string;
  readonly server: string;
  readonly proto: number;
  readonly port: number;
  /** 0 unknown, 1 allow, 2 deny (Action). */
  readonly action: number;
  readonly flows: number;
  readonly bytes: number;
  readonly firstMs: number | null;
  readonly lastMs: number | null;
}

export interface AnomalyHost {
  readonly internal: boolean;
  /** The environment label (enrich/label-keys.ts), if any. */
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

/** A (server, proto, port) target of one source, across its action rows. */
export const targetKey = (edge: Pick<AnomalyEdge, 'server' | 'proto' | 'port'>): string => `${edge.server}|${edge.proto}|${edge.port}`;

export const iso = (ms: number | null): string => (ms === null ? 'an unknown time' : new Date(ms).toISOString());

/** "3 h 10 min", "25 min". */
export function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${rest} min`;
}

/** Destination (one host, or "n hosts"), ports and flows of some edges. Loops, not spreads: a sweep has hundreds of thousands. */
export function summariseTargets(edges: readonly AnomalyEdge[]): { dst: string; ports: number[]; flows: number } {
  const servers = new Set<string>();
  const ports = new Set<number>();
  let flows = 0;
  for (const edge of edges) {
    servers.add(edge.server);
    ports.add(edge.port);
    flows += edge.flows;
  }
  const dst = servers.size === 1 ? servers.values().next().value! : `${servers.size} hosts`;
  return { dst, ports: [...ports].sort((a, b) => a - b), flows };
}

/**
 * A cross-environment anomaly for one client→server pair's edges: the
 * reason text is the detector's own, told whether every attempt was refused.
 */
export function crossingAnomaly(pair: readonly AnomalyEdge[], reason: (refused: boolean) => string): Anomaly {
  const { ports, flows } = summariseTargets(pair);
  const refused = pair.every((edge) => edge.action === Action.deny);
  return { kind: 'cross-environment', src: pair[0]!.client, dst: pair[0]!.server, ports, flows, reason: reason(refused), edges: sortedEdgeKeys(pair) };
}

/** The sorted edge keys of some edges, each once. */
export const sortedEdgeKeys = (edges: readonly AnomalyEdge[]): string[] => [...new Set(edges.map(edgeKey))].sort(compareText);
