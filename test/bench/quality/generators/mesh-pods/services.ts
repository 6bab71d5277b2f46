// How this generator reads a topology file of ../shared/data/topologies
// (schema in its SOURCE.txt), on its own terms:
// - services of tier "client" (load generators) and "external" stand for
//   users outside the cluster; what they call is reached through the cloud
//   load balancer's proxies, not from pods;
// - a callee of tier "external" that pods call (TrainTicket's SMTP relay) is
//   a public address outside the cluster;
// - optional and not-deployed services, and calls marked optional, are left
//   out, as the default manifests leave them out;
// - a call's port is the container port (target_port), what a flow log on
//   the node sees after kube-proxy or the sidecar has forwarded it.
import { readFileSync } from 'node:fs';

export type Proto = 6 | 17;

export interface MeshService {
  readonly name: string;
  readonly tier: string;
  /** Deployment versions (one Deployment each); [''] when the service lists none. */
  readonly versions: readonly string[];
  /** Data-tier services run as StatefulSets (pods named <service>-0, -1…). */
  readonly stateful: boolean;
  /** The ports the service listens on (the first is its main port). */
  readonly ports: readonly number[];
}

export interface MeshCall {
  readonly caller: string;
  readonly callee: string;
  readonly port: number;
  readonly proto: Proto;
  /** Versions of the caller that make the call; empty: every version. */
  readonly callerVersions: readonly string[];
}

export interface MeshApp {
  readonly title: string;
  readonly services: readonly MeshService[];
  readonly calls: readonly MeshCall[];
  /** In-cluster services users reach from outside, with the port. */
  readonly entrances: readonly { readonly service: string; readonly port: number }[];
  /** Calls from pods to services outside the cluster (a public SMTP relay). */
  readonly egress: readonly { readonly caller: string; readonly host: string; readonly port: number; readonly proto: Proto }[];
}

interface FileService {
  name: string;
  tier?: string;
  ports?: number[];
  versions?: string[];
  optional?: boolean;
  not_deployed?: boolean;
}

interface FileEdge {
  from: string;
  to: string;
  port: number;
  target_port?: number;
  proto?: string;
  optional?: boolean;
  only_versions?: string[];
}

const OUTSIDE = new Set(['client', 'external']);

export function readMeshApp(path: string): MeshApp {
  const file = JSON.parse(readFileSync(path, 'utf8')) as { app: string; services: FileService[]; edges: FileEdge[] };
  const present = file.services.filter((service) => service.optional !== true && service.not_deployed !== true);
  const tierOf = new Map(present.map((service) => [service.name, service.tier ?? 'app']));
  const inside = (name: string): boolean => tierOf.has(name) && !OUTSIDE.has(tierOf.get(name)!);
  const outside = (name: string): boolean => tierOf.has(name) && OUTSIDE.has(tierOf.get(name)!);
  const edges = file.edges.filter((edge) => edge.optional !== true && edge.from !== edge.to);
  const containerPort = (edge: FileEdge): number => edge.target_port ?? edge.port;
  const protoOf = (edge: FileEdge): Proto => (edge.proto === 'udp' ? 17 : 6);

  const services: MeshService[] = present
    .filter((service) => inside(service.name))
    .map((service) => {
      const ports = new Set<number>(service.ports ?? []);
      for (const edge of edges) if (edge.to === service.name) ports.add(containerPort(edge));
      const tier = service.tier ?? 'app';
      return { name: service.name, tier, versions: service.versions?.length ? service.versions : [''], stateful: tier === 'data', ports: [...ports] };
    })
    .filter((service) => service.ports.length > 0 || edges.some((edge) => edge.from === service.name));

  const known = new Set(services.map((service) => service.name));
  const calls: MeshCall[] = edges
    .filter((edge) => known.has(edge.from) && known.has(edge.to))
    .map((edge) => ({ caller: edge.from, callee: edge.to, port: containerPort(edge), proto: protoOf(edge), callerVersions: edge.only_versions ?? [] }));
  const entrances = new Map<string, { service: string; port: number }>();
  for (const edge of edges) if (outside(edge.from) && known.has(edge.to)) entrances.set(`${edge.to}:${containerPort(edge)}`, { service: edge.to, port: containerPort(edge) });
  // An edge proxy no pod calls (Bookinfo's ingress gateway) is where users come in.
  for (const service of services) {
    if (service.tier === 'edge' && !calls.some((call) => call.callee === service.name)) entrances.set(`${service.name}:${service.ports[0]}`, { service: service.name, port: service.ports[0]! });
  }
  const egress = edges
    .filter((edge) => known.has(edge.from) && outside(edge.to))
    .map((edge) => ({ caller: edge.from, host: edge.to, port: containerPort(edge), proto: protoOf(edge) }));
  return { title: file.app, services, calls, entrances: [...entrances.values()], egress };
}
