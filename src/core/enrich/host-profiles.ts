import { AddressScopes, type AddressScope, type Cidr } from './address-scope';
import { appendTo } from '../util/multimap';
import { CidrIndex } from './cidr-index';
import type { InventoryEntry } from './inventory';
import { workloadOf, type OwnerLink, type OwnerRef, type PodEntry } from './kubernetes';
import { podLabelKey } from './label-keys';
import type { LogonEntry } from './logons';
import type { ObservedLabel } from '../ingest/observed-labels';
import type { ObservedName } from '../ingest/observed-names';
import { compareText } from '../util/compare';

export interface EnrichmentData {
  readonly inventory: readonly InventoryEntry[];
  readonly pods: readonly PodEntry[];
  readonly owners: readonly OwnerLink[];
  readonly logons: readonly LogonEntry[];
  readonly internalCidrs: readonly Cidr[];
  /** Names the flow records carried (GCP's VM names), for hosts no inventory or pod list names. */
  readonly observedNames?: readonly ObservedName[];
  /** Where the flow records placed hosts (Azure NSGs, GCP subnets): labels that explain, never group (observed-labels.ts). */
  readonly observedLabels?: readonly ObservedLabel[];
  /** Addresses the traffic shows to be subnet-directed broadcasts (directed-broadcasts.ts), unless a row or pod names them. */
  readonly directedBroadcasts?: ReadonlySet<string>;
}

export interface HostLabel {
  readonly key: string;
  readonly value: string;
  readonly source: 'inventory' | 'kubernetes' | 'flow-log';
}

/** What the enrichment sources say about one address seen in the flows. */
export interface HostProfile {
  readonly ip: string;
  readonly scope: AddressScope;
  readonly name: string | null;
  readonly nameSource: 'inventory' | 'kubernetes' | 'flow-log' | null;
  /** "Deployment/frontend" for Kubernetes pods. */
  readonly workload: string | null;
  readonly namespace: string | null;
  readonly labels: readonly HostLabel[];
}

export interface LogonSummary {
  readonly user: string;
  readonly domain: string;
  readonly targetHost: string;
  readonly targetIp: string | null;
  readonly sourceIp: string | null;
  readonly logonType: number;
  readonly serviceAccount: boolean;
  readonly count: number;
  readonly firstMs: number;
  readonly lastMs: number;
}

/**
 * Profiles for every address in the flows. Inventory rows for an exact
 * address win over CIDR rows, and longer prefixes over shorter ones; an
 * address the inventory lists counts as internal even in public space.
 */
export function profileHosts(ips: readonly string[], data: EnrichmentData): HostProfile[] {
  const exact = new Map<string, InventoryEntry[]>();
  const networks = new CidrIndex<InventoryEntry>();
  const inventoryCidrs: Cidr[] = [];
  // Rows describing the same address apply in an order of their own content,
  // never of the files or lines they came from: the output cannot depend on input order.
  for (const entry of [...data.inventory].sort(compareInventoryContent)) {
    if (entry.ip !== null) appendTo(exact, entry.ip, entry);
    else {
      networks.add(entry.cidr as Cidr, entry);
      inventoryCidrs.push(entry.cidr as Cidr);
    }
  }
  const scopes = new AddressScopes([...data.internalCidrs, ...inventoryCidrs]);
  const owners = new Map<string, OwnerRef | null>(
    [...data.owners].sort((a, b) => compareText(`${a.key}\u0000${JSON.stringify(a.owner)}`, `${b.key}\u0000${JSON.stringify(b.owner)}`)).map((link) => [link.key, link.owner]),
  );
  const podsByIp = new Map<string, PodEntry[]>();
  for (const pod of data.pods) for (const ip of pod.ips) appendTo(podsByIp, ip, pod);
  const observedNames = new Map((data.observedNames ?? []).map((entry) => [entry.ip, entry.name]));
  const placements = placementLabels(data.observedLabels ?? []);

  return ips.map((ip) => {
    const labels = new Map<string, HostLabel>();
    let name: string | null = null;
    let nameSource: HostProfile['nameSource'] = null;
    // Shorter prefixes first so that more specific rows override them.
    const matches = [...networks.match(ip), ...(exact.get(ip) ?? [])];
    for (const entry of matches) {
      for (const [key, value] of Object.entries(entry.labels)) labels.set(key, { key, value, source: 'inventory' });
      if (entry.hostname !== null) {
        name = entry.hostname;
        nameSource = 'inventory';
      }
    }
    let workload: string | null = null;
    let namespace: string | null = null;
    const pods = podsByIp.get(ip) ?? [];
    if (pods.length > 0) {
      // Pods on the host network share the node's address: name them all, in a stable order.
      const workloads = [...new Set(pods.map((pod) => { const w = workloadOf(pod, owners); return `${w.kind}/${w.name}`; }))].sort();
      const namespaces = [...new Set(pods.map((pod) => pod.namespace))].sort();
      workload = workloads.join(',');
      namespace = namespaces.join(',');
      for (const pod of [...pods].sort((a, b) => compareText(`${a.namespace}/${a.pod}`, `${b.namespace}/${b.pod}`))) {
        for (const [key, value] of Object.entries(pod.labels)) {
          if (key === 'pod-template-hash' || key === 'controller-uid') continue;
          labels.set(podLabelKey(key), { key: podLabelKey(key), value, source: 'kubernetes' });
        }
      }
      if (name === null) {
        name = pods.length === 1 ? `${pods[0]!.namespace}/${pods[0]!.pod}` : workload;
        nameSource = 'kubernetes';
      }
    }
    const observed = observedNames.get(ip);
    if (name === null && observed !== undefined) {
      name = observed;
      nameSource = 'flow-log';
    }
    for (const label of placements.get(ip) ?? []) if (!labels.has(label.key)) labels.set(label.key, label);
    const sorted = [...labels.values()].sort((a, b) => compareText(a.key, b.key));
    const rangeScope = scopes.scope(ip);
    const listed = exact.has(ip) || pods.length > 0;
    const scope = rangeScope === 'internal' && !listed && data.directedBroadcasts?.has(ip) === true ? 'broadcast' : rangeScope;
    return { ip, scope, name, nameSource, workload, namespace, labels: sorted };
  });
}

