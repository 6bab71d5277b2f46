// `kubectl get pods,replicasets -A -o json` for the pods the analyst was
// given: a List holding Pods and the ReplicaSets that own them (each owned by
// its Deployment), StatefulSet pods owned by their StatefulSet directly.
// Labels follow the Kubernetes recommended labels as Helm charts set them
// (app.kubernetes.io/name, /instance, /version, /component, /part-of), not a
// bare `app`; the infrastructure keeps its own (k8s-app, istio, app).
import type { MeshCluster, MeshPod } from './cluster';
import type { Rng } from './rng';
import { SLOT_MS } from './traffic';

function uid(random: Rng): string {
  const hex = random.hex(32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

export function labelsOf(pod: MeshPod, service: string, tier: string, release: string): Record<string, string> {
  if (pod.role === 'kube-dns') return { 'k8s-app': 'kube-dns' };
  if (pod.role === 'istiod') return { app: 'istiod', istio: 'pilot' };
  if (pod.role === 'prometheus') return { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/component': 'server' };
  return {
    'app.kubernetes.io/name': service,
    'app.kubernetes.io/instance': release,
    'app.kubernetes.io/component': tier,
    'app.kubernetes.io/part-of': release,
    ...(pod.version === '' ? {} : { 'app.kubernetes.io/version': pod.version }),
    'security.istio.io/tlsMode': 'istio',
  };
}

/** `captureStartMs`: pods running from the start were created days before; a rollout's pods when it happened. */
export function podListJson(cluster: MeshCluster, listed: ReadonlyMap<MeshPod, Record<string, string>>, captureStartMs: number, random: Rng): string {
  const stamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const replicaSets = new Map<string, { namespace: string; deployment: string; hash: string; uid: string }>();
  const pods = cluster.pods
    .filter((pod) => listed.has(pod))
    .map((pod) => {
      const node = cluster.nodes[pod.node]!;
      const labels = { ...listed.get(pod)! };
      const createdMs = pod.fromSlot === 0 ? captureStartMs - random.between(1, 40) * 86_400_000 : captureStartMs + pod.fromSlot * SLOT_MS;
      let owner: { apiVersion: string; kind: string; name: string; uid: string };
      if (pod.stateful) {
        owner = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: pod.workload, uid: uid(random) };
        labels['statefulset.kubernetes.io/pod-name'] = pod.name;
      } else {
        const name = `${pod.workload}-${pod.templateHash}`;
        let replicaSet = replicaSets.get(`${pod.namespace}/${name}`);
        if (replicaSet === undefined) replicaSets.set(`${pod.namespace}/${name}`, (replicaSet = { namespace: pod.namespace, deployment: pod.workload, hash: pod.templateHash, uid: uid(random) }));
        owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: replicaSet.uid };
        labels['pod-template-hash'] = pod.templateHash;
      }
      return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          creationTimestamp: stamp(createdMs),
          ...(pod.stateful ? {} : { generateName: `${pod.workload}-${pod.templateHash}-` }),
          labels,
          name: pod.name,
          namespace: pod.namespace,
          ownerReferences: [{ ...owner, blockOwnerDeletion: true, controller: true }],
          uid: uid(random),
        },
        spec: { containers: [{ name: pod.service, image: `europe-docker.pkg.dev/shop-prod-4471/apps/${pod.service}:${pod.version || '1.4.2'}` }, ...(pod.sidecar ? [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.22.3' }] : [])], nodeName: node.name },
        status: { hostIP: node.ip, phase: 'Running', podIP: pod.ip, podIPs: [{ ip: pod.ip }], startTime: stamp(createdMs) },
      };
    });
  const sets = [...replicaSets.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([, set]) => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${set.deployment}-${set.hash}`, namespace: set.namespace, uid: set.uid, labels: { 'pod-template-hash': set.hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: set.deployment, uid: uid(random), controller: true, blockOwnerDeletion: true }] },
  }));
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...pods, ...sets], metadata: { resourceVersion: '' } })}\n`;
}
