import { matchCidrs } from '../policy/membership';
import { ALL_INTERNAL, type Policy, type PolicyGroup, type PolicyRule } from '../policy/policy-model';
import { describeWindow } from '../policy/time-window';
import { compareText } from '../util/compare';
import type { ExportNote, StageCoverage } from './export-types';
import { openStagedGroups, stageRuleSummary, STAGED_GROUP, type OpenStagedGroups } from './aws-sg-stage';
import { hostsOf } from './group-addresses';
import type { SecurityGroup, SecurityGroupSet, SgAttachment, SgPeer, SgPermission, SgRule } from './aws-sg-model';
import { cloudFormationGroupId, cloudFormationRuleId, ec2Text, securityGroupName, STAGED_SECURITY_GROUP, terraformGroupName, terraformRuleName } from './aws-sg-names';
import { AWS_SG_QUOTAS, bucketText, countRules, fitQuotas, quotaProblems, type AwsSgQuotas, type QuotaBucket, type QuotaFit, type RuleCounts } from './aws-sg-quotas';
import { mergeEntries, SgPeers, sgPermission, sortMerged, type MergedRule, type SgEntry } from './aws-sg-rules';
import { ruleSummary } from './rule-summary';

/**
 * What the aws-sg target exports, before any syntax: one security group per
 * internal group of the policy (and one for every internal host when a rule
 * opens something to or from all of them), its rules within EC2's quotas,
 * the hosts each group is attached to, and a note for everything a security
 * group cannot express. aws-sg-target.ts validates and prints it.
 */
export interface SecurityGroupPlan {
  readonly set: SecurityGroupSet;
  readonly notes: readonly ExportNote[];
  readonly coverage: StageCoverage;
  readonly rulesExported: number;
  readonly rulesSkipped: number;
  readonly quotas: AwsSgQuotas;
  /** Per group: its rules as EC2 counts them after exact merging (what the policy needs) and as exported (after widening and skipping). */
  readonly usage: readonly { readonly group: string; readonly name: string; readonly needed: RuleCounts; readonly exported: RuleCounts }[];
  /** Lines about just-in-time rules whose groups have no security group of their own (printed in the header). */
  readonly closed: readonly string[];
}

/** Internal groups get a security group; outside networks and the all-internal group (handled apart) do not. */
const hasOwnGroup = (group: PolicyGroup): boolean => group.kind !== 'external' && group.kind !== 'all-internal';

