import { INTERNAL_CIDRS } from '../enrich/address-scope';
import type { PodEntry } from '../enrich/kubernetes';
import { sha256Hex } from '../policy/canonical-json';
import { ALL_INTERNAL, type Policy, type PolicyGroup } from '../policy/policy-model';
import { compareText } from '../util/compare';
import type { ExportNote, StageCoverage } from './export-types';
import { selectGroupPods, type GroupSelection } from './k8s-selectors';
import { dns1123Label } from './k8s-validate';
import { stageCoverage } from './stage-plan';

/**
 * The pods behind a policy's groups, for the targets that select pods by
 * their labels (k8s, cilium): which members are pods (from the pod lists),
 * in which namespaces, selected by which labels, and what cannot be
 * selected, all noted the same way whichever product enforces them.
 */

export interface ClusterIndex {
  readonly all: readonly PodEntry[];
  /** Pods by address; host-network pods are left out (their address is their node's, and no policy applies to them). */
  readonly podsByIp: ReadonlyMap<string, PodEntry[]>;
  readonly byNamespace: ReadonlyMap<string, PodEntry[]>;
  readonly nodeIps: ReadonlySet<string>;
  /** Pods whose namespace is no DNS-1123 label (a hostile or damaged list): named, never selected. */
  readonly badNamespaces: readonly string[];
}

export const podKey = (pod: PodEntry): string => `${pod.namespace}/${pod.pod}`;

/** The pod lists, indexed; `labelsOf` keeps the labels the product selects on (Cilium: those in the identity). */
export function indexPods(pods: readonly PodEntry[], labelsOf: (labels: PodEntry['labels']) => PodEntry['labels'] = (labels) => labels): ClusterIndex {
  const podsByIp = new Map<string, PodEntry[]>();
  const byNamespace = new Map<string, PodEntry[]>();
  const nodeIps = new Set<string>();
  const all: PodEntry[] = [];
  const seen = new Set<string>();
  const badNamespaces = new Set<string>();
  for (const listedPod of [...pods].sort((a, b) => compareText(podKey(a), podKey(b)))) {
    if (listedPod.hostIp !== undefined && listedPod.hostIp !== null) nodeIps.add(listedPod.hostIp);
    if (dns1123Label(listedPod.namespace).length > 0) {
      badNamespaces.add(listedPod.namespace);
      continue;
    }
    if (listedPod.hostNetwork === true) {
      for (const ip of listedPod.ips) nodeIps.add(ip);
      continue;
    }
    if (seen.has(podKey(listedPod))) continue;
    seen.add(podKey(listedPod));
    const pod: PodEntry = { ...listedPod, labels: labelsOf(listedPod.labels) };
    all.push(pod);
    byNamespace.set(pod.namespace, [...(byNamespace.get(pod.namespace) ?? []), pod]);
    for (const ip of pod.ips) podsByIp.set(ip, [...(podsByIp.get(ip) ?? []), pod]);
  }
  return { all, podsByIp, byNamespace, nodeIps, badNamespaces: [...badNamespaces].sort(compareText) };
}

export interface PodGroups {
  /** Per internal group, its pods' selectors, one or more per namespace. */
  readonly selections: ReadonlyMap<string, readonly GroupSelection[]>;
  /** Per internal group, its members that are not pods (VMs, nodes): peers by address. */
  readonly nonPods: ReadonlyMap<string, readonly string[]>;
}

type Note = (rule: string | null, what: string, action: ExportNote['action'], instead: string) => void;

/**
 * Each internal group's pods and selectors, noting pods in namespaces no
 * cluster could have, pods no label can select (not isolated), selectors
 * that also pick other groups' pods (policies add up), and pods in no group.
 * `product` names what enforces them in the notes ("Kubernetes", "Cilium").
 */
export function podGroups(policy: Policy, cluster: ClusterIndex, product: string, note: Note): PodGroups {
  if (cluster.badNamespaces.length > 0) note(null, `pods in namespaces Kubernetes would not accept (${listed(cluster.badNamespaces)})`, 'skipped', 'left out of every selector: the pod list cannot come from a real cluster there');
  const selections = new Map<string, GroupSelection[]>();
  const nonPods = new Map<string, string[]>();
  const placed = new Set<string>();
  for (const group of [...policy.groups].sort((a, b) => compareText(a.id, b.id))) {
    if (group.kind === 'external' || group.kind === 'all-internal') continue;
    const pods = new Map<string, PodEntry>();
    const outside: string[] = [];
    for (const member of group.members) {
      const found = cluster.podsByIp.get(member);
      if (found === undefined) outside.push(member);
      else for (const pod of found) pods.set(podKey(pod), pod);
    }
    nonPods.set(group.id, outside);
    const byNamespace = new Map<string, PodEntry[]>();
    for (const pod of pods.values()) {
      placed.add(podKey(pod));
      byNamespace.set(pod.namespace, [...(byNamespace.get(pod.namespace) ?? []), pod]);
    }
    const chosen: GroupSelection[] = [];
    for (const namespace of [...byNamespace.keys()].sort(compareText)) {
      const { selections: found, unselectable } = selectGroupPods(namespace, byNamespace.get(namespace)!, cluster.byNamespace.get(namespace) ?? []);
      if (unselectable.length > 0) note(null, `pods of ${group.id} with no label to select them by (${listed(unselectable)})`, 'left-open', `not selected by any policy, so ${product} does not isolate them`);
      for (const selection of found) {
        if (selection.extra.length > 0) note(null, `the labels of ${group.id}'s pods in ${namespace} also select ${listed(selection.extra)}`, 'widened', `those pods get ${group.id}'s rules as well (policies add up)`);
        chosen.push(selection);
      }
    }
    selections.set(group.id, chosen);
  }
  const unplaced = cluster.all.filter((pod) => !placed.has(podKey(pod))).map(podKey).sort(compareText);
  if (unplaced.length > 0) note(null, `pods in no group of the policy (${listed(unplaced)})`, 'left-open', `no policy selects them, so ${product} does not isolate them`);
  return { selections, nonPods };
}

