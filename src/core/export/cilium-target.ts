import { mergeCidr } from 'cidr-tools';
import type { PodEntry } from '../enrich/kubernetes';
import { isPodLabelKey, podLabelName } from '../enrich/label-keys';
import { ALL_INTERNAL, type Policy, type PolicyRule } from '../policy/policy-model';
import { describeWindow } from '../policy/time-window';
import { compareText } from '../util/compare';
import { CILIUM_NAMESPACE_KEY, ciliumIdentityLabels, ciliumKey, inCiliumIdentity, withCiliumKeys } from './cilium-labels';
import { CILIUM_MAX_PORTS, type CiliumNetworkPolicy, type CiliumPeers, type CiliumPortProtocol, type CiliumProtocol, type CiliumRule, type EndpointSelector } from './cilium-model';
import { printCiliumNetworkPolicies } from './cilium-print';
import { validateCiliumNetworkPolicy } from './cilium-validate';
import type { TargetOutput } from './export-types';
import { groupAddresses } from './group-addresses';
import { labelValue, qualifiedName } from './k8s-validate';
import { clusterDnsNote, indexPods, internalPeerRanges, listed, mergeLabel, podGroups, policyDrafts, stagedLeftOpen } from './pod-groups';
import { ruleSummary } from './rule-summary';
import { TargetNotes } from './target-notes';

export interface CiliumOptions {
  /** The pods of the cluster (`kubectl get pods -A -o json`), which place group members and give their labels. */
  readonly pods: readonly PodEntry[];
}

const PROTOCOLS: Readonly<Record<number, CiliumProtocol>> = { 6: 'TCP', 17: 'UDP', 132: 'SCTP' };
/** A group's name as an annotation, cut: the API server refuses more than 256 KiB of annotations per object. */
const MAX_NAME_ANNOTATION = 1000;
/** Every cluster's DNS: CoreDNS (or kube-dns) pods carry k8s-app=kube-dns in kube-system. */
const DNS_RULE: CiliumRule = {
  comments: ['cluster DNS on UDP and TCP 53: added by Flowfence, every pod resolves names'],
  peers: { kind: 'endpoints', selectors: [{ matchLabels: { [CILIUM_NAMESPACE_KEY]: 'kube-system', [ciliumKey('k8s-app')]: 'kube-dns' } }] },
  toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }] }],
};
/**
 * A pod group that may receive nothing still needs an ingress rule: Cilium
 * makes an endpoint default-deny in a direction only through a rule of that
 * direction (pkg/policy/utils: one policy entry per rule), and an empty
 * rule `{}` would allow every peer. The entity "none" can be selected but
 * never exists (pkg/policy/api/entity.go), so this rule allows nothing.
 */
const NO_INGRESS_RULE: CiliumRule = { comments: ['nothing may connect to these pods: a rule selecting no peer (the entity none) keeps ingress in default deny'], peers: { kind: 'entities', entities: ['none'] }, toPorts: [] };

/** One policy rule's share of a CiliumNetworkPolicy rule, before rules with the same peers are merged. */
interface RulePart {
  readonly comment: string;
  readonly peers: CiliumPeers;
  /** null: every port and protocol (a staged group left open): the merged rule has no toPorts. */
  readonly port: CiliumPortProtocol | null;
}


/**
 * Cilium: one `cilium.io/v2` CiliumNetworkPolicy per group and namespace
 * (`cilium/ciliumnetworkpolicies.yaml`), selecting the group's pods by the
 * labels that define them and that Cilium keeps in their identity, default
 * deny in both directions for them (enableDefaultDeny, and an ingress rule
 * that selects nothing where nothing may connect), and per policy rule an
 * ingress rule on the server's side and an egress rule on the client's.
 * Pods are peers by namespace and labels (fromEndpoints/toEndpoints),
 * addresses outside the pod lists by merged CIDR sets, every internal host
 * by the cluster entity plus the internal ranges; rules with the same peers
 * share one rule, their ports split at CILIUM_MAX_PORTS per toPorts entry.
 * DNS to the cluster DNS is always open. Port ranges need Cilium 1.16.
 * Every object passes the CRD's and the agent's validation
 * (cilium-validate.ts) or the export fails.
 *
 * Stages: Cilium's Policy Audit Mode (allow all, log what policy would
 * drop) is set for the whole agent (--policy-audit-mode) or per endpoint
 * at run time (`cilium-dbg endpoint config <endpoint id>
 * PolicyAuditMode=Enabled`), by the endpoint ids one agent gives its pods
 * (docs.cilium.io, security/policy-creation, cmdref/cilium-dbg_endpoint_config);
 * no CiliumNetworkPolicy field sets it, and an endpoint id is not known
 * when a manifest is written nor kept when a pod is recreated. A manifest
 * that isolates an observed group would enforce it wherever that command
 * was not (or no longer) run, so staged groups are left open, as by the k8s
 * target: no policy selects their pods, enforced groups' egress allows
 * every port of them, and the report names them with the audit-mode way.
 */
