import type { FileReport } from '../ingest/file-report';
import { AddressScopes } from './address-scope';
import { PLACEMENT_KEYS, type ObservedLabel } from '../ingest/observed-labels';
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

const PRIVATE_RANGES = new AddressScopes();

/**
 * The host names the flow records carried, one per address over all files:
 * GCP's VM names (the first in text order when files disagree: an address
 * reused by another VM), then for the addresses still unnamed, the VM a
 * per-VM NSG was made for (namesFromNsgs). File order cannot matter.
 *
 * A VM name given to two internal addresses or more names none of them: GCP
 * names the VM whose interface carries an address, and a Kubernetes node
 * (or a container host) carries its pods' alias ranges beside its own
 * address, so every pod would take its node's name. One internal and one
 * external address are one VM and its public address. `isInternal` defaults
 * to the private ranges; pass the analysis' own (--internal) scopes.
 */
export function observedHostNames(
  reports: readonly FileReport[],
  labels: readonly ObservedLabel[] = observedHostLabels(reports),
  isInternal: (ip: string) => boolean = (ip) => PRIVATE_RANGES.scope(ip) === 'internal',
): ObservedName[] {
  const byIp = new Map<string, string>();
  for (const report of reports) {
    for (const { ip, name } of report.observedNames ?? []) {
      const known = byIp.get(ip);
      if (known === undefined || compareText(name, known) < 0) byIp.set(ip, name);
    }
  }
  const internalAddresses = new Map<string, number>();
  for (const [ip, name] of byIp) if (isInternal(ip)) internalAddresses.set(name, (internalAddresses.get(name) ?? 0) + 1);
  for (const [ip, name] of [...byIp]) if ((internalAddresses.get(name) ?? 0) > 1) byIp.delete(ip);
  for (const { ip, name } of namesFromNsgs(labels)) if (!byIp.has(ip)) byIp.set(ip, name);
  return [...byIp].sort((a, b) => compareText(a[0], b[0])).map(([ip, name]) => ({ ip, name }));
}

/** Where the records placed hosts (observed-labels.ts), over all files: each (address, key, value) once, in text order. */
export function observedHostLabels(reports: readonly FileReport[]): ObservedLabel[] {
  const seen = new Map<string, ObservedLabel>();
  for (const report of reports) {
    for (const label of report.observedLabels ?? []) seen.set(`${label.ip}\u0000${label.key}\u0000${label.value}`, label);
  }
  return [...seen.keys()].sort(compareText).map((key) => seen.get(key)!);
}

/** Azure's portal names the NSG it creates with a VM "<vm>-nsg". */
const PER_VM_NSG = /^(.+)-nsg$/i;

/**
 * An NSG named "<vm>-nsg" that guards exactly one address in all the
 * records names it "<vm>", lowercased: Azure resource names ignore case and
 * NSG flow logs upper-case the resource ID. An NSG guarding several
 * addresses is a shared one whatever its name, and names none of them.
 */
export function namesFromNsgs(labels: readonly ObservedLabel[]): ObservedName[] {
  const guarded = new Map<string, Set<string>>();
  for (const { ip, key, value } of labels) {
    if (key !== PLACEMENT_KEYS.azureNsg || !PER_VM_NSG.test(value)) continue;
    let ips = guarded.get(value);
    if (ips === undefined) guarded.set(value, (ips = new Set()));
    ips.add(ip);
  }
  const names: ObservedName[] = [];
  for (const [nsg, ips] of guarded) {
    if (ips.size === 1) names.push({ ip: [...ips][0]!, name: PER_VM_NSG.exec(nsg)![1]!.toLowerCase() });
  }
  return names.sort((a, b) => compareText(a.ip, b.ip) || compareText(a.name, b.name));
}
