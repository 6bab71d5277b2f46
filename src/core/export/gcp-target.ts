import { mergeCidr } from 'cidr-tools';
import { parseCidr } from '../enrich/address-scope';
import { matchCidrs } from '../policy/membership';
import { ALL_INTERNAL, type Policy, type PolicyGroup, type PolicyRule } from '../policy/policy-model';
import { describeWindow } from '../policy/time-window';
import { compareText } from '../util/compare';
import type { TargetOutput } from './export-types';
import { groupAddresses, hostsOf } from './group-addresses';
import type { GcpAddressFamily, GcpFirewallConfig, GcpFirewallRule, GcpInstanceTags, GcpNetworkTag, GcpProtocolMatch } from './gcp-model';
import { networkTag, ruleNameStem } from './gcp-names';
import { printGcpFirewall, printInstanceTags } from './gcp-print';
import { GCP_LIMITS, validateGcpFirewall } from './gcp-validate';
import { ruleSummary } from './rule-summary';
import { TargetNotes } from './target-notes';
import { stageRules } from './gcp-stage';
import { printableAscii } from './safe-text';

/** Every allow rule: GCP's default priority, far from both ends so that an operator can place rules before or after. */
export const GCP_ALLOW_PRIORITY = 1000;
/**
 * The explicit deny of all other ingress: above every allow, and below the
 * default network's pre-populated allow rules (default-allow-internal, -ssh,
 * -rdp, -icmp at 65534), which it overrides; the implied deny is at 65535.
 */
export const GCP_DENY_ALL_PRIORITY = 65000;

export const GCP_NETWORK_VARIABLE = 'flowfence_network';

/** Protocols the API takes by name; any other is written as its number. */
const PROTOCOL_NAMES: Readonly<Record<number, string>> = { 1: 'icmp', 4: 'ipip', 6: 'tcp', 17: 'udp', 50: 'esp', 51: 'ah', 132: 'sctp' };
const PORT_PROTOCOLS = new Set([6, 17, 132]);
/** ICMP and ICMPv6 each occur in one address family only. */
const ONLY_FAMILY: Readonly<Record<number, GcpAddressFamily>> = { 1: 'ipv4', 58: 'ipv6' };

/** Who a rule's clients are, as a VPC firewall rule can name them. */
interface Sources {
  readonly tags: readonly string[];
  readonly ipv4: readonly string[];
  readonly ipv6: readonly string[];
  /** A membership rule only the tagged instances stand for (label, host name), as text; null when none. */
  readonly unexpressed: string | null;
}

/**
 * Google Cloud: Terraform `google_compute_firewall` resources in
 * `gcp/firewall.tf`, and `gcp/instance-tags.csv`, the network tag each
 * listed host must carry. One tag per internal group. Each policy rule
 * becomes ingress allow rules at priority 1000 on the server group's tag
 * (target_tags; none for the all-internal group: every instance), matching
 * clients by their group's tag (source_tags) or by address (source_ranges:
 * outside networks, the all-internal ranges, a group's CIDR membership
 * rule), one address family per rule, split where a rule would pass
 * Google's per-rule limits. A deny of all ingress from 0.0.0.0/0 and ::/0
 * at priority 65000 leaves only what the policy lists.
 *
 * Egress is left open, as the host firewalls leave it: GCP's implied rule
 * allows all egress, and each policy rule between instances is enforced
 * where its servers receive it. Egress rules could not say more: they take
 * no source tags and name destinations by address only (destination_ranges),
 * so between instances they would repeat the ingress rules by address.
 * Rules to outside networks are noted as left open.
 *
 * Just-in-time rules get no resource (a comment shows what opening one
 * adds); time windows (GCP firewall rules have no time) and identity
 * conditions (they match instances, not users) are left open; rejected
 * rules are left out. The result passes gcp-validate.ts or the export fails.
 * Staged groups are expressed by priorities and Firewall Rules Logging (gcp-stage.ts).
 */