/** One policy name per selection of a group: "flowfence-g12", numbered where a namespace needs several. */
export function selectionNames(groupId: string, chosen: readonly GroupSelection[]): string[] {
  return chosen.map((selection, index) => {
    const sameNamespace = chosen.filter((other) => other.namespace === selection.namespace);
    return policyName(groupId, sameNamespace.length > 1 ? chosen.slice(0, index + 1).filter((other) => other.namespace === selection.namespace).length : 0);
  });
}

/**
 * "flowfence-g12": a DNS-1123 name from the group id. An id that is not
 * one already (from an approved-groups file) is reduced to one and given
 * a digest of the original, so two ids never meet in one name.
 */
function policyName(groupId: string, index: number): string {
  const reduced = groupId.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  const exact = reduced === groupId;
  const base = `flowfence-${reduced.length === 0 ? 'group' : reduced}${exact ? '' : `-${sha256Hex(groupId).slice(0, 8)}`}`.replace(/-+$/, '');
  return index > 0 ? `${base}-${index}` : base;
}

/** Names for a note: the first five, and how many more. */
export function listed(names: readonly string[]): string {
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}

/** One policy object being built for a group's selection in one namespace; `R` is the target's rule. */
export interface PolicyDraft<R> {
  readonly group: PolicyGroup;
  readonly selection: GroupSelection;
  readonly name: string;
  readonly ingress: R[];
  readonly egress: R[];
  /** Lines printed above the object: rules left closed (just-in-time) and what opening them adds. */
  readonly remarks: string[];
}

/** An empty draft per selection of every group, by group id, named as selectionNames names them. */
export function policyDrafts<R>(policy: Policy, selections: PodGroups['selections']): Map<string, PolicyDraft<R>[]> {
  const drafts = new Map<string, PolicyDraft<R>[]>();
  for (const [groupId, chosen] of selections) {
    const group = policy.groups.find((candidate) => candidate.id === groupId)!;
    const names = selectionNames(groupId, chosen);
    drafts.set(groupId, chosen.map((selection, index) => ({ group, selection, name: names[index]!, ingress: [], egress: [], remarks: [] })));
  }
  return drafts;
}

/** The drafts a pod target writes once its staged groups are taken out (stagedLeftOpen). */
export interface PodTargetDrafts<R> {
  readonly coverage: StageCoverage;
  readonly notes: ExportNote[];
  /** Staged groups, whose pods no policy selects. */
  readonly openGroups: readonly string[];
  /** Every draft left, in group order. */
  readonly podDrafts: PolicyDraft<R>[];
  /** A group's drafts; every pod's for the all-internal group. */
  draftsOf(groupId: string): PolicyDraft<R>[];
}

/**
 * A policy selecting a pod isolates it, and neither NetworkPolicy nor
 * CiliumNetworkPolicy can merely observe: every staged group (observe,
 * selective) is left open, its drafts dropped, and a note per group says
 * why (`why`: the product's own reason).
 */
export function stagedLeftOpen<R>(policy: Policy, target: 'k8s' | 'cilium', drafts: Map<string, PolicyDraft<R>[]>, why: string): PodTargetDrafts<R> {
  const { coverage, notes } = stageCoverage(policy, target, () => ({ leftOpen: why }));
  const openGroups = coverage.leftOpen.map((open) => open.group);
  for (const group of openGroups) drafts.delete(group);
  const podDrafts = [...drafts.values()].flat();
  return { coverage, notes, openGroups, podDrafts, draftsOf: (groupId) => (groupId === ALL_INTERNAL ? podDrafts : (drafts.get(groupId) ?? [])) };
}

/**
 * Every internal host as a peer of pods: the internal ranges less loopback
 * and link-local. A pod's own loopback never passes a policy, and opening
 * link-local would open the cloud metadata service (169.254.169.254) and
 * its credentials to every pod the rule selects.
 */
export function internalPeerRanges(policy: Policy): string[] {
  return [...INTERNAL_CIDRS.filter((cidr) => !UNROUTED_RANGES.has(cidr)), ...policy.settings.internalCidrs];
}
const UNROUTED_RANGES = new Set(['127.0.0.0/8', '169.254.0.0/16', '::1/128', 'fe80::/10']);

/** A label selector that must also carry `label` (an identity condition); null when it already demands another value of the key. */
export function mergeLabel<S extends { readonly matchLabels?: Readonly<Record<string, string>> }>(selector: S, label: Readonly<Record<string, string>>): S | null {
  for (const [key, value] of Object.entries(label)) if (selector.matchLabels?.[key] !== undefined && selector.matchLabels[key] !== value) return null;
  return { ...selector, matchLabels: { ...(selector.matchLabels ?? {}), ...label } };
}

/** Says where DNS is opened when the pod lists show no cluster DNS there (NodeLocal DNSCache, OpenShift). */
export function clusterDnsNote(cluster: ClusterIndex, note: Note): void {
  const found = cluster.all.some((pod) => pod.namespace === 'kube-system' && pod.labels['k8s-app'] === 'kube-dns');
  if (!found) note(null, 'the cluster DNS: no kube-system pod labelled k8s-app=kube-dns in the pod lists', 'narrowed', 'DNS is opened to kube-system pods labelled k8s-app=kube-dns on UDP and TCP 53, as most clusters run it; a cluster whose DNS is elsewhere (NodeLocal DNSCache, OpenShift\'s openshift-dns on 5353) needs that rule changed');
}
