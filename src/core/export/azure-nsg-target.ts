import { containsCidr, mergeCidr, parseCidr } from 'cidr-tools';
import { canonicalIp } from '../net/ip';
import { matchCidrs } from '../policy/membership';
import { ALL_INTERNAL, type Policy, type PolicyGroup, type PolicyRule } from '../policy/policy-model';
import { describeWindow } from '../policy/time-window';
import { compareText } from '../util/compare';
import type { TargetOutput } from './export-types';
import { groupAddresses } from './group-addresses';
import { fitToLimits, type PlannedRule } from './azure-nsg-limits';
import type { AddressFamily, ApplicationSecurityGroup, AzureNsgTemplate, NetworkSecurityGroup, NsgEndpoint, NsgProtocol, NsgSecurityRule } from './azure-nsg-model';
import { groupResourceName, securityRuleName } from './azure-nsg-names';
import { printTemplateObject, templateObject } from './azure-nsg-print';
import { PRIORITY, validateAzureTemplate, validateTemplateSize } from './azure-nsg-validate';
import { ruleSummary } from './rule-summary';
import { TargetNotes } from './target-notes';
import { planStageRules } from './azure-nsg-stage';

/**
 * Azure network security groups: one ARM template (`azure-nsg/azuredeploy.json`)
 * with, per internal group, an application security group (ASG) that its
 * hosts' network interfaces join and a network security group (NSG) attached
 * to those interfaces. Each exported policy rule becomes an Inbound Allow on
 * the server group's NSG and an Outbound Allow on the client group's NSG;
 * internal peers are named by their ASG, outside networks and the
 * all-internal group by merged address prefixes (one rule per address
 * family: Azure refuses mixed families). Every NSG ends in a Deny-all rule
 * each way at priority 4096, evaluated before Azure's own AllowVnetInBound
 * and AllowVnetOutBound (65000), so only what the policy lists passes; the
 * allow rules sit from 100 up in steps of 10, so that an analyst can insert
 * rules between them. Platform traffic to 168.63.129.16 and 169.254.169.254
 * (DHCP, DNS, IMDS, health probes) is not subject to NSGs unless named by
 * its service tags ("Azure network security groups overview", Azure
 * platform considerations), so the Deny-all rules leave it working. NSGs
 * are stateful: the reply of an allowed connection needs no rule.
 */

const PROTOCOLS: Readonly<Record<number, NsgProtocol>> = { 6: 'Tcp', 17: 'Udp', 1: 'Icmp', 50: 'Esp', 51: 'Ah' };
const PORT_PROTOCOLS = new Set<NsgProtocol>(['Tcp', 'Udp']);
/** The Deny-all rules' priority: the last a custom rule can have. */
const DENY_PRIORITY = PRIORITY.max;
/** Room between rules, when the rules fit with it: an analyst can insert nine rules between two. */
const PRIORITY_STEP = 10;
const DENY_RULES = 2;

/** One side of a rule as the other side's NSG names it, with the address family its prefixes are of (null for ASGs). */
interface PeerEnd {
  readonly family: AddressFamily | null;
  readonly endpoint: NsgEndpoint;
}

interface Entry extends PlannedRule {
  readonly rule: PolicyRule;
  readonly direction: 'Inbound' | 'Outbound';
  readonly family: AddressFamily | null;
  readonly protocol: NsgProtocol;
  readonly ports: string;
}

interface Draft {
  readonly group: PolicyGroup;
  readonly nsg: string;
  readonly asg: string;
  readonly entries: Entry[];
  readonly remarks: string[];
}