export function gcpTarget(policy: Policy): TargetOutput {
  const sink = new TargetNotes('gcp');
  const { notes } = sink;
  const note = sink.note.bind(sink);
  note(null, 'egress (traffic the instances send)', 'left-open', 'GCP allows all egress by default and this export writes ingress rules only: each rule is enforced where its servers receive it');

  const groups = new Map(policy.groups.map((group) => [group.id, group]));
  const internalGroups = [...policy.groups].filter((group) => group.kind !== 'external' && group.kind !== 'all-internal').sort((a, b) => compareText(a.id, b.id));
  const tags: GcpNetworkTag[] = internalGroups.map((group) => ({ tag: networkTag(group.id), group: group.id, groupName: group.name }));
  const tagOf = new Map(tags.map((entry) => [entry.group, entry.tag]));
  const instances: GcpInstanceTags[] = [...hostsOf(policy)].sort((a, b) => compareText(a[0], b[0])).map(([address, group]) => ({ address, group: group.id, tags: [tagOf.get(group.id)!] }));
  const tagged = new Map<string, number>();
  for (const instance of instances) tagged.set(instance.group, (tagged.get(instance.group) ?? 0) + 1);

  const sourcesOf = (groupId: string): Sources => {
    const group = groups.get(groupId);
    if (groupId === ALL_INTERNAL || group?.kind === 'external') {
      const { v4, v6 } = groupAddresses(policy, groupId);
      return { tags: [], ipv4: cidrs(v4), ipv6: cidrs(v6), unexpressed: null };
    }
    if (group === undefined) return { tags: [], ipv4: [], ipv6: [], unexpressed: null };
    const own = (tagged.get(group.id) ?? 0) > 0 ? [tagOf.get(group.id)!] : [];
    const ranges = matchCidrs(group.match).flatMap((cidr) => parseCidr(cidr)?.text ?? []);
    return { tags: own, ipv4: cidrs(ranges.filter((range) => !range.includes(':'))), ipv6: cidrs(ranges.filter((range) => range.includes(':'))), unexpressed: unexpressedRule(group) };
  };

  const rules: GcpFirewallRule[] = [];
  const closed: string[] = [];
  const servedGroups = new Set<string>();
  let exported = 0;
  for (const rule of [...policy.rules].sort((a, b) => compareText(a.id, b.id))) {
    if (sink.skipRejected(rule)) continue;
    const to = groups.get(rule.to);
    if (rule.to !== ALL_INTERNAL && to === undefined) {
      sink.skip(rule.id, `servers of ${rule.to}`, 'left-closed', 'the policy has no such group, so nothing is opened');
      continue;
    }
    if (to?.kind === 'external') {
      sink.skip(rule.id, 'traffic to an outside network', 'left-open', 'not filtered: GCP allows all egress by default and this export writes ingress rules only');
      continue;
    }
    const sources = sourcesOf(rule.from);
    if (sources.tags.length + sources.ipv4.length + sources.ipv6.length === 0) {
      sink.skip(rule.id, `clients of ${rule.from}`, 'left-closed', 'the group has no tagged instance and no address range a firewall rule can match, so nothing is opened');
      continue;
    }
    const targetTags = rule.to === ALL_INTERNAL ? [] : [tagOf.get(rule.to)!];
    const planned = plannedRules(rule, sources, targetTags);
    if (planned.length === 0) {
      sink.skip(rule.id, `${rule.service} from ${rule.from}`, 'left-closed', 'the clients have no address of the family this protocol runs on, so nothing is opened');
      continue;
    }
    if (sources.unexpressed !== null) note(rule.id, `clients placed by rule (${sources.unexpressed})`, 'narrowed', `only instances tagged ${sources.tags.join(', ') || '(none)'} are allowed: the ${tagged.get(rule.from) ?? 0} listed members of ${rule.from} in instance-tags.csv`);
    if (rule.ports !== null && !PORT_PROTOCOLS.has(rule.proto)) note(rule.id, `ports ${portText(rule.ports)} of protocol ${rule.proto}`, 'widened', 'every port is allowed: GCP firewall rules filter ports of TCP, UDP and SCTP only');
    if (rule.window !== null) note(rule.id, `time window ${describeWindow(rule.window)}`, 'left-open', 'open at all hours: GCP firewall rules have no time of day');
    if (rule.identity !== null) note(rule.id, `identity condition ${rule.identity.label.key}=${rule.identity.label.value}`, 'left-open', `open to every client of ${rule.from}: firewall rules match instances and addresses, not labels`);
    exported++;
    if (to !== undefined) servedGroups.add(to.id);
    if (rule.jit !== null) {
      note(rule.id, 'just-in-time access', 'left-closed', `closed; opening it allows ${rule.from} to ${rule.to} on ${rule.service} (a comment in firewall.tf shows the rules it would add)`);
      closed.push(`just-in-time, closed: ${rule.id} would allow ${describeSources(sources)} to ${targetTags.length === 0 ? 'every instance' : `instances tagged ${targetTags.join(', ')}`} on ${rule.service} (${planned.map((entry) => entry.name).join(', ')})`);
      continue;
    }
    rules.push(...planned);
  }

  for (const group of internalGroups) {
    const ruled = matchCidrs(group.match);
    const described = unexpressedRule(group) ?? (ruled.length > 0 ? `hosts in ${ruled.join(', ')}` : null);
    if (described === null || !servedGroups.has(group.id)) continue;
    note(null, `servers placed by ${group.id}'s membership rule (${described})`, 'narrowed', `the rules to ${group.id} reach instances tagged ${tagOf.get(group.id)}: the ${tagged.get(group.id) ?? 0} listed members in instance-tags.csv; tag any other instance the rule places`);
  }

  const stages = stageRules(policy, tagOf, tagged);
  rules.push(...stages.rules, ...denyAll());
  notes.push(...stages.notes);
  const header = [
    'Flowfence VPC firewall rules for Google Cloud (Terraform google_compute_firewall): ingress only, everything not listed is denied',
    `policy sha256 ${policy.contentSha256}`,
    `learned from ${policy.window.from ?? '?'} to ${policy.window.to ?? '?'}`,
    `terraform apply -var ${GCP_NETWORK_VARIABLE}=NETWORK, after putting on each instance the network tags instance-tags.csv lists for it`,
    `egress is left open (GCP's implied allow egress rule); the deny-all at priority ${GCP_DENY_ALL_PRIORITY} also overrides the default network's allow rules at 65534`,
  ];
  const config: GcpFirewallConfig = { header, networkVariable: GCP_NETWORK_VARIABLE, tags, rules, closed, instances };
  const problems = validateGcpFirewall(config);
  if (problems.length > 0) throw new Error(`the gcp export would not pass Google Cloud's validation:\n${problems.join('\n')}`);
  return {
    stages: stages.coverage,
    files: [
      { path: 'gcp/firewall.tf', content: printGcpFirewall(config) },
      { path: 'gcp/instance-tags.csv', content: printInstanceTags(config) },
    ],
    notes,
    rulesExported: exported,
    rulesSkipped: sink.skipped,
  };
}

