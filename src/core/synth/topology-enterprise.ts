import type { Enterprise, ServiceUse, SynthHost } from './enterprise';
import { Random } from '../util/random';

/**
 * A real microservice application (../shared/data/topologies/*.json: its
 * services and known service-to-service calls) deployed as pods, for
 * measuring discovery against ground truth: several replicas per service
 * (one Deployment per version where the topology lists versions), pod
 * addresses handed out in random order across services (as a CNI does, so
 * no CIDR gives a service away), cluster DNS used by every pod, a
 * Prometheus scraping every pod, and outside users calling the entry
 * services. Each pod's `service` is its ground truth.
 */
export interface Topology {
  readonly app: string;
  readonly services: readonly TopologyService[];
  readonly edges: readonly TopologyEdge[];
}

export interface TopologyService {
  readonly name: string;
  readonly ports: readonly number[];
  readonly tier?: string;
  readonly versions?: readonly string[];
  readonly optional?: boolean;
  readonly not_deployed?: boolean;
}

export interface TopologyEdge {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly target_port?: number;
  readonly proto?: string;
  readonly optional?: boolean;
  readonly only_versions?: readonly string[];
}

export interface TopologyDeployment {
  readonly enterprise: Enterprise;
  /** Pods as `kubectl get pods -o json` lists them (labels app, version, pod-template-hash; owner ReplicaSet). */
  readonly podList: string;
  /** Application services (not the added DNS, monitoring and users): the truth discovery is measured on. */
  readonly servicePods: readonly SynthHost[];
}

export const TOPOLOGY_DEFAULTS = {
  replicas: { min: 2, max: 4 },
  /** Calls per hour from each client pod along a known edge. */
  callsPerHour: { min: 10, max: 60 },
  outsideUsers: 6,
} as const;

/** Validates the parts of a topology file this generator reads. */
export function parseTopology(text: string): Topology {
  const value = JSON.parse(text) as Partial<Topology>;
  if (typeof value.app !== 'string' || !Array.isArray(value.services) || !Array.isArray(value.edges)) {
    throw new Error('not a topology: expected "app", "services" and "edges"');
  }
  for (const service of value.services) {
    if (typeof service.name !== 'string' || !Array.isArray(service.ports)) throw new Error(`service without name or ports: ${JSON.stringify(service)}`);
  }
  for (const edge of value.edges) {
    if (typeof edge.from !== 'string' || typeof edge.to !== 'string' || typeof edge.port !== 'number') throw new Error(`edge without from, to or port: ${JSON.stringify(edge)}`);
  }
  return value as Topology;
}

export function deployTopology(topology: Topology, seed: number): TopologyDeployment {
  const random = new Random(seed);
  const deployed = topology.services.filter((service) => service.optional !== true && service.not_deployed !== true && service.tier !== 'external');
  const deployedNames = new Set(deployed.map((service) => service.name));

  interface Pod {
    readonly service: string;
    readonly version: string;
    readonly name: string;
  }
  const pods: Pod[] = [];
  const addPods = (service: string, versions: readonly string[], replicas: number): void => {
    for (const version of versions) {
      const hash = podHash(random);
      for (let r = 0; r < replicas; r++) pods.push({ service, version, name: `${service}-${version}-${hash}-${podHash(random).slice(0, 5)}` });
    }
  };
  for (const service of deployed) {
    const versions = service.versions ?? ['v1'];
    // Versions share the service's load: fewer replicas each.
    const replicas = versions.length > 1 ? 2 : random.int(TOPOLOGY_DEFAULTS.replicas.min, TOPOLOGY_DEFAULTS.replicas.max);
    addPods(service.name, versions, replicas);
  }
  addPods('kube-dns', ['v1'], 2);
  addPods('prometheus', ['v1'], 1);

  // A CNI hands out addresses in the order pods start, which mixes services.
  const addresses = Array.from({ length: pods.length }, (_, i) => i);
  for (let i = addresses.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [addresses[i], addresses[j]] = [addresses[j]!, addresses[i]!];
  }
  const hosts: SynthHost[] = pods.map((pod, i) => ({
    // .0 and .1 of the pod network are the network and its gateway.
    ip: `10.244.${(addresses[i]! + 2) >> 8}.${(addresses[i]! + 2) & 255}`,
    name: pod.name,
    eni: `eni-0pod${String(addresses[i]).padStart(12, '0')}`,
    kind: pod.service === 'kube-dns' || pod.service === 'prometheus' ? 'shared' : 'server',
    os: 'linux',
    app: topology.app,
    service: pod.service,
  }));
  const users: SynthHost[] = Array.from({ length: TOPOLOGY_DEFAULTS.outsideUsers }, (_, i) => ({ ip: `198.51.100.${20 + i}`, name: `user-${i + 1}`, eni: null, kind: 'external', os: 'linux' }));
  const podsOf = (service: string, versions?: readonly string[]): SynthHost[] =>
    hosts.filter((host, i) => host.service === service && (versions === undefined || versions.includes(pods[i]!.version)));

  const uses: ServiceUse[] = [];
  const use = (client: SynthHost, servers: readonly SynthHost[], proto: 6 | 17, port: number, perHour: number): void => {
    const targets = servers.filter((server) => server !== client);
    if (targets.length === 0) return;
    uses.push({ client, servers: targets, proto, port, perHour, pattern: 'steady', persistent: false, requestBytes: 800, responseBytes: 6_000, denied: false });
  };
  const called = new Set<string>();
  for (const edge of topology.edges) {
    if (edge.optional === true || !deployedNames.has(edge.from) || !deployedNames.has(edge.to)) continue;
    called.add(edge.to);
    const rate = random.int(TOPOLOGY_DEFAULTS.callsPerHour.min, TOPOLOGY_DEFAULTS.callsPerHour.max);
    for (const client of podsOf(edge.from, edge.only_versions)) use(client, podsOf(edge.to), edge.proto === 'udp' ? 17 : 6, edge.target_port ?? edge.port, rate);
  }
  for (const service of deployed) {
    // Entry services (nothing inside calls them): reached from outside, like a load balancer's users.
    if (!called.has(service.name) && service.tier !== 'client') for (const user of users) use(user, podsOf(service.name), 6, service.ports[0]!, 20);
  }
  const dns = podsOf('kube-dns');
  const prometheus = podsOf('prometheus')[0]!;
  for (const host of hosts) {
    if (host.service !== 'kube-dns') use(host, dns, 17, 53, 30);
    if (host !== prometheus) use(prometheus, [host], 6, 9090, 4);
  }
  return { enterprise: { hosts: [...hosts, ...users], uses }, podList: podListJson(hosts, pods), servicePods: hosts.filter((host) => host.kind === 'server') };
}

function podHash(random: Random): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let hash = '';
  for (let i = 0; i < 10; i++) hash += alphabet[random.int(0, alphabet.length - 1)];
  return hash;
}

function podListJson(hosts: readonly SynthHost[], pods: readonly { service: string; version: string; name: string }[]): string {
  const items = hosts.map((host, i) => {
    const pod = pods[i]!;
    const replicaSet = pod.name.split('-').slice(0, -1).join('-');
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: pod.name,
        namespace: 'default',
        labels: { app: pod.service, version: pod.version, 'pod-template-hash': replicaSet.split('-').pop() },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: replicaSet, controller: true }],
      },
      status: { phase: 'Running', podIP: host.ip },
    };
  });
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 1)}\n`;
}
