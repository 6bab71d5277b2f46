// The cluster the application runs on: worker VMs in one subnet, each handed
// a /24 of the pod range (so a /24 holds whatever the scheduler put on that
// node, not one service), pods numbered from .2 in the order they were
// scheduled, the mesh's control plane (istiod), Prometheus and kube-dns, and
// a rollout during the capture that replaces one or two Deployments' pods
// with new ones at new addresses.
import type { MeshApp } from './services';
import type { Rng } from './rng';

export type PodRole = 'app' | 'istiod' | 'prometheus' | 'kube-dns';

export interface MeshPod {
  readonly ip: string;
  readonly name: string;
  readonly namespace: string;
  readonly service: string;
  readonly version: string;
  /** Deployment or StatefulSet name. */
  readonly workload: string;
  readonly stateful: boolean;
  /** The ReplicaSet's pod-template-hash ('' for StatefulSet pods). */
  readonly templateHash: string;
  readonly role: PodRole;
  readonly node: number;
  /** Alive in [fromSlot, untilSlot) of the capture's aggregation intervals. */
  readonly fromSlot: number;
  readonly untilSlot: number;
  /** An Envoy sidecar (application pods): it keeps a connection to istiod and is scraped on 15020. */
  readonly sidecar: boolean;
}

export interface MeshNode {
  readonly name: string;
  readonly ip: string;
  readonly podPrefix: string;
}

export interface MeshCluster {
  readonly nodes: readonly MeshNode[];
  readonly pods: readonly MeshPod[];
  /** Replicas alive in a slot, per service (or infra role). */
  alive(service: string, slot: number): readonly MeshPod[];
  readonly rollouts: readonly { readonly workload: string; readonly slot: number }[];
}

export function buildCluster(app: MeshApp, slots: number, random: Rng): MeshCluster {
  const nodeCount = random.between(3, 7);
  const blocks = random.permute(Array.from({ length: 32 }, (_, index) => index)).slice(0, nodeCount);
  const nodes: MeshNode[] = blocks.map((block, index) => ({
    name: `mesh-worker-${random.hex(4)}-${index}`,
    ip: `10.128.0.${10 + index}`,
    podPrefix: `10.52.${block}`,
  }));
  const nextHost = nodes.map(() => 2);
  const podsOnNode = nodes.map(() => 0);

  interface Wanted {
    service: string;
    version: string;
    workload: string;
    stateful: boolean;
    role: PodRole;
    namespace: string;
    replicas: number;
  }
  const entrances = new Set(app.entrances.map((entrance) => entrance.service));
  const wanted: Wanted[] = [];
  for (const service of app.services) {
    for (const version of service.versions) {
      // Mostly one replica, as small deployments run; entrances always more than one.
      const roll = random.float();
      const replicas = service.stateful ? (roll < 0.8 ? 1 : 2) : entrances.has(service.name) ? random.between(2, 3) : roll < 0.55 ? 1 : roll < 0.85 ? 2 : 3;
      const workload = version === '' ? service.name : `${service.name}-${version}`;
      wanted.push({ service: service.name, version, workload, stateful: service.stateful, role: 'app', namespace: 'shop', replicas });
    }
  }
  wanted.push({ service: 'istiod', version: '', workload: 'istiod', stateful: false, role: 'istiod', namespace: 'istio-system', replicas: random.between(1, 2) });
  wanted.push({ service: 'prometheus', version: '', workload: 'prometheus-server', stateful: true, role: 'prometheus', namespace: 'monitoring', replicas: 1 });
  wanted.push({ service: 'kube-dns', version: '', workload: 'kube-dns', stateful: false, role: 'kube-dns', namespace: 'kube-system', replicas: 2 });

  const pods: MeshPod[] = [];
  const place = (want: Wanted, hash: string, ordinal: number, fromSlot: number, untilSlot: number): void => {
    // The scheduler spreads: the node with the fewest pods, the lower index on a tie.
    let node = 0;
    for (let index = 1; index < nodes.length; index++) if (podsOnNode[index]! < podsOnNode[node]!) node = index;
    podsOnNode[node]!++;
    const ip = `${nodes[node]!.podPrefix}.${nextHost[node]!++}`;
    const name = want.stateful ? `${want.workload}-${ordinal}` : `${want.workload}-${hash}-${random.podSuffix(5)}`;
    pods.push({ ip, name, namespace: want.namespace, service: want.service, version: want.version, workload: want.workload, stateful: want.stateful, templateHash: want.stateful ? '' : hash, role: want.role, node, fromSlot, untilSlot, sidecar: want.role === 'app' });
  };
  const order = random.permute(wanted.flatMap((want) => Array.from({ length: want.replicas }, (_, ordinal) => ({ want, ordinal }))));
  const hashes = new Map(wanted.map((want) => [want.workload, random.podSuffix(9)]));

  // A rollout replaces every pod of one or two stateless application Deployments at one moment.
  const rollable = wanted.filter((want) => want.role === 'app' && !want.stateful);
  const rolled = new Map<string, number>();
  for (const want of random.permute(rollable).slice(0, Math.min(rollable.length, random.between(1, 2)))) {
    rolled.set(want.workload, random.between(Math.floor(slots * 0.1), Math.floor(slots * 0.45)));
  }
  for (const { want, ordinal } of order) place(want, hashes.get(want.workload)!, ordinal, 0, rolled.get(want.workload) ?? slots);
  for (const [workload, slot] of [...rolled].sort((a, b) => a[1] - b[1])) {
    const want = wanted.find((candidate) => candidate.workload === workload)!;
    const hash = random.podSuffix(9);
    for (let ordinal = 0; ordinal < want.replicas; ordinal++) place(want, hash, ordinal, slot, slots);
  }

  const byService = new Map<string, MeshPod[]>();
  for (const pod of pods) {
    const list = byService.get(pod.service) ?? [];
    list.push(pod);
    byService.set(pod.service, list);
  }
  return {
    nodes,
    pods,
    alive: (service, slot) => (byService.get(service) ?? []).filter((pod) => pod.fromSlot <= slot && slot < pod.untilSlot),
    rollouts: [...rolled].map(([workload, slot]) => ({ workload, slot })),
  };
}