export function planSecurityGroups(policy: Policy, quotaOptions: Partial<AwsSgQuotas> = {}): SecurityGroupPlan {
  const quotas: AwsSgQuotas = { ...AWS_SG_QUOTAS, ...quotaOptions };
  const problems = quotaProblems(quotas);
  if (problems.length > 0) throw new Error(`aws-sg quotas: ${problems.join('; ')}`);

  const notes: ExportNote[] = [];
  const note = (rule: string | null, what: string, action: ExportNote['action'], instead: string) => notes.push({ target: 'aws-sg', rule, what, action, instead });
  const peers = new SgPeers(policy);
  const groupsById = new Map(policy.groups.map((group) => [group.id, group]));
  const name = (groupId: string): string => (groupId === STAGED_GROUP ? STAGED_SECURITY_GROUP.name : securityGroupName(groupId));
  const hosts = [...hostsOf(policy)].sort((a, b) => compareText(a[0], b[0]));
  const listed = new Map<string, number>();
  for (const [, group] of hosts) listed.set(group.id, (listed.get(group.id) ?? 0) + 1);

  let skipped = 0;
  const closedRules: { rule: PolicyRule; entries: SgEntry[] }[] = [];
  const candidates = new Map<string, { rule: PolicyRule; entries: SgEntry[] }>();
  for (const rule of [...policy.rules].sort((a, b) => compareText(a.id, b.id))) {
    if (rule.state === 'rejected') {
      skipped++;
      note(rule.id, 'a rule the analyst rejected', 'skipped', 'not exported');
      continue;
    }
    const server = peers.owner(rule.to);
    const client = peers.owner(rule.from);
    if (server === null && client === null) {
      skipped++;
      note(rule.id, `traffic from ${rule.from} to ${rule.to}`, 'skipped', 'not exported: neither end is an internal group, so no security group of this export sees it');
      continue;
    }
    const { permission, widened } = sgPermission(rule);
    const entries = peers.entries(rule, permission);
    const lacking = [server !== null && !entries.some((entry) => entry.direction === 'ingress') ? rule.from : null, client !== null && !entries.some((entry) => entry.direction === 'egress') ? rule.to : null].filter((id): id is string => id !== null);
    if (lacking.length > 0) {
      skipped++;
      note(rule.id, `${lacking.join(' and ')} as the other end of a ${permission.protocol} rule`, 'left-closed', `not exported: ${lacking.join(' and ')} names no security group or address of the rule's address family, so nothing is opened`);
      continue;
    }
    if ((server === ALL_INTERNAL || client === ALL_INTERNAL) && quotas.securityGroupsPerInterface < 2) {
      skipped++;
      note(rule.id, 'a rule of every internal host', 'skipped', `not exported: it needs a second security group on every host (the all-internal one), and the quota is ${quotas.securityGroupsPerInterface} per network interface`);
      continue;
    }
    if (rule.jit !== null) {
      note(rule.id, 'just-in-time access', 'left-closed', `closed; opening it adds ${describeEntries(entries, name)} (a comment in main.tf and the groups' Metadata in template.json say so)`);
      closedRules.push({ rule, entries });
      continue;
    }
    if (rule.window !== null) note(rule.id, `time window ${describeWindow(rule.window)}`, 'left-open', 'open at all hours: security groups have no time of day');
    if (rule.identity !== null) note(rule.id, `identity condition ${rule.identity.label.key}=${rule.identity.label.value}`, 'left-open', `open to every host of ${rule.from}: security groups see interfaces and addresses, not labels`);
    if (widened !== null) note(rule.id, widened.split(':')[0]!, 'widened', widened.slice(widened.indexOf(':') + 2));
    const placed = [...new Set([rule.from, rule.to])].flatMap((end) => {
      const group = groupsById.get(end);
      const how = group === undefined || !hasOwnGroup(group) ? null : placementRule(group);
      return how === null ? [] : [{ end, how }];
    });
    if (placed.length > 0) {
      note(
        rule.id,
        placed.map(({ end, how }) => `hosts placed in ${end} by ${how}`).join('; '),
        'narrowed',
        `only interfaces given the group's security group match: the export attaches ${placed.map(({ end }) => `${name(end)} to the ${listed.get(end) ?? 0} listed ${listed.get(end) === 1 ? 'member' : 'members'}`).join(' and ')}; new members must be given it too`,
      );
    }
    candidates.set(rule.id, { rule, entries });
  }

  const open = openStagedGroups(policy, groupsById);
  notes.push(...open.notes);
  // The staged groups' entries go in fixed: never left out for a quota, since that would enforce what the analyst left open.
  const flows = new Map([...candidates].map(([id, { rule }]) => [id, rule.evidence.flows] as const));
  const entries = [...candidates.values()].flatMap((candidate) => candidate.entries);
  const needed = mergeEntries([...entries, ...open.entries]);
  const fit = fitQuotas(entries, flows, quotas.rulesPerSecurityGroup, open.entries);
  refuseUnfit(fit, name, quotas);
  const neededCounts = new Map([...byOwner(needed)].map(([owner, rules]) => [owner, countRules(rules)]));
  const neededIn = (owner: string, bucket: QuotaBucket): number => neededCounts.get(owner)![COUNT_OF[`${bucket.direction}|${bucket.family}`]!];
  const over = (owner: string, bucket: QuotaBucket): string => `security group ${name(owner)}: ${neededIn(owner, bucket)} ${bucketText(bucket)} rules after merging, the quota is ${quotas.rulesPerSecurityGroup}`;
  for (const skip of fit.skipped) {
    skipped++;
    candidates.delete(skip.rule);
    note(skip.rule, `quota: ${over(skip.owner, skip.bucket)}`, 'skipped', 'not exported: the rules with the fewest flows are left out until the group fits; raise the quota (rules per security group) and export again');
  }
  for (const widening of fit.widened) {
    for (const id of widening.rules) note(id, `quota: ${over(widening.owner, widening.bucket)}`, 'widened', `its CIDRs were merged with others into ${widening.to} (was ${widening.from.join(', ')}), which also admits addresses the policy does not name`);
  }
  for (const [owner, bucket, action] of uniqueOverages(fit)) note(null, over(owner, bucket), action, action === 'skipped' ? 'rules left out, each named in its own note' : 'CIDRs widened, each rule named in its own note');

  // Security groups: every internal group, and the all-internal one when a rule is on it.
  const ownGroups = policy.groups.filter(hasOwnGroup).map((group) => group.id);
  const owners = [...new Set([...ownGroups, ...fit.merged.map((rule) => rule.owner)])].sort(compareText);
  const hasInternal = owners.includes(ALL_INTERNAL);
  const attachments = hosts.map(([address, group]) => ({ address, groups: [group.id, ...(hasInternal ? [ALL_INTERNAL] : []), ...(open.staged.has(group.id) ? [STAGED_GROUP] : [])] }));
  refuseCrowded(attachments, open, quotas);

  const remarksOf = new Map<string, string[]>(owners.map((owner) => [owner, []]));
  const closed: string[] = [];
  for (const { rule, entries } of closedRules) {
    const line = `just-in-time, closed: ${rule.id} would add ${describeEntries(entries, name)}`;
    const touched = [...new Set(entries.map((entry) => entry.owner))].filter((owner) => remarksOf.has(owner));
    if (touched.length === 0) closed.push(line);
    for (const owner of touched) remarksOf.get(owner)!.push(line);
  }
  const rulesById = new Map(policy.rules.map((rule) => [rule.id, rule]));
  const exportedRules = byOwner(sortMerged([...fit.merged, ...fit.fixed]));
  // Fixed rules are told apart by identity, not by rule id: no id of theirs can be taken for a policy rule's.
  const fixed = new Set(fit.fixed);
  const nameRule = (rule: MergedRule, resourceName: string, logicalId: string): SgRule =>
    fixed.has(rule) ? { ...namedRule(rule, resourceName, logicalId, () => stageRuleSummary(rule.owner)), policyRules: [] } : namedRule(rule, resourceName, logicalId, (id) => ruleSummary(rulesById.get(id)!));
  const groups: SecurityGroup[] = owners.map((owner) => {
    const members = listed.get(owner) ?? 0;
    const about = owner === ALL_INTERNAL ? `${owner}: every internal host; attached to every listed host` : `${owner}: ${groupsById.get(owner)?.name ?? owner}; attached to its ${members} listed ${members === 1 ? 'host' : 'hosts'}`;
    const resourceName = terraformGroupName(owner);
    const logicalId = cloudFormationGroupId(owner);
    return {
      group: owner,
      name: name(owner),
      description: ec2Text(`Flowfence policy group ${owner}`),
      resourceName,
      logicalId,
      tags: { 'flowfence:group': [...owner].slice(0, 256).join(''), 'flowfence:policy-sha256': policy.contentSha256 },
      remarks: [about, ...remarksOf.get(owner)!],
      rules: (exportedRules.get(owner) ?? []).map((rule) => nameRule(rule, resourceName, logicalId)),
    };
  });
  if (open.staged.size > 0) {
    const { name: sharedName, resourceName, logicalId } = STAGED_SECURITY_GROUP;
    groups.push({
      group: STAGED_GROUP,
      name: sharedName,
      description: 'Flowfence staged groups left open',
      resourceName,
      logicalId,
      tags: { 'flowfence:stage': 'left-open', 'flowfence:policy-sha256': policy.contentSha256 },
      remarks: open.remarks,
      rules: (exportedRules.get(STAGED_GROUP) ?? []).map((rule) => nameRule(rule, resourceName, logicalId)),
    });
  }

  const usage = [...owners, ...(open.staged.size > 0 ? [STAGED_GROUP] : [])].map((owner) => ({ group: owner, name: name(owner), needed: neededCounts.get(owner) ?? countRules([]), exported: countRules(exportedRules.get(owner) ?? []) }));
  const header = [
    'Flowfence security groups: one per internal group of the policy, attached to its hosts (main.tf: output security_group_ids_by_address; template.json: each group\'s Metadata)',
    'ingress on the server group, egress on the client group; groups inside the VPC by reference, outside networks and the internal ranges by CIDR',
    `policy sha256 ${policy.contentSha256}`,
    `learned from ${policy.window.from ?? '?'} to ${policy.window.to ?? '?'}`,
  ];
  return {
    set: { header, groups, attachments },
    coverage: open.coverage,
    notes,
    rulesExported: candidates.size + closedRules.length,
    rulesSkipped: skipped,
    quotas,
    usage,
    closed,
  };
}