export function azureNsgTarget(policy: Policy): TargetOutput {
  const sink = new TargetNotes('azure-nsg');
  const { notes } = sink;
  const note = sink.note.bind(sink);

  const drafts = new Map<string, Draft>();
  for (const group of [...policy.groups].sort((a, b) => compareText(a.id, b.id))) {
    if (group.kind === 'external' || group.kind === 'all-internal') continue;
    drafts.set(group.id, { group, nsg: groupResourceName('nsg', group.id), asg: groupResourceName('asg', group.id), entries: [], remarks: [] });
  }
  const allDrafts = [...drafts.values()];
  for (const draft of allDrafts) {
    const placed = placementRule(draft.group);
    if (placed !== null && !listedOnly(draft.group)) note(null, `hosts of ${draft.group.id} placed by rule (${placed})`, 'narrowed', `${draft.asg} holds the network interfaces joined to it: its comments list the ${draft.group.members.length} listed members; join each new host the rule places as it comes`);
  }
  note(null, 'internal hosts in no group', 'left-open', 'no NSG of this export is attached to them: Azure filters only what they exchange with the groups\' hosts');

  const draftsOf = (groupId: string): Draft[] => (groupId === ALL_INTERNAL ? allDrafts : drafts.has(groupId) ? [drafts.get(groupId)!] : []);
  const ends = new Map<string, PeerEnd[]>();
  const peerEnds = (groupId: string): PeerEnd[] => {
    let found = ends.get(groupId);
    if (found === undefined) ends.set(groupId, (found = resolvePeer(policy, groupId, drafts)));
    return found;
  };

  const exported = new Set<string>();
  for (const rule of [...policy.rules].sort((a, b) => compareText(a.id, b.id))) {
    if (sink.skipRejected(rule)) continue;
    const protocol = PROTOCOLS[rule.proto];
    if (protocol === undefined) {
      sink.skip(rule.id, `protocol ${rule.service}`, 'left-closed', 'NSG rules open Tcp, Udp, Icmp, Esp and Ah (or every protocol at once); nothing is opened');
      continue;
    }
    const servers = draftsOf(rule.to);
    const clients = draftsOf(rule.from);
    if (servers.length === 0 && clients.length === 0) {
      sink.skip(rule.id, 'traffic between hosts outside every group of this export', 'skipped', 'not an NSG\'s to filter here: neither end is an internal group, so no NSG of this template sees it');
      continue;
    }
    // ICMP (protocol 1) exists in IPv4 only: IPv6 prefixes would open nothing.
    const usable = (list: PeerEnd[]): PeerEnd[] => (protocol === 'Icmp' ? list.filter((end) => end.family !== 'v6') : list);
    const fromEnds = usable(peerEnds(rule.from));
    const toEnds = usable(peerEnds(rule.to));
    if (fromEnds.length === 0 || toEnds.length === 0) {
      sink.skip(rule.id, `${fromEnds.length === 0 ? rule.from : rule.to} as a rule's source or destination`, 'left-closed', 'the group names no address or application security group Azure can match, so nothing is opened');
      continue;
    }
    if (rule.jit !== null) {
      exported.add(rule.id);
      const inbound = servers.length === 0 ? '' : `an Inbound Allow from ${rule.from} on ${rule.service} on ${listed(servers.map((draft) => draft.nsg))}`;
      const outbound = clients.length === 0 ? '' : `an Outbound Allow to ${rule.to} on ${listed(clients.map((draft) => draft.nsg))}`;
      note(rule.id, 'just-in-time access', 'left-closed', `closed: no NSG rule is written (a comment on each NSG it touches shows it). Opening it adds ${[inbound, outbound].filter((part) => part !== '').join(' and ')}; Azure's own just-in-time VM access (Microsoft Defender for Cloud) opens the inbound side for a while, so the outbound side must be added with it`);
      for (const draft of new Set([...servers, ...clients])) draft.remarks.push(`just-in-time, closed: ${rule.id} would allow ${rule.from} to ${rule.to} on ${rule.service}`);
      continue;
    }
    if (rule.window !== null) note(rule.id, `time window ${describeWindow(rule.window)}`, 'left-open', 'open at all hours: NSG rules have no time of day');
    if (rule.identity !== null) note(rule.id, `identity condition ${rule.identity.label.key}=${rule.identity.label.value}`, 'left-open', `open to every client of ${rule.from}: NSG rules see addresses and network interfaces, not labels`);
    let ports = '*';
    if (PORT_PROTOCOLS.has(protocol)) {
      if (rule.ports === null) note(rule.id, `${rule.service} without a port`, 'widened', 'every port of the protocol is opened: an NSG rule names its ports or all of them');
      else ports = rule.ports.from === rule.ports.to ? String(rule.ports.from) : `${rule.ports.from}-${rule.ports.to}`;
    }
    for (const draft of servers) {
      const own: NsgEndpoint = { kind: 'asg', names: [draft.asg] };
      for (const end of fromEnds) draft.entries.push({ ruleId: rule.id, rule, direction: 'Inbound', family: end.family, protocol, ports, source: end.endpoint, destination: own });
    }
    for (const draft of clients) {
      const own: NsgEndpoint = { kind: 'asg', names: [draft.asg] };
      for (const end of toEnds) draft.entries.push({ ruleId: rule.id, rule, direction: 'Outbound', family: end.family, protocol, ports, source: own, destination: end.endpoint });
    }
    exported.add(rule.id);
  }

  // Azure's per-NSG limits: rules that do not fit are left out everywhere, closed and noted.
  const byName = [...allDrafts].sort((a, b) => compareText(a.nsg, b.nsg));
  const { dropped, overflows } = fitToLimits(byName.map((draft) => ({ name: draft.nsg, rules: draft.entries })), DENY_RULES);
  for (const overflow of overflows) {
    note(null, `${overflow.nsg} would need ${overflow.limit}`, 'left-closed', `the last ${overflow.dropped.length} policy rules on it by id are left out of every NSG (each has its own note)`);
    for (const id of overflow.dropped) note(id, `room on ${overflow.nsg} (${overflow.limit})`, 'left-closed', 'not exported: left out of every NSG of the template, so closed');
  }
  for (const draft of allDrafts) draft.entries.splice(0, draft.entries.length, ...draft.entries.filter((entry) => !dropped.has(entry.ruleId)));
  for (const id of dropped) exported.delete(id);
  sink.skipped += dropped.size;

  const stages = planStageRules(policy, new Map(allDrafts.map((draft) => [draft.group.id, draft.asg])));
  notes.push(...stages.notes);

  const template: AzureNsgTemplate = {
    metadata: {
      generator: 'Flowfence',
      description: 'Network security groups and application security groups from a Flowfence policy: one of each per internal group. Join each group\'s network interfaces to its ASG and attach its NSG to them.',
      policySha256: policy.contentSha256,
      learnedFrom: policy.window.from ?? '?',
      learnedTo: policy.window.to ?? '?',
    },
    applicationSecurityGroups: byName.map((draft) => asgOf(draft, policy)).sort((a, b) => compareText(a.name, b.name)),
    networkSecurityGroups: byName.map((draft) => nsgOf(draft, policy, stages.inbound.get(draft.group.id) ?? [], stages.outbound.get(draft.group.id) ?? [])),
  };
  const problems = validateAzureTemplate(template);
  if (problems.length > 0) throw new Error(`the azure-nsg export would not pass Azure's validation:\n${problems.join('\n')}`);
  const object = templateObject(template);
  const content = printTemplateObject(object);
  const sizeProblems = validateTemplateSize(content, object.resources);
  if (sizeProblems.length > 0) throw new Error(`the azure-nsg export is beyond Resource Manager's template limits:\n${sizeProblems.join('\n')}`);
  return { files: allDrafts.length === 0 ? [] : [{ path: 'azure-nsg/azuredeploy.json', content }], notes, rulesExported: exported.size, rulesSkipped: sink.skipped, stages: stages.coverage };
}

