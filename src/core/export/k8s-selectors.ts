import type { PodEntry } from '../enrich/kubernetes';
import { compareText } from '../util/compare';
import type { LabelSelector } from './k8s-model';
import { labelValue, qualifiedName } from './k8s-validate';

/**
 * How a group's pods are selected in one namespace: by the labels that
 * define them in the pod lists. Labels that name one pod or one rollout
 * (pod-template-hash, controller-uid, a StatefulSet's pod name) never
 * select a group; neither does a label the API server would refuse.
 */
export interface GroupSelection {
  readonly namespace: string;
  readonly selector: LabelSelector;
  /** Pods of the namespace the selector also picks that are not in the group (by namespace/name). */
  readonly extra: readonly string[];
}

const POD_SPECIFIC_LABELS = new Set(['pod-template-hash', 'controller-uid', 'controller-revision-hash', 'batch.kubernetes.io/controller-uid', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'batch.kubernetes.io/job-completion-index']);

/** A pod's labels that may select a group. */
export function selectableLabels(pod: PodEntry): Map<string, string> {
  const labels = new Map<string, string>();
  for (const [key, value] of Object.entries(pod.labels)) {
    if (POD_SPECIFIC_LABELS.has(key) || qualifiedName(key).length > 0 || labelValue(value).length > 0) continue;
    labels.set(key, value);
  }
  return labels;
}

const podKey = (pod: PodEntry): string => `${pod.namespace}/${pod.pod}`;

function matches(selector: LabelSelector, labels: ReadonlyMap<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels.get(key) !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const value = labels.get(expression.key);
    if (expression.operator === 'In' && (value === undefined || !expression.values!.includes(value))) return false;
  }
  return true;
}

/**
 * Selectors for a group's pods of one namespace (`members`), against every
 * pod of that namespace (`namespacePods`). Prefers one selector that picks
 * exactly the members: the labels they all share, else one key whose values
 * they all carry (`In`). Otherwise one selector per distinct label set, the
 * most exact Kubernetes allows; what a selector still picks beyond the
 * group is returned, for the report. Members with no usable label cannot be
 * selected at all and are returned apart.
 */
export function selectGroupPods(namespace: string, members: readonly PodEntry[], namespacePods: readonly PodEntry[]): { selections: GroupSelection[]; unselectable: string[] } {
  const memberKeys = new Set(members.map(podKey));
  const labelled = members.filter((pod) => selectableLabels(pod).size > 0);
  const unselectable = members.filter((pod) => selectableLabels(pod).size === 0).map(podKey).sort(compareText);
  if (labelled.length === 0) return { selections: [], unselectable };
  const others = namespacePods.filter((pod) => !memberKeys.has(podKey(pod)));
  const extraOf = (selector: LabelSelector): string[] => others.filter((pod) => matches(selector, selectableLabels(pod))).map(podKey).sort(compareText);

  const labelSets = labelled.map(selectableLabels);
  const shared: Record<string, string> = {};
  for (const [key, value] of [...labelSets[0]!].sort((a, b) => compareText(a[0], b[0]))) if (labelSets.every((labels) => labels.get(key) === value)) shared[key] = value;
  const candidates: LabelSelector[] = [];
  if (Object.keys(shared).length > 0) candidates.push({ matchLabels: shared });
  const commonKeys = [...labelSets[0]!.keys()].filter((key) => labelSets.every((labels) => labels.has(key))).sort(compareText);
  for (const key of commonKeys) {
    const values = [...new Set(labelSets.map((labels) => labels.get(key)!))].sort(compareText);
    if (values.length > 1) candidates.push({ matchExpressions: [{ key, operator: 'In', values }] });
  }
  const exact = candidates.find((selector) => extraOf(selector).length === 0);
  if (exact !== undefined) return { selections: [{ namespace, selector: exact, extra: [] }], unselectable };

  // One selector per distinct label set: each picks the members carrying exactly those labels (and any pod that looks the same).
  const bySet = new Map<string, Record<string, string>>();
  for (const labels of labelSets) {
    const record = Object.fromEntries([...labels].sort((a, b) => compareText(a[0], b[0])));
    bySet.set(JSON.stringify(record), record);
  }
  const selections = [...bySet.keys()].sort(compareText).map((key) => {
    const selector: LabelSelector = { matchLabels: bySet.get(key)! };
    return { namespace, selector, extra: extraOf(selector) };
  });
  return { selections, unselectable };
}
