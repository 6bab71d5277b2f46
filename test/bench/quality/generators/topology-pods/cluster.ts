// The cluster a topology is deployed on: nodes with a pod subnet each
// (10.244.<node>.0/24, as flannel hands them out; the node reaches its pods
// from the bridge address .1), one Deployment per service version with 1–5
// replicas, pods scheduled on random nodes and given addresses in random order,
// plus kube-dns (two CoreDNS pods) and one Prometheus.
import type { Prng } from './random';
import type { Topology } from './topology';

export interface Pod {
  readonly ip: string;
  readonly name: string;
  readonly namespace: string;
  readonly node: number;
  /** The topology service, or "kube-dns" / "prometheus" for the infrastructure. */
  readonly service: string;
  readonly version: string | null;
  /** The Deployment (and its ReplicaSet's template hash). */
  readonly deployment: string;
  readonly templateHash: string;
  readonly infra: boolean;
}

export interface Cluster {
  readonly nodes: readonly { readonly name: string; readonly ip: string; readonly bridge: string }[];
  readonly pods: readonly Pod[];
  readonly podsOf: ReadonlyMap<string, readonly Pod[]>;
  readonly dns: readonly Pod[];
  readonly prometheus: Pod;
  /** The port Prometheus scrapes application pods on (not one the application uses). */
  readonly metricsPort: number;
}

/** Kubernetes' alphabet for generated names (no vowels, no look-alikes). */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const METRICS_PORTS = [9102, 9113, 9464, 15020, 8888, 9779];

export function deployCluster(topology: Topology, random: Prng): Cluster {
  const nodeCount = random.int(3, 6);
  const nodes = Array.from({ length: nodeCount }, (_, index) => ({
    name: `worker-${random.text('abcdefghijklmnopqrstuvwxyz0123456789', 5)}`,
    ip: `172.18.0.${index + 2}`,
    bridge: `10.244.${index}.1`,
  }));
  const used = new Set(topology.services.flatMap((service) => service.ports.map((entry) => entry.port)));
  const metricsPort = random.pick(METRICS_PORTS.filter((port) => !used.has(port)));

  interface Planned { service: string; version: string | null; deployment: string; namespace: string; infra: boolean }
  const planned: Planned[] = [];
  // A DNS-1123 label, as Kubernetes requires of a namespace: no leading or trailing '-', at most 63 characters.
  const namespace = topology.app.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
  for (const service of topology.services) {
    for (const version of service.versions) {
      const replicas = random.int(1, 5);
      const deployment = version === null ? service.name : `${service.name}-${version}`;
      for (let r = 0; r < replicas; r++) planned.push({ service: service.name, version, deployment, namespace, infra: false });
    }
  }
  for (let r = 0; r < 2; r++) planned.push({ service: 'kube-dns', version: null, deployment: 'coredns', namespace: 'kube-system', infra: true });
  planned.push({ service: 'prometheus', version: null, deployment: 'prometheus-server', namespace: 'monitoring', infra: true });

  // Addresses: each node hands out its /24 in a random order; pods are placed in random order.
  const free = nodes.map(() => random.shuffle(Array.from({ length: 252 }, (_, i) => i + 2)));
  const hashes = new Map<string, string>();
  const pods: Pod[] = [];
  for (const plan of random.shuffle(planned)) {
    const node = random.int(0, nodeCount - 1);
    const host = free[node]!.pop();
    if (host === undefined) throw new Error('node out of pod addresses');
    let templateHash = hashes.get(plan.deployment);
    if (templateHash === undefined) {
      templateHash = random.text(NAME_ALPHABET, 10);
      hashes.set(plan.deployment, templateHash);
    }
    pods.push({
      ip: `10.244.${node}.${host}`,
      name: `${plan.deployment}-${templateHash}-${random.text(NAME_ALPHABET, 5)}`,
      namespace: plan.namespace,
      node,
      service: plan.service,
      version: plan.version,
      deployment: plan.deployment,
      templateHash,
      infra: plan.infra,
    });
  }
  const podsOf = new Map<string, Pod[]>();
  for (const pod of pods) {
    const list = podsOf.get(pod.service) ?? [];
    list.push(pod);
    podsOf.set(pod.service, list);
  }
  return { nodes, pods, podsOf, dns: podsOf.get('kube-dns')!, prometheus: podsOf.get('prometheus')![0]!, metricsPort };
}
