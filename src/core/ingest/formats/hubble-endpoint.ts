import type { ObservedPod } from '../observed-pods';
import { ownerFromPodName } from '../../enrich/pod-names';
import { at, isObject, textOf } from './json-fields';

/**
 * The pod behind one end of a Hubble flow: `source`/`destination` carry
 * namespace, pod_name, labels ("k8s:app=reviews") and, from Hubble 0.11,
 * `workloads` ([{name, kind}]). Only an endpoint with both a namespace and a
 * pod name is a pod at that address: the proxy's upstream leg leaves from
 * the node's address carrying the client's labels but no pod name, and
 * `reserved:` identities (world, host, remote-node) are not pods.
 *
 * Labels keep their Kubernetes keys; Cilium's own (`io.cilium.…`, the
 * namespace's labels and the policy cluster) and `io.kubernetes.…` say
 * where the pod runs, not what it is, and are left out.
 */
export function endpointPod(endpoint: unknown, ip: string): ObservedPod | null {
  if (!isObject(endpoint)) return null;
  const namespace = textOf(endpoint['namespace']);
  const pod = textOf(endpoint['pod_name']);
  if (namespace === undefined || namespace === '' || pod === undefined || pod === '') return null;
  // No prototype: a label keyed "__proto__" is a label like any other.
  const labels: Record<string, string> = Object.create(null) as Record<string, string>;
  const list = endpoint['labels'];
  if (Array.isArray(list)) {
    for (const entry of list) {
      if (typeof entry !== 'string' || !entry.startsWith('k8s:')) continue;
      const equals = entry.indexOf('=');
      const key = entry.slice(4, equals < 0 ? entry.length : equals);
      if (key === '' || key.startsWith('io.cilium.') || key.startsWith('io.kubernetes.')) continue;
      labels[key] = equals < 0 ? '' : entry.slice(equals + 1);
    }
  }
  return { ip, namespace, pod, labels, owner: workloadOf(endpoint) ?? ownerFromPodName(pod) };
}

function workloadOf(endpoint: Record<string, unknown>): ObservedPod['owner'] {
  const workloads = endpoint['workloads'];
  if (!Array.isArray(workloads) || workloads.length === 0) return null;
  const kind = textOf(at(workloads[0], 'kind'));
  const name = textOf(at(workloads[0], 'name'));
  return kind !== undefined && kind !== '' && name !== undefined && name !== '' ? { kind, name } : null;
}