export function ciliumTarget(policy: Policy, options: CiliumOptions): TargetOutput {
  const sink = new TargetNotes('cilium');
  const { notes } = sink;
  const note = sink.note.bind(sink);
  if (options.pods.length === 0) {
    note(null, 'no pods known', 'skipped', 'nothing exported: CiliumNetworkPolicies select pods, and neither the analysis (pod lists, Hubble flows) nor --pods named any');
    return { files: [], notes, rulesExported: 0, rulesSkipped: policy.rules.length };
  }
  // Groups' pods, per namespace, and their selectors, on the labels Cilium keeps in an identity only.
  const cluster = indexPods(options.pods, ciliumIdentityLabels);
  const { selections, nonPods } = podGroups(policy, cluster, 'Cilium', note);
  clusterDnsNote(cluster, note);
  const drafts = policyDrafts<RulePart>(policy, selections);
  const stages = stagedLeftOpen(policy, 'cilium', drafts, 'no CiliumNetworkPolicy selects its pods, so they are not isolated, and enforced groups may reach them on every port: Policy Audit Mode is set per agent or per endpoint id at run time (cilium-dbg endpoint config <id> PolicyAuditMode=Enabled), not by a policy; to see what enforcement would drop, enable it on these pods\' endpoints and export with the group enforced');
  notes.push(...stages.notes);
  const { openGroups, podDrafts, draftsOf } = stages;
  const nodesOf = (groupId: string): string[] => (groupId === ALL_INTERNAL ? [] : (nonPods.get(groupId) ?? []).filter((ip) => cluster.nodeIps.has(ip)));

  const peersOf = (groupId: string, label: Record<string, string> | null): CiliumPeers[] => {
    if (groupId === ALL_INTERNAL) {
      // Every internal host: every endpoint of the cluster (pods, nodes), and the internal ranges outside it.
      if (label !== null) return [{ kind: 'endpoints', selectors: [{ matchLabels: label, matchExpressions: [{ key: CILIUM_NAMESPACE_KEY, operator: 'Exists' }] }] }];
      return [{ kind: 'entities', entities: ['cluster'] }, ...cidrPeers(internalPeerRanges(policy))];
    }
    const group = policy.groups.find((candidate) => candidate.id === groupId);
    if (group === undefined) return [];
    if (group.kind === 'external') {
      const addresses = groupAddresses(policy, groupId);
      return label === null ? cidrPeers([...addresses.v4, ...addresses.v6]) : [];
    }
    // A selection whose own labels contradict the identity condition can never send: it is no peer.
    const selectors: EndpointSelector[] = (selections.get(groupId) ?? []).flatMap((selection) => {
      const keyed = withCiliumKeys(selection.selector);
      const base = { matchLabels: { [CILIUM_NAMESPACE_KEY]: selection.namespace, ...keyed.matchLabels }, ...(keyed.matchExpressions === undefined ? {} : { matchExpressions: keyed.matchExpressions }) };
      const merged = label === null ? base : mergeLabel(base, label);
      return merged === null ? [] : [merged];
    });
    const addresses = (nonPods.get(groupId) ?? []).filter((ip) => !cluster.nodeIps.has(ip));
    return [...(selectors.length > 0 ? [{ kind: 'endpoints' as const, selectors }] : []), ...(label === null ? cidrPeers(addresses) : [])];
  };

  let exported = 0;
  for (const rule of [...policy.rules].sort((a, b) => compareText(a.id, b.id))) {
    if (sink.skipRejected(rule)) continue;
    const protocol = PROTOCOLS[rule.proto];
    if (protocol === undefined) {
      sink.skip(rule.id, `protocol ${rule.service}`, 'left-closed', 'these policies open TCP, UDP and SCTP only (ICMP would need each type listed); nothing is opened');
      continue;
    }
    const servers = draftsOf(rule.to);
    const clients = draftsOf(rule.from);
    if (servers.length === 0 && clients.length === 0 && (openGroups.includes(rule.from) || openGroups.includes(rule.to))) {
      sink.skip(rule.id, 'traffic between groups left open or not pods', 'left-open', 'no CiliumNetworkPolicy filters it while its groups are staged');
      continue;
    }
    if (servers.length === 0 && clients.length === 0) {
      sink.skip(rule.id, 'traffic between hosts that are not pods', 'skipped', "not a CiliumNetworkPolicy's to filter: neither end is a pod in the pod lists");
      continue;
    }
    const comment = ruleSummary(rule);
    if (rule.jit !== null) {
      sink.skip(rule.id, 'just-in-time access', 'left-closed', `closed; opening it allows ${rule.from} to ${rule.to} on ${rule.service} (a comment in each policy it touches shows the rule)`);
      for (const draft of new Set([...servers, ...clients])) draft.remarks.push(`just-in-time, closed: ${rule.id} would allow ${rule.from} to ${rule.to} on ${rule.service}`);
      continue;
    }
    const identity = identityLabel(rule);
    if (identity === 'unselectable') {
      sink.skip(rule.id, `identity condition ${rule.identity!.label.key}=${rule.identity!.label.value}`, 'left-closed', 'no pod identity can carry that label, so no client qualifies and nothing is opened');
      continue;
    }
    if (rule.from === ALL_INTERNAL || rule.to === ALL_INTERNAL) note(rule.id, 'every internal host as addresses', 'narrowed', 'loopback and link-local ranges left out: no pod reaches the cloud metadata service (169.254.169.254) through a rule for every internal host');
    if (rule.window !== null) note(rule.id, `time window ${describeWindow(rule.window)}`, 'left-open', 'open at all hours: CiliumNetworkPolicies have no time of day');
    if (rule.identity !== null && identity === null) note(rule.id, `identity condition ${rule.identity.label.key}=${rule.identity.label.value}`, 'left-open', `open to every client of ${rule.from}: only pod labels can be selected`);
    for (const [side, others] of [[rule.from, servers], [rule.to, clients]] as const) {
      const nodes = nodesOf(side);
      if (nodes.length > 0 && others.length > 0) note(rule.id, `node addresses of ${side} (${listed(nodes)})`, 'narrowed', 'not opened: Cilium gives nodes the host and remote-node identities, which CIDR rules do not select; a node still reaches its own pods (Cilium allows the local host)');
    }
    const fromPeers = peersOf(rule.from, identity);
    const toPeers = peersOf(rule.to, null);
    if (fromPeers.length === 0 || toPeers.length === 0) {
      sink.skip(rule.id, `${fromPeers.length === 0 ? rule.from : rule.to} as a peer`, 'left-closed', 'the group names no pod or address Cilium can select, so nothing is opened');
      continue;
    }
    const port: CiliumPortProtocol = rule.ports === null ? { port: '1', endPort: 65535, protocol } : rule.ports.from === rule.ports.to ? { port: `${rule.ports.from}`, protocol } : { port: `${rule.ports.from}`, endPort: rule.ports.to, protocol };
    for (const draft of servers) for (const peers of fromPeers) draft.ingress.push({ comment, peers, port });
    for (const draft of clients) for (const peers of toPeers) draft.egress.push({ comment, peers, port });
    exported++;
  }

  for (const group of openGroups) {
    const comment = `${group} is ${policy.groups.find((candidate) => candidate.id === group)!.stage!.stage}: left open by this export, so every port of it is allowed`;
    for (const peers of peersOf(group, null)) for (const draft of podDrafts) draft.egress.push({ comment, peers, port: null });
  }

  const objects: CiliumNetworkPolicy[] = podDrafts
    .map((draft) => {
      const ingress = mergeParts(draft.ingress);
      return {
        name: draft.name,
        namespace: draft.selection.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'flowfence' },
        annotations: { 'flowfence.io/group': draft.group.id, 'flowfence.io/group-name': draft.group.name.slice(0, MAX_NAME_ANNOTATION), 'flowfence.io/policy-sha256': policy.contentSha256 },
        endpointSelector: withCiliumKeys(draft.selection.selector),
        enableDefaultDeny: { ingress: true, egress: true },
        ingress: ingress.length === 0 ? [NO_INGRESS_RULE] : ingress,
        egress: [DNS_RULE, ...mergeParts(draft.egress)],
        remarks: draft.remarks,
      };
    })
    .sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name));
  const problems = objects.flatMap((object) => validateCiliumNetworkPolicy(object).map((problem) => `${object.namespace}/${object.name} ${problem}`));
  if (problems.length > 0) throw new Error(`the cilium export would not pass the CRD's or the agent's validation:\n${problems.join('\n')}`);
  const header = ['Flowfence CiliumNetworkPolicies (Cilium 1.16 or later): one per group and namespace; selected pods deny by default in both directions', `policy sha256 ${policy.contentSha256}`, `learned from ${policy.window.from ?? '?'} to ${policy.window.to ?? '?'}`];
  const files = objects.length === 0 ? [] : [{ path: 'cilium/ciliumnetworkpolicies.yaml', content: printCiliumNetworkPolicies(header, objects) }];
  return { files, notes, rulesExported: exported, rulesSkipped: sink.skipped, stages: stages.coverage };
}

