// `kubectl get pods -A -o json` for the pods whose workloads carry labels, in
// the shape of ../shared/data/samples/k8s-podlists-troubleshoot (PodList,
// metadata with generateName, labels, ownerReferences to the ReplicaSet,
// spec.nodeName and containers, status with podIP/podIPs and hostIP).
import type { Cluster, Pod } from './cluster';
import type { Prng } from './random';

export interface PodLabels {
  /** The labels a pod carries (pod-template-hash is added for every listed pod). */
  readonly labels: Readonly<Record<string, string>>;
}

function uuid(random: Prng): string {
  const hex = random.text('0123456789abcdef', 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function podListJson(cluster: Cluster, listed: ReadonlyMap<Pod, Readonly<Record<string, string>>>, createdMs: number, random: Prng): string {
  const created = new Date(createdMs).toISOString().replace(/\.\d+Z$/, 'Z');
  const items = cluster.pods
    .filter((pod) => listed.has(pod))
    .map((pod) => {
      const node = cluster.nodes[pod.node]!;
      const replicaSet = `${pod.deployment}-${pod.templateHash}`;
      return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          creationTimestamp: created,
          generateName: `${replicaSet}-`,
          labels: { ...listed.get(pod), 'pod-template-hash': pod.templateHash },
          name: pod.name,
          namespace: pod.namespace,
          ownerReferences: [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'ReplicaSet', name: replicaSet, uid: uuid(random) }],
          resourceVersion: String(random.int(1000, 999_999)),
          uid: uuid(random),
        },
        spec: {
          containers: [{ image: `registry.example/${pod.deployment}:1.0`, imagePullPolicy: 'IfNotPresent', name: pod.service, resources: {} }],
          dnsPolicy: 'ClusterFirst',
          nodeName: node.name,
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          serviceAccountName: 'default',
        },
        status: {
          conditions: [{ lastProbeTime: null, lastTransitionTime: created, status: 'True', type: 'Ready' }],
          hostIP: node.ip,
          phase: 'Running',
          podIP: pod.ip,
          podIPs: [{ ip: pod.ip }],
          qosClass: 'BestEffort',
          startTime: created,
        },
      };
    });
  return `${JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, null, 4)}\n`;
}