/**
 * Refuses an export whose fixed rules (the staged groups left open) cannot
 * fit a security group's quota even with every policy rule of the group
 * left out: leaving a fixed rule out would close a group the analyst left
 * open, so the export fails as for quotas EC2 cannot have.
 */
function refuseUnfit(fit: QuotaFit, name: (groupId: string) => string, quotas: AwsSgQuotas): void {
  if (fit.unfit.length === 0) return;
  const lines = fit.unfit.map(({ owner, bucket, fixed }) => `security group ${name(owner)}: ${fixed} ${bucketText(bucket)} rules for the staged groups left open, the quota is ${quotas.rulesPerSecurityGroup}`);
  throw new Error(`aws-sg quotas: ${lines.join('; ')}; raise the quota (rules per security group) or promote the staged groups to enforce`);
}

/** Refuses an export when a staged group's hosts cannot carry the shared security group beside their own (security groups per interface). */
function refuseCrowded(attachments: readonly SgAttachment[], open: OpenStagedGroups, quotas: AwsSgQuotas): void {
  const crowded = attachments.filter((attachment) => attachment.groups.length > quotas.securityGroupsPerInterface);
  if (crowded.length === 0) return;
  const staged = [...open.staged].join(', ');
  throw new Error(`aws-sg quotas: ${crowded.length} hosts of the staged groups (${staged}) need ${crowded[0]!.groups.length} security groups per network interface to carry ${STAGED_SECURITY_GROUP.name}, which leaves them open, and the quota is ${quotas.securityGroupsPerInterface}; raise the quota or promote the staged groups to enforce`);
}