/**
 * A rule's identity condition as selector labels: a Kubernetes pod label
 * ("k8s:tier") that Cilium keeps in the identity; null when there is none
 * or it is no pod label (left open); 'unselectable' when no pod could carry
 * it (not a valid label, left out of the identity, or the namespace's own).
 */
function identityLabel(rule: PolicyRule): Record<string, string> | null | 'unselectable' {
  if (rule.identity === null || !isPodLabelKey(rule.identity.label.key)) return null;
  const key = podLabelName(rule.identity.label.key);
  const { value } = rule.identity.label;
  if (qualifiedName(key).length > 0 || labelValue(value).length > 0 || !inCiliumIdentity(key) || ciliumKey(key) === CILIUM_NAMESPACE_KEY) return 'unselectable';
  return { [ciliumKey(key)]: value };
}

/** Parts with the same peers become one rule: its ports in order, without repeats, split at CILIUM_MAX_PORTS per toPorts entry. */
function mergeParts(parts: readonly RulePart[]): CiliumRule[] {
  const byPeers = new Map<string, { peers: CiliumPeers; comments: string[]; ports: Map<string, CiliumPortProtocol>; everyPort: boolean }>();
  for (const part of parts) {
    const key = JSON.stringify(part.peers);
    let merged = byPeers.get(key);
    if (merged === undefined) byPeers.set(key, (merged = { peers: part.peers, comments: [], ports: new Map(), everyPort: false }));
    if (!merged.comments.includes(part.comment)) merged.comments.push(part.comment);
    if (part.port === null) merged.everyPort = true;
    else merged.ports.set(JSON.stringify(part.port), part.port);
  }
  return [...byPeers.values()].map(({ peers, comments, ports, everyPort }) => {
    // Every port for these peers: no toPorts (an entry without ports is refused; a missing list is every port).
    const list = everyPort ? [] : [...ports.values()];
    const toPorts = [];
    for (let start = 0; start < list.length; start += CILIUM_MAX_PORTS) toPorts.push({ ports: list.slice(start, start + CILIUM_MAX_PORTS) });
    return { comments, peers, toPorts };
  });
}

/** Addresses and CIDRs as one CIDR set, merged where they touch or overlap; every address of both families is the world entity. */
function cidrPeers(entries: readonly string[]): CiliumPeers[] {
  if (entries.length === 0) return [];
  const merged = mergeCidr([...entries]).sort(compareText);
  if (merged.length === 2 && merged.includes('0.0.0.0/0') && merged.includes('::/0')) return [{ kind: 'entities', entities: ['world'] }];
  return [{ kind: 'cidrs', cidrs: merged.map((cidr) => ({ cidr })) }];
}