/** A host behind this many NSGs or rules is listed with the first few and a count: a label stays readable. */
const MAX_PLACEMENT_VALUES = 8;

/** Per address, one label per placement key: its values in text order, joined ("NIC-NSG, SUBNET-NSG"). */
function placementLabels(observed: readonly ObservedLabel[]): Map<string, HostLabel[]> {
  const values = new Map<string, Map<string, string[]>>();
  for (const { ip, key, value } of observed) {
    let byKey = values.get(ip);
    if (byKey === undefined) values.set(ip, (byKey = new Map()));
    appendTo(byKey, key, value);
  }
  const out = new Map<string, HostLabel[]>();
  for (const [ip, byKey] of values) {
    const labels: HostLabel[] = [];
    for (const [key, list] of byKey) {
      const distinct = [...new Set(list)].sort(compareText);
      const shown = distinct.slice(0, MAX_PLACEMENT_VALUES).join(', ');
      const value = distinct.length > MAX_PLACEMENT_VALUES ? `${shown} and ${distinct.length - MAX_PLACEMENT_VALUES} more` : shown;
      labels.push({ key, value, source: 'flow-log' });
    }
    out.set(ip, labels);
  }
  return out;
}

/**
 * Logons folded per (user, target, source, type). The target host is named
 * by Windows; it is matched to an address through the inventory and pod
 * names (full name or first label, case-insensitive).
 */
export function summariseLogons(logons: readonly LogonEntry[], profiles: readonly HostProfile[], inventory: readonly InventoryEntry[]): LogonSummary[] {
  const byName = new Map<string, string>();
  const remember = (hostname: string, ip: string): void => {
    const lower = hostname.toLowerCase();
    if (!byName.has(lower)) byName.set(lower, ip);
    const short = lower.split('.')[0]!;
    if (!byName.has(short)) byName.set(short, ip);
  };
  for (const entry of inventory) if (entry.ip !== null && entry.hostname !== null) remember(entry.hostname, entry.ip);
  for (const profile of profiles) if (profile.name !== null) remember(profile.name, profile.ip);
  const folded = new Map<string, LogonSummary>();
  for (const logon of logons) {
    const target = logon.targetHost.toLowerCase();
    const targetIp = byName.get(target) ?? byName.get(target.split('.')[0]!) ?? null;
    const key = [logon.user.toLowerCase(), logon.domain.toLowerCase(), target, logon.sourceIp ?? '', logon.logonType].join('\u0000');
    const previous = folded.get(key);
    // Names differing only in case fold together; the one shown is the first in code order, whatever the input order.
    const pick = (a: string | undefined, b: string): string => (a === undefined || compareText(b, a) < 0 ? b : a);
    folded.set(key, {
      user: pick(previous?.user, logon.user),
      domain: pick(previous?.domain, logon.domain),
      targetHost: pick(previous?.targetHost, logon.targetHost),
      targetIp,
      sourceIp: logon.sourceIp,
      logonType: logon.logonType,
      serviceAccount: logon.serviceAccount,
      count: (previous?.count ?? 0) + 1,
      firstMs: Math.min(previous?.firstMs ?? logon.timeMs, logon.timeMs),
      lastMs: Math.max(previous?.lastMs ?? logon.timeMs, logon.timeMs),
    });
  }
  return [...folded.entries()].sort((a, b) => compareText(a[0], b[0])).map(([, summary]) => summary);
}

/** Networks before addresses, wider before narrower; then by content, so the most specific, last-sorting row wins. */
function compareInventoryContent(a: InventoryEntry, b: InventoryEntry): number {
  const bits = (entry: InventoryEntry): number => (entry.cidr !== null ? entry.cidr.bits : 1000);
  const content = (entry: InventoryEntry): string =>
    [entry.cidr?.text ?? entry.ip ?? '', entry.hostname ?? '', JSON.stringify(Object.entries(entry.labels).sort(([x], [y]) => compareText(x, y)))].join('\u0000');
  return bits(a) - bits(b) || compareText(content(a), content(b));
}