/** "ingress tcp 443 on flowfence-g2 from flowfence-g1, egress tcp 443 on flowfence-g1 to flowfence-g2". */
function describeEntries(entries: readonly SgEntry[], name: (groupId: string) => string): string {
  const peer = (value: SgPeer): string => (value.kind === 'group' ? name(value.group) : value.cidr);
  return entries.map((entry) => `${entry.direction} ${describePermission(entry.permission)} on ${name(entry.owner)} ${entry.direction === 'ingress' ? 'from' : 'to'} ${peer(entry.peer)}`).join(', ');
}

function describePermission(permission: SgPermission): string {
  if (permission.fromPort === null) return `protocol ${permission.protocol}`;
  if (permission.protocol === 'icmp' || permission.protocol === 'icmpv6') return `${permission.protocol} type ${permission.fromPort === -1 ? 'all' : permission.fromPort}`;
  return `${permission.protocol} ${permission.fromPort === permission.toPort ? permission.fromPort : `${permission.fromPort}-${permission.toPort}`}`;
}

function namedRule(rule: MergedRule, groupName: string, groupLogicalId: string, summaryOf: (id: string) => string): SgRule {
  const summaries = rule.rules.map(summaryOf);
  const text = summaries.length === 1 ? summaries[0]! : `${summaries.length} policy rules: ${summaries.join('; ')}`;
  return {
    direction: rule.direction,
    permission: rule.permission,
    peer: rule.peer,
    policyRules: rule.rules,
    description: ec2Text(rule.widenedFrom === null ? text : `widened to fit the quota: ${text}`),
    resourceName: terraformRuleName(groupName, rule.direction, rule.permission, rule.peer),
    logicalId: cloudFormationRuleId(groupLogicalId, rule.direction, rule.permission, rule.peer),
  };
}

/** A membership rule the export cannot attach a security group by (labels, host names, CIDRs place hosts it does not list). */
function placementRule(group: PolicyGroup): string | null {
  if (group.match === null || 'scope' in group.match) return null;
  if ('label' in group.match) return `label ${group.match.label.key}=${group.match.label.value}`;
  if ('hostnamePrefix' in group.match) return `host name ${group.match.hostnamePrefix}*`;
  return `CIDR ${matchCidrs(group.match).join(', ')}`;
}

/** Merged rules by the group that holds them, in their order. */
function byOwner(rules: readonly MergedRule[]): Map<string, MergedRule[]> {
  const found = new Map<string, MergedRule[]>();
  for (const rule of rules) {
    const list = found.get(rule.owner);
    if (list === undefined) found.set(rule.owner, [rule]);
    else list.push(rule);
  }
  return found;
}

const COUNT_OF: Readonly<Record<string, keyof RuleCounts>> = { 'ingress|ipv4': 'inboundIpv4', 'ingress|ipv6': 'inboundIpv6', 'egress|ipv4': 'outboundIpv4', 'egress|ipv6': 'outboundIpv6' };

/** Each group and bucket over the quota once, with what was done: rules skipped (perhaps after widening), or widened only. */
function uniqueOverages(fit: ReturnType<typeof fitQuotas>): [string, QuotaBucket, 'widened' | 'skipped'][] {
  const found = new Map<string, [string, QuotaBucket, 'widened' | 'skipped']>();
  const add = (owner: string, bucket: QuotaBucket, action: 'widened' | 'skipped'): void => {
    const key = `${owner}\u0000${bucket.direction}\u0000${bucket.family}`;
    if (!found.has(key)) found.set(key, [owner, bucket, action]);
  };
  for (const skip of fit.skipped) add(skip.owner, skip.bucket, 'skipped');
  for (const widening of fit.widened) add(widening.owner, widening.bucket, 'widened');
  return [...found.entries()].sort((a, b) => compareText(a[0], b[0])).map(([, value]) => value);
}
