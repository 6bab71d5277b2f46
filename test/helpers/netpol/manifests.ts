// Loads the Kubernetes objects that matter to NetworkPolicy evaluation from
// manifest file texts, the way a folder of manifests is fed to an analyzer:
// multi-document YAML, JSON, `kind: List` and typed lists (PodList, ...).
import { parseAllDocuments } from 'yaml';
import { DEFAULT_NAMESPACE, asArray, isRecord, labelValue, type NetpolNamespace, type NetpolPod, type NetpolProtocol } from './evaluator';

/** Kinds whose pods all come from one template: each object is a single peer. */
export const WORKLOAD_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** The ownerReference marked controller: true (kind may be missing in hand-written manifests). */
export interface ControllerReference {
  readonly name: string;
  readonly kind: string | undefined;
}

export interface ManifestPod {
  readonly pod: NetpolPod;
  readonly controller: ControllerReference | undefined;
}

/** A workload object; `pod` stands for its pods (name = the workload's name, labels and ports from its template). */
export interface ManifestWorkload {
  readonly kind: WorkloadKind;
  readonly pod: NetpolPod;
}

export interface Manifests {
  readonly namespaces: readonly NetpolNamespace[];
  readonly pods: readonly ManifestPod[];
  readonly workloads: readonly ManifestWorkload[];
  /** NetworkPolicy objects as plain JS, left for the evaluator to interpret. */
  readonly policies: readonly unknown[];
}

function isWorkloadKind(kind: string): kind is WorkloadKind {
  return (WORKLOAD_KINDS as readonly string[]).includes(kind);
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function labelsOf(metadata: Record<string, unknown>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, raw] of Object.entries(record(metadata.labels))) {
    const value = labelValue(raw);
    if (value !== undefined) labels[key] = value;
  }
  return labels;
}

function namespaceOf(metadata: Record<string, unknown>): string {
  return typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : DEFAULT_NAMESPACE;
}

function nameOf(metadata: Record<string, unknown>, kind: string): string {
  if (typeof metadata.name !== 'string' || metadata.name === '') throw new Error(`${kind} without metadata.name`);
  return metadata.name;
}

/** containerPorts of a pod spec; only `containers` count for named-port resolution, not init containers. */
function containerPorts(podSpec: Record<string, unknown>): NetpolPod['ports'] {
  const ports: { name?: string; containerPort: number; protocol: NetpolProtocol }[] = [];
  for (const container of asArray(podSpec.containers)) {
    for (const entry of asArray(record(container).ports)) {
      const port = record(entry);
      if (typeof port.containerPort !== 'number') continue;
      const protocol = port.protocol ?? 'TCP';
      if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') throw new Error(`unknown containerPort protocol ${JSON.stringify(protocol)}`);
      ports.push({ ...(typeof port.name === 'string' ? { name: port.name } : {}), containerPort: port.containerPort, protocol });
    }
  }
  return ports;
}

function controllerOf(metadata: Record<string, unknown>): ControllerReference | undefined {
  for (const ref of asArray(metadata.ownerReferences)) {
    const owner = record(ref);
    if (owner.controller === true && typeof owner.name === 'string') {
      return { name: owner.name, kind: typeof owner.kind === 'string' && owner.kind !== '' ? owner.kind : undefined };
    }
  }
  return undefined;
}

function podTemplate(kind: WorkloadKind, spec: Record<string, unknown>): Record<string, unknown> {
  return kind === 'CronJob' ? record(record(record(spec.jobTemplate).spec).template) : record(spec.template);
}

class Collector {
  readonly namespaces: NetpolNamespace[] = [];
  readonly pods: ManifestPod[] = [];
  readonly workloads: ManifestWorkload[] = [];
  readonly policies: unknown[] = [];

  /** `impliedKind` is the item kind of a typed list (PodList -> Pod), whose items may omit `kind`. */
  add(value: unknown, impliedKind?: string): void {
    if (!isRecord(value)) return;
    const kind = typeof value.kind === 'string' ? value.kind : impliedKind;
    if (kind === undefined) return;
    if (kind.endsWith('List') && Array.isArray(value.items)) {
      // `kind: List` items carry their own kind; a typed list names it for them.
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      for (const item of value.items) this.add(item, itemKind);
      return;
    }
    const metadata = record(value.metadata);
    const spec = record(value.spec);
    if (kind === 'Namespace') {
      this.namespaces.push({ name: nameOf(metadata, kind), labels: labelsOf(metadata) });
    } else if (kind === 'NetworkPolicy') {
      this.policies.push(value);
    } else if (kind === 'Pod') {
      const pod = { namespace: namespaceOf(metadata), name: nameOf(metadata, kind), labels: labelsOf(metadata), ports: containerPorts(spec) };
      this.pods.push({ pod, controller: controllerOf(metadata) });
    } else if (isWorkloadKind(kind)) {
      const template = podTemplate(kind, spec);
      const pod = {
        namespace: namespaceOf(metadata),
        name: nameOf(metadata, kind),
        labels: labelsOf(record(template.metadata)),
        ports: containerPorts(record(template.spec)),
      };
      this.workloads.push({ kind, pod });
    }
    // Every other kind (Service, ConfigMap, Route, ...) plays no part in NetworkPolicy connectivity.
  }
}

/** The JS values of every document of one file; JSON is parsed strictly first, YAML (a superset) otherwise. */
function documentsOf(text: string, label: string): unknown[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return [JSON.parse(text)];
    } catch {
      // Not strict JSON after all (e.g. a YAML flow mapping): fall through to YAML.
    }
  }
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  return list.map((doc, index) => {
    if (doc.errors.length > 0) throw new Error(`${label}, document ${index + 1}: ${doc.errors[0]!.message}`);
    return doc.toJS({ maxAliasCount: -1 }) as unknown;
  });
}

/** Loads manifests from file texts; `labels` (e.g. file names) only serve error messages. */
export function loadManifests(texts: readonly string[], labels: readonly string[] = []): Manifests {
  const collector = new Collector();
  texts.forEach((text, i) => {
    for (const doc of documentsOf(text, labels[i] ?? `file ${i + 1}`)) collector.add(doc);
  });
  return { namespaces: collector.namespaces, pods: collector.pods, workloads: collector.workloads, policies: collector.policies };
}