/**
 * The firewall rules of one policy rule: one per address family of client
 * ranges (a rule never mixes IPv4 and IPv6), each split into several where
 * Google's per-rule limits would be passed. The client group's tag rides on
 * the first of them (a rule matches its source ranges OR its source tags,
 * as the API reference documents), or gets a rule of its own when there
 * are no ranges. ICMP has no IPv6 rule and ICMPv6 no IPv4 one: no such
 * packet exists.
 */
function plannedRules(rule: PolicyRule, sources: Sources, targetTags: readonly string[]): GcpFirewallRule[] {
  const stem = ruleNameStem(rule.id);
  const description = printableAscii(ruleSummary(rule)).slice(0, GCP_LIMITS.descriptionLength);
  const match: GcpProtocolMatch = {
    protocol: PROTOCOL_NAMES[rule.proto] ?? String(rule.proto),
    ports: rule.ports === null || !PORT_PROTOCOLS.has(rule.proto) ? [] : [portText(rule.ports)],
  };
  const only = ONLY_FAMILY[rule.proto];
  const ranged: { kind: string; family: GcpAddressFamily; sourceRanges: string[] }[] = [];
  for (const [family, ranges, kind] of [['ipv4', sources.ipv4, 'v4'], ['ipv6', sources.ipv6, 'v6']] as const) {
    if (only !== undefined && only !== family) continue;
    const parts = chunks(ranges, GCP_LIMITS.sourceRangesPerRule);
    parts.forEach((sourceRanges, index) => ranged.push({ kind: parts.length > 1 ? `${kind}-${index + 1}` : kind, family, sourceRanges }));
  }
  const tagParts = chunks(sources.tags, GCP_LIMITS.sourceTagsPerRule);
  const base = { direction: 'INGRESS', priority: GCP_ALLOW_PRIORITY, action: 'allow', matches: [match], targetTags, description } as const;
  const planned: GcpFirewallRule[] = ranged.map((entry, index) => ({ ...base, name: `${stem}-${entry.kind}`, sourceRanges: entry.sourceRanges, family: entry.family, sourceTags: index === 0 ? (tagParts[0] ?? []) : [] }));
  const alone = ranged.length === 0 ? tagParts : tagParts.slice(1);
  alone.forEach((sourceTags, index) => planned.push({ ...base, name: `${stem}-tags${alone.length > 1 ? `-${index + 1}` : ''}`, sourceRanges: [], family: null, sourceTags }));
  return planned;
}