/** A group's membership rule that its listed members alone do not stand for, as text; null when it has none. */
function placementRule(group: PolicyGroup): string | null {
  const match = group.match;
  if (match === null || 'scope' in match) return null;
  if ('label' in match) return `label ${match.label.key}=${match.label.value}`;
  if ('hostnamePrefix' in match) return `hostname ${match.hostnamePrefix}*`;
  return `cidr ${matchCidrs(match).join(', ')}`;
}

/** True when the group's CIDR rule places no host but its listed members (every address of the CIDR is listed): its ASG misses no one. */
function listedOnly(group: PolicyGroup): boolean {
  if (group.match === null || !('cidr' in group.match)) return false;
  const { cidr } = group.match;
  let range: { start: bigint; end: bigint };
  try {
    range = parseCidr(cidr);
  } catch {
    return false;
  }
  const members = group.members.map(canonicalIp).filter((ip): ip is string => ip !== null);
  const listed = new Set(members.filter((ip) => containsCidr(cidr, ip)));
  return BigInt(listed.size) >= range.end - range.start + 1n;
}

/** How an NSG names a group on the far side of a rule: its ASG for an internal group, merged prefixes per family for the rest. */
function resolvePeer(policy: Policy, groupId: string, drafts: ReadonlyMap<string, Draft>): PeerEnd[] {
  const draft = drafts.get(groupId);
  if (draft !== undefined) return [{ family: null, endpoint: { kind: 'asg', names: [draft.asg] } }];
  const isExternal = policy.groups.some((group) => group.id === groupId && group.kind === 'external');
  if (groupId !== ALL_INTERNAL && !isExternal) return [];
  const addresses = groupAddresses(policy, groupId);
  const ends: PeerEnd[] = [];
  for (const [family, entries] of [['v4', addresses.v4], ['v6', addresses.v6]] as const) {
    if (entries.length === 0) continue;
    ends.push({ family, endpoint: { kind: 'prefixes', family, prefixes: mergeCidr([...entries]).sort(compareText) } });
  }
  return ends;
}

