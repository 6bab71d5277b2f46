import { mergeCidr } from 'cidr-tools';
import type { PodEntry } from '../enrich/kubernetes';
import { isPodLabelKey, podLabelName } from '../enrich/label-keys';
import { ALL_INTERNAL, type Policy, type PolicyRule } from '../policy/policy-model';
import { describeWindow } from '../policy/time-window';
import { compareText } from '../util/compare';
import type { TargetOutput } from './export-types';
import { groupAddresses } from './group-addresses';
import type { K8sProtocol, LabelSelector, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicyRule } from './k8s-model';
import { printNetworkPolicies } from './k8s-print';
import { validateNetworkPolicy } from './k8s-validate';
import { clusterDnsNote, indexPods, internalPeerRanges, listed, mergeLabel, podGroups, policyDrafts, stagedLeftOpen } from './pod-groups';
import { ruleSummary } from './rule-summary';
import { TargetNotes } from './target-notes';

export interface K8sOptions {
  /** The pods of the cluster (`kubectl get pods -A -o json`), which place group members and give their labels. */
  readonly pods: readonly PodEntry[];
}

const PROTOCOLS: Readonly<Record<number, K8sProtocol>> = { 6: 'TCP', 17: 'UDP', 132: 'SCTP' };
const NAMESPACE_LABEL = 'kubernetes.io/metadata.name';
/** A group's name as an annotation, cut: the API server refuses more than 256 KiB of annotations per object. */
const MAX_NAME_ANNOTATION = 1000;
/** Every cluster's DNS: CoreDNS (or kube-dns) pods carry k8s-app=kube-dns in kube-system. */
const CLUSTER_DNS: NetworkPolicyPeer = { namespaceSelector: { matchLabels: { [NAMESPACE_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } };
const DNS_RULE: NetworkPolicyRule = {
  comment: 'cluster DNS on UDP and TCP 53: added by Flowfence, every pod resolves names',
  peers: [CLUSTER_DNS],
  ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
};

/**
 * Kubernetes: one `networking.k8s.io/v1` NetworkPolicy per group and
 * namespace (`k8s/networkpolicies.yaml`), selecting the group's pods by
 * the labels that define them in the pod lists, default deny both ways for
 * them, and per policy rule an ingress rule on the server's side and an
 * egress rule on the client's, with numeric ports; DNS to the cluster DNS is
 * always open. Peers are pods by namespace and labels, addresses outside
 * the pod lists (VMs, nodes, outside networks) by ipBlock with merged
 * CIDRs. Every object passes the API server's own validation
 * (k8s-validate.ts) or the export fails.
 *
 * Stages: NetworkPolicy has no audit mode (no verdict but allow and
 * deny: the networking.k8s.io/v1 API), so a group in observe or selective
 * is left open: no policy selects its pods, which are then non-isolated both
 * ways; every enforced group's egress allows all of a staged group's pods
 * and addresses, since the simulator lets the staged group's stage decide
 * what reaches it (enforcement-stage.ts). Rules served by an enforced group
 * keep their ingress rules whatever their clients' stage.
 */
export function k8sTarget(policy: Policy, options: K8sOptions): TargetOutput {
  const sink = new TargetNotes('k8s');
  const { notes } = sink;
  const note = sink.note.bind(sink);
  if (options.pods.length === 0) {
    note(null, 'no pods known', 'skipped', 'nothing exported: NetworkPolicies select pods, and neither the analysis (pod lists, Hubble flows) nor --pods named any');
    return { files: [], notes, rulesExported: 0, rulesSkipped: policy.rules.length };
  }
  const cluster = indexPods(options.pods);
  const { selections, nonPods } = podGroups(policy, cluster, 'Kubernetes', note);
  clusterDnsNote(cluster, note);
  const drafts = policyDrafts<NetworkPolicyRule>(policy, selections);
  const stages = stagedLeftOpen(policy, 'k8s', drafts, 'no NetworkPolicy selects its pods, so they are not isolated (NetworkPolicy has no audit mode), and enforced groups may reach them on every port; it is exported once promoted to enforce');
  notes.push(...stages.notes);
  const { openGroups, podDrafts, draftsOf } = stages;

  const peersOf = (groupId: string, identity: PolicyRule['identity']): NetworkPolicyPeer[] => {
    const label = identity !== null && isPodLabelKey(identity.label.key) ? { [podLabelName(identity.label.key)]: identity.label.value } : null;
    const withIdentity = (selector: LabelSelector): LabelSelector | null => (label === null ? selector : mergeLabel(selector, label));
    if (groupId === ALL_INTERNAL) {
      const pods: NetworkPolicyPeer = label === null ? { namespaceSelector: {} } : { namespaceSelector: {}, podSelector: { matchLabels: label } };
      return [pods, ...(label === null ? ipBlocks(internalPeerRanges(policy)) : [])];
    }
    const group = policy.groups.find((candidate) => candidate.id === groupId);
    if (group === undefined) return [];
    if (group.kind === 'external') {
      const addresses = groupAddresses(policy, groupId);
      return label === null ? ipBlocks([...addresses.v4, ...addresses.v6]) : [];
    }
    // A selection whose own labels contradict the identity condition can never send: it is no peer.
    const pods = (selections.get(groupId) ?? []).flatMap((selection) => {
      const podSelector = withIdentity(selection.selector);
      return podSelector === null ? [] : [{ namespaceSelector: { matchLabels: { [NAMESPACE_LABEL]: selection.namespace } }, podSelector }];
    });
    return [...pods, ...(label === null ? ipBlocks(nonPods.get(groupId) ?? []) : [])];
  };

  let exported = 0;
  for (const rule of [...policy.rules].sort((a, b) => compareText(a.id, b.id))) {
    if (sink.skipRejected(rule)) continue;
    const protocol = PROTOCOLS[rule.proto];
    if (protocol === undefined) {
      sink.skip(rule.id, `protocol ${rule.service}`, 'left-closed', 'NetworkPolicies open TCP, UDP and SCTP only; nothing is opened');
      continue;
    }
    const servers = draftsOf(rule.to);
    const clients = draftsOf(rule.from);
    if (servers.length === 0 && clients.length === 0 && (openGroups.includes(rule.from) || openGroups.includes(rule.to))) {
      sink.skip(rule.id, 'traffic between groups left open or not pods', 'left-open', 'no NetworkPolicy filters it while its groups are staged');
      continue;
    }
    if (servers.length === 0 && clients.length === 0) {
      sink.skip(rule.id, 'traffic between hosts that are not pods', 'skipped', 'not a NetworkPolicy\'s to filter: neither end is a pod in the pod lists');
      continue;
    }
    const ports: NetworkPolicyPort[] = [rule.ports === null ? { protocol } : rule.ports.from === rule.ports.to ? { protocol, port: rule.ports.from } : { protocol, port: rule.ports.from, endPort: rule.ports.to }];
    const comment = ruleSummary(rule);
    if (rule.jit !== null) {
      sink.skip(rule.id, 'just-in-time access', 'left-closed', `closed; opening it allows ${rule.from} to ${rule.to} on ${rule.service} (a comment in each policy it touches shows the rule)`);
      for (const draft of new Set([...servers, ...clients])) draft.remarks.push(`just-in-time, closed: ${rule.id} would allow ${rule.from} to ${rule.to} on ${rule.service}`);
      continue;
    }
    if (rule.from === ALL_INTERNAL || rule.to === ALL_INTERNAL) note(rule.id, 'every internal host as addresses', 'narrowed', 'loopback and link-local ranges left out: no pod reaches the cloud metadata service (169.254.169.254) through a rule for every internal host');
    if (rule.window !== null) note(rule.id, `time window ${describeWindow(rule.window)}`, 'left-open', 'open at all hours: NetworkPolicies have no time of day');
    if (rule.identity !== null && !isPodLabelKey(rule.identity.label.key)) note(rule.id, `identity condition ${rule.identity.label.key}=${rule.identity.label.value}`, 'left-open', `open to every client of ${rule.from}: only pod labels can be selected`);
    const nodes = (rule.from === ALL_INTERNAL ? [] : (nonPods.get(rule.from) ?? [])).filter((ip) => cluster.nodeIps.has(ip));
    if (nodes.length > 0 && servers.length > 0) note(rule.id, `node traffic from ${listed(nodes)}`, 'left-open', 'a node always reaches its own pods whatever the policies (kubelet probes); other nodes are allowed by ipBlock');
    const fromPeers = peersOf(rule.from, rule.identity);
    const toPeers = peersOf(rule.to, null);
    if (fromPeers.length === 0 || toPeers.length === 0) {
      sink.skip(rule.id, `${fromPeers.length === 0 ? rule.from : rule.to} as a NetworkPolicy peer`, 'left-closed', 'the group names no pod or address to allow, so nothing is opened');
      continue;
    }
    for (const draft of servers) draft.ingress.push({ comment, peers: fromPeers, ports });
    for (const draft of clients) draft.egress.push({ comment, peers: toPeers, ports });
    exported++;
  }

  for (const group of openGroups) {
    const peers = peersOf(group, null);
    if (peers.length === 0) continue;
    const comment = `${group} is ${policy.groups.find((candidate) => candidate.id === group)!.stage!.stage}: left open by this export, so every port of it is allowed`;
    for (const draft of podDrafts) draft.egress.push({ comment, peers, ports: [] });
  }

  const objects: NetworkPolicy[] = podDrafts
    .map((draft) => ({
      name: draft.name,
      namespace: draft.selection.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'flowfence' },
      annotations: { 'flowfence.io/group': draft.group.id, 'flowfence.io/group-name': draft.group.name.slice(0, MAX_NAME_ANNOTATION), 'flowfence.io/policy-sha256': policy.contentSha256 },
      podSelector: draft.selection.selector,
      ingress: draft.ingress,
      egress: [DNS_RULE, ...draft.egress],
      remarks: draft.remarks,
    }))
    .sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name));
  const problems = objects.flatMap((object) => validateNetworkPolicy(object).map((problem) => `${object.namespace}/${object.name} ${problem}`));
  if (problems.length > 0) throw new Error(`the k8s export would not pass the API server's validation:\n${problems.join('\n')}`);
  const header = ['Flowfence NetworkPolicies: one per group and namespace; selected pods deny by default in both directions', `policy sha256 ${policy.contentSha256}`, `learned from ${policy.window.from ?? '?'} to ${policy.window.to ?? '?'}`];
  const files = objects.length === 0 ? [] : [{ path: 'k8s/networkpolicies.yaml', content: printNetworkPolicies(header, objects) }];
  return { files, notes, rulesExported: exported, rulesSkipped: sink.skipped, stages: stages.coverage };
}

/** Addresses and CIDRs as ipBlocks, merged where they touch or overlap (both families). */
function ipBlocks(entries: readonly string[]): NetworkPolicyPeer[] {
  if (entries.length === 0) return [];
  return mergeCidr([...entries]).sort(compareText).map((cidr) => ({ ipBlock: { cidr } }));
}
