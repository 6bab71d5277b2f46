import type { FileReport } from '../ingest/file-report';
import { canonicalJson } from '../policy/canonical-json';
import type { PolicyPod } from '../policy/policy-model';
import { compareText } from '../util/compare';
import type { PodEntry } from './kubernetes';
import { withObservedPods } from './named-by-flows';

/**
 * Every pod the analysis knew, as the policy records it: the pod lists'
 * entries, then the pods only the flow records named (withObservedPods
 * decides which record of a pod wins). In namespace and name order, each
 * pod's addresses and labels in text order, exact repeats once: the same
 * inputs in any order give the same list.
 */
export function knownPods(listed: readonly PodEntry[], reports: readonly FileReport[]): PolicyPod[] {
  const all = withObservedPods(listed, reports);
  const byText = new Map<string, PolicyPod>();
  all.forEach((entry, index) => {
    const pod = policyPod(entry, index < listed.length ? 'pod-list' : 'flows');
    byText.set(canonicalJson(pod), pod);
  });
  return [...byText.entries()]
    .sort((a, b) => compareText(a[1].namespace, b[1].namespace) || compareText(a[1].pod, b[1].pod) || compareText(a[0], b[0]))
    .map(([, pod]) => pod);
}

function policyPod(entry: PodEntry, source: PolicyPod['source']): PolicyPod {
  const labels: Record<string, string> = {};
  for (const key of Object.keys(entry.labels).sort(compareText)) labels[key] = entry.labels[key]!;
  return {
    namespace: entry.namespace,
    pod: entry.pod,
    ips: [...new Set(entry.ips)].sort(compareText),
    labels,
    owner: entry.owner === null ? null : { kind: entry.owner.kind, name: entry.owner.name },
    hostIp: entry.hostIp ?? null,
    hostNetwork: entry.hostNetwork === true,
    source,
  };
}
