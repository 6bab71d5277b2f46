import { canonicalIp } from '../net/ip';
import { ownerFromGenerateName, ownerFromPodName } from './pod-names';
import type { SniffSample } from '../ingest/format';
import { RowError } from '../ingest/row-error';
import { at, isObject, textOf } from '../ingest/formats/json-fields';
import type { RowTally } from '../ingest/row-tally';

/**
 * `kubectl get pods -o json` (PodList or List) names the workloads behind
 * pod addresses; ReplicaSet, Deployment, Job… lists passed alongside let the
 * owner chain be walked (pod → ReplicaSet → Deployment).
 */
export interface PodEntry {
  readonly ips: readonly string[];
  readonly pod: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly owner: OwnerRef | null;
  /** The node's address (status.hostIP), for exports that must tell node traffic from pod traffic. */
  readonly hostIp?: string | null;
  /** spec.hostNetwork: the pod uses its node's address, and no NetworkPolicy applies to it. */
  readonly hostNetwork?: boolean;
}

export interface OwnerRef {
  readonly kind: string;
  readonly name: string;
}

/** A controller object (ReplicaSet, Job…) and its own owner, keyed by namespace/kind/name. */
export interface OwnerLink {
  readonly key: string;
  readonly owner: OwnerRef | null;
}

export interface KubernetesObjects {
  readonly pods: PodEntry[];
  readonly owners: OwnerLink[];
}

const LIST_KINDS = /"kind"\s*:\s*"(PodList|List|ReplicaSetList|DeploymentList|StatefulSetList|DaemonSetList|JobList|CronJobList)"/;
const CONTROLLER_KINDS = new Set(['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController']);

export function sniffKubernetes(sample: SniffSample): number {
  return LIST_KINDS.test(sample.text) && /"apiVersion"\s*:/.test(sample.text) && /"items"\s*:/.test(sample.text) ? 0.9 : 0;
}

export function parseKubernetesList(text: string, account: RowTally): KubernetesObjects {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const listKind = textOf(at(document, 'kind')) ?? '';
  const items = at(document, 'items');
  if (!Array.isArray(items)) throw new Error('no "items" array: not a Kubernetes list');
  const itemKind = listKind.endsWith('List') && listKind !== 'List' ? listKind.slice(0, -4) : null;
  const objects: KubernetesObjects = { pods: [], owners: [] };
  items.forEach((item, index) => {
    account.row(0, () => readItem(item, itemKind, objects), `items[${index}]`);
  });
  return objects;
}

function readItem(item: unknown, listItemKind: string | null, objects: KubernetesObjects): void {
  if (!isObject(item)) throw new RowError('item', 'not an object');
  const kind = textOf(item.kind) ?? listItemKind ?? '';
  const name = textOf(at(item, 'metadata', 'name'));
  const namespace = textOf(at(item, 'metadata', 'namespace')) ?? 'default';
  if (name === undefined) throw new RowError('metadata.name', 'missing');
  const owner = controllerOf(at(item, 'metadata', 'ownerReferences'));
  if (kind === 'Pod') {
    const ips = podIps(item);
    if (ips.length === 0) {
      const phase = textOf(at(item, 'status', 'phase')) ?? 'unknown';
      throw new RowError('status.podIP', 'pod has no address', `phase ${phase}`);
    }
    const hostIp = canonicalIp(textOf(at(item, 'status', 'hostIP')) ?? '');
    // A pod list trimmed of owner references still carries the names its controller gave.
    const generateName = textOf(at(item, 'metadata', 'generateName'));
    const podOwner = owner ?? (generateName === undefined ? null : ownerFromGenerateName(generateName)) ?? ownerFromPodName(name);
    objects.pods.push({ ips, pod: name, namespace, labels: stringMap(at(item, 'metadata', 'labels')), owner: podOwner, hostIp, hostNetwork: at(item, 'spec', 'hostNetwork') === true });
    return;
  }
  if (CONTROLLER_KINDS.has(kind)) {
    objects.owners.push({ key: ownerKey(namespace, kind, name), owner });
    return;
  }
  throw new RowError('kind', 'not a pod or a pod controller', kind);
}

function podIps(item: Record<string, unknown>): string[] {
  const listed = at(item, 'status', 'podIPs');
  const raw: unknown[] = Array.isArray(listed) ? listed.map((entry) => at(entry, 'ip')) : [at(item, 'status', 'podIP')];
  const ips: string[] = [];
  for (const value of raw) {
    const text = textOf(value);
    if (text === undefined || text === '') continue;
    const ip = canonicalIp(text);
    if (ip === null) throw new RowError('status.podIP', 'not an IPv4 or IPv6 address', text);
    if (!ips.includes(ip)) ips.push(ip);
  }
  return ips;
}

function controllerOf(references: unknown): OwnerRef | null {
  if (!Array.isArray(references)) return null;
  const chosen = references.find((ref) => at(ref, 'controller') === true) ?? references[0];
  const kind = textOf(at(chosen, 'kind'));
  const name = textOf(at(chosen, 'name'));
  return kind !== undefined && name !== undefined ? { kind, name } : null;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(value)) return out;
  for (const [key, entry] of Object.entries(value)) {
    const text = textOf(entry);
    if (text !== undefined) out[key] = text;
  }
  return out;
}

export function ownerKey(namespace: string, kind: string, name: string): string {
  return `${namespace}/${kind}/${name}`;
}

export interface Workload {
  readonly kind: string;
  readonly name: string;
}

/**
 * The top of a pod's owner chain. Without the ReplicaSet list, a ReplicaSet
 * named "<deployment>-<pod-template-hash>" is read as its Deployment, which
 * is how Deployments always name them.
 */
export function workloadOf(pod: PodEntry, owners: ReadonlyMap<string, OwnerRef | null>): Workload {
  let current: OwnerRef | null = pod.owner;
  if (current === null) return { kind: 'Pod', name: pod.pod };
  for (let depth = 0; depth < 8; depth++) {
    const key = ownerKey(pod.namespace, current.kind, current.name);
    if (!owners.has(key)) break;
    const next: OwnerRef | null = owners.get(key) ?? null;
    if (next === null) return current;
    current = next;
  }
  const hash = pod.labels['pod-template-hash'];
  if (current.kind === 'ReplicaSet' && hash !== undefined && current.name.endsWith(`-${hash}`)) {
    return { kind: 'Deployment', name: current.name.slice(0, -(hash.length + 1)) };
  }
  return current;
}
