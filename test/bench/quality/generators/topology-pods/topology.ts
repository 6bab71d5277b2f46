// Reads one topology file of ../shared/data/topologies (schema in its
// SOURCE.txt) into what this generator deploys: the services that run as pods,
// the callers from outside the cluster, and the service-to-service calls on the
// port a pod-level capture sees (the container port, after kube-proxy's DNAT).
import { readFileSync } from 'node:fs';

interface RawService {
  readonly name: string;
  readonly ports?: readonly number[];
  readonly tier?: string;
  readonly versions?: readonly string[];
  readonly optional?: boolean;
  readonly not_deployed?: boolean;
}

interface RawEdge {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly target_port?: number;
  readonly proto?: string;
  readonly optional?: boolean;
  readonly only_versions?: readonly string[];
}

export interface TopoService {
  readonly name: string;
  readonly tier: string;
  /** Container ports, with the protocol the calls use (TCP unless a call says UDP). */
  readonly ports: readonly { readonly port: number; readonly proto: 6 | 17 }[];
  /** Versions, one Deployment each; [null] when none are listed. */
  readonly versions: readonly (string | null)[];
}

export interface TopoCall {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly proto: 6 | 17;
  /** Only these versions of the caller make the call (null: all). */
  readonly onlyVersions: readonly string[] | null;
}

export interface Topology {
  readonly app: string;
  /** Services that run in the cluster as pods (load generators included). */
  readonly services: readonly TopoService[];
  /** Calls between pods. */
  readonly calls: readonly TopoCall[];
  /** Services users outside the cluster call, with the port. */
  readonly entries: readonly { readonly service: string; readonly port: number; readonly proto: 6 | 17 }[];
}

/** Tiers that stand for traffic from outside the cluster rather than pods. */
const OUTSIDE_TIERS = new Set(['external']);

export function readTopology(path: string): Topology {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { app: string; services: RawService[]; edges: RawEdge[] };
  // Optional parts (bookinfo's databases) are not deployed by the default manifests; neither is what says so.
  const deployed = raw.services.filter((service) => service.optional !== true && service.not_deployed !== true);
  const outside = new Set(deployed.filter((service) => OUTSIDE_TIERS.has(service.tier ?? '')).map((service) => service.name));
  const inCluster = deployed.filter((service) => !outside.has(service.name));
  const names = new Set(inCluster.map((service) => service.name));
  const protoOf = (edge: RawEdge): 6 | 17 => (edge.proto === 'udp' ? 17 : 6);
  const portOf = (edge: RawEdge): number => edge.target_port ?? edge.port;
  const usable = raw.edges.filter((edge) => edge.optional !== true && names.has(edge.to) && (names.has(edge.from) || outside.has(edge.from)));
  const udpPorts = new Set(usable.filter((edge) => protoOf(edge) === 17).map((edge) => `${edge.to}|${portOf(edge)}`));
  const services: TopoService[] = inCluster.map((service) => ({
    name: service.name,
    tier: service.tier ?? 'app',
    ports: (service.ports ?? []).map((port) => ({ port, proto: udpPorts.has(`${service.name}|${port}`) ? 17 : 6 })),
    versions: service.versions !== undefined && service.versions.length > 0 ? service.versions : [null],
  }));
  const calls: TopoCall[] = usable
    .filter((edge) => names.has(edge.from) && edge.from !== edge.to)
    .map((edge) => ({ from: edge.from, to: edge.to, port: portOf(edge), proto: protoOf(edge), onlyVersions: edge.only_versions ?? null }));
  const entries = new Map<string, { service: string; port: number; proto: 6 | 17 }>();
  const entryOf = (service: string, port: number, proto: 6 | 17): void => {
    entries.set(`${service}|${port}|${proto}`, { service, port, proto });
  };
  // Outside users reach what the topology says the internet or its load generator reaches…
  const clientTier = new Set(inCluster.filter((service) => service.tier === 'client').map((service) => service.name));
  for (const edge of usable) if (outside.has(edge.from) || clientTier.has(edge.from)) entryOf(edge.to, portOf(edge), protoOf(edge));
  // …and edge proxies (an ingress gateway) nothing inside calls.
  const called = new Set(usable.map((edge) => edge.to));
  for (const service of services) if (service.tier === 'edge' && !called.has(service.name) && service.ports[0] !== undefined) entryOf(service.name, service.ports[0].port, service.ports[0].proto);
  if (entries.size === 0) for (const service of services) if (service.tier === 'web' && service.ports[0] !== undefined) entryOf(service.name, service.ports[0].port, service.ports[0].proto);
  return { app: raw.app, services, calls, entries: [...entries.values()] };
}
