import type { FileReport } from '../ingest/file-report';
import type { ObservedName } from '../ingest/observed-names';
import { fullerPod } from '../ingest/observed-pods';
import { compareText } from '../util/compare';
import type { PodEntry } from './kubernetes';

/**
 * The pod lists' entries, and for the addresses no pod list names, the pods
 * the flow records named (observed-pods.ts). A pod list is the cluster's
 * own record (owner chain, every label); a flow's endpoint is what an agent
 * saw, so it only fills in. The same pod named by several files counts
 * once; the order of files does not matter.
 */
export function withObservedPods(listed: readonly PodEntry[], reports: readonly FileReport[]): PodEntry[] {
  const named = new Set(listed.flatMap((pod) => pod.ips));
  const observed = new Map<string, PodEntry>();
  for (const report of reports) {
    for (const pod of report.observedPods ?? []) {
      if (named.has(pod.ip)) continue;
      const key = `${pod.ip}\u0000${pod.namespace}\u0000${pod.pod}`;
      const known = observed.get(key);
      // Across files, the entry with more labels (then an owner) wins, so that file order cannot matter.
      if (known !== undefined && !fullerPod(pod, known)) continue;
      observed.set(key, { ips: [pod.ip], pod: pod.pod, namespace: pod.namespace, labels: pod.labels, owner: pod.owner });
    }
  }
  return [...listed, ...[...observed.keys()].sort().map((key) => observed.get(key)!)];
}

/**
 * The host names the flow records carried (GCP's VM names), one per
 * address over all files: the first in text order when files disagree (an
 * address reused by another VM), so file order cannot matter.
 */
export function observedHostNames(reports: readonly FileReport[]): ObservedName[] {
  const byIp = new Map<string, string>();
  for (const report of reports) {
    for (const { ip, name } of report.observedNames ?? []) {
      const known = byIp.get(ip);
      if (known === undefined || compareText(name, known) < 0) byIp.set(ip, name);
    }
  }
  return [...byIp].sort((a, b) => compareText(a[0], b[0])).map(([ip, name]) => ({ ip, name }));
}