/** Deny every protocol from every address, one rule per family: GCP rules hold one family of ranges each. */
function denyAll(): GcpFirewallRule[] {
  return (
    [
      ['ipv4', '0.0.0.0/0', 'v4'],
      ['ipv6', '::/0', 'v6'],
    ] as const
  ).map(([family, range, kind]) => ({
    name: `ff-deny-all-ingress-${kind}`,
    direction: 'INGRESS',
    priority: GCP_DENY_ALL_PRIORITY,
    action: 'deny',
    matches: [{ protocol: 'all', ports: [] }],
    sourceRanges: [range],
    family,
    sourceTags: [],
    targetTags: [],
    description: 'Flowfence: deny all other ingress, so that only what the policy lists is allowed',
  }));
}

function describeSources(sources: Sources): string {
  const parts = [...(sources.tags.length > 0 ? [`instances tagged ${sources.tags.join(', ')}`] : []), ...[...sources.ipv4, ...sources.ipv6].slice(0, 5)];
  const more = sources.ipv4.length + sources.ipv6.length - 5;
  return `${parts.join(', ')}${more > 0 ? ` and ${more} more ranges` : ''}`;
}

/** Addresses and CIDRs as canonical CIDRs ("/32" and "/128" for one address), merged where they touch, sorted. */
function cidrs(entries: readonly string[]): string[] {
  if (entries.length === 0) return [];
  return mergeCidr([...entries]).sort(compareText);
}

function unexpressedRule(group: PolicyGroup): string | null {
  if (group.match === null) return null;
  if ('label' in group.match) return `hosts labelled ${group.match.label.key}=${group.match.label.value}`;
  if ('hostnamePrefix' in group.match) return `hosts named ${group.match.hostnamePrefix}*`;
  return null;
}

function portText(ports: { readonly from: number; readonly to: number }): string {
  return ports.from === ports.to ? String(ports.from) : `${ports.from}-${ports.to}`;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}