function tagsOf(group: PolicyGroup, policy: Policy): Record<string, string> {
  return { 'flowfence-group': group.id, 'flowfence-group-name': group.name, 'flowfence-policy-sha256': policy.contentSha256 };
}

function asgOf(draft: Draft, policy: Policy): ApplicationSecurityGroup {
  const placed = placementRule(draft.group);
  return {
    name: draft.asg,
    tags: tagsOf(draft.group, policy),
    comments: [
      `Join the network interfaces (IP configurations) of group ${draft.group.id}'s hosts: ${draft.group.members.length === 0 ? 'none listed' : [...draft.group.members].sort(compareText).join(', ')}.`,
      ...(placed === null ? [] : [`The group also places hosts by ${placed}: join them as they come.`]),
    ],
  };
}

/** Rules in order of policy rule id and family, from priority 100 in steps of 10, or closer steps when there are too many for 10; `reserved` priorities below the Deny-all are kept for stage rules. */
function prioritised(entries: readonly Entry[], direction: Entry['direction'], reserved: number): NsgSecurityRule[] {
  const ordered = entries.filter((entry) => entry.direction === direction).sort((a, b) => compareText(a.ruleId, b.ruleId) || compareText(a.family ?? '', b.family ?? ''));
  const room = DENY_PRIORITY - 1 - reserved - PRIORITY.min;
  const step = ordered.length <= 1 ? PRIORITY_STEP : Math.min(PRIORITY_STEP, Math.floor(room / (ordered.length - 1)));
  return ordered.map((entry, index) => ({
    name: securityRuleName(direction, entry.ruleId, entry.family),
    priority: PRIORITY.min + index * step,
    direction,
    access: 'Allow',
    protocol: entry.protocol,
    source: entry.source,
    destination: entry.destination,
    destinationPorts: entry.ports,
    description: ruleSummary(entry.rule),
  }));
}

function denyAll(direction: Entry['direction']): NsgSecurityRule {
  return {
    name: direction === 'Inbound' ? 'deny-all-in' : 'deny-all-out',
    priority: DENY_PRIORITY,
    direction,
    access: 'Deny',
    protocol: '*',
    source: { kind: 'any' },
    destination: { kind: 'any' },
    destinationPorts: '*',
    description: `Flowfence: deny all ${direction.toLowerCase()} traffic the policy does not list (evaluated before Azure's Allow${direction === 'Inbound' ? 'VnetInBound' : 'VnetOutBound'} at 65000)`,
  };
}

function nsgOf(draft: Draft, policy: Policy, stageIn: readonly Omit<NsgSecurityRule, 'priority'>[], stageOut: readonly Omit<NsgSecurityRule, 'priority'>[]): NetworkSecurityGroup {
  // Stage rules sit just above the Deny-all, after every allow of the policy: denies of listed services first, then the open rule.
  const placed = (rules: readonly Omit<NsgSecurityRule, 'priority'>[]): NsgSecurityRule[] => {
    const ordered = [...rules.filter((rule) => rule.access === 'Deny'), ...rules.filter((rule) => rule.access === 'Allow')];
    return ordered.map((rule, index) => ({ ...rule, priority: DENY_PRIORITY - ordered.length + index }));
  };
  return {
    name: draft.nsg,
    tags: tagsOf(draft.group, policy),
    comments: [`Attach to the network interfaces of group ${draft.group.id}'s hosts (the members of ${draft.asg}).`, ...draft.remarks],
    rules: [...prioritised(draft.entries, 'Inbound', stageIn.length), ...placed(stageIn), denyAll('Inbound'), ...prioritised(draft.entries, 'Outbound', stageOut.length), ...placed(stageOut), denyAll('Outbound')],
  };
}

function listed(names: readonly string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more NSGs`;
}
