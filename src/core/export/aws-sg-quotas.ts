import ipaddr from 'ipaddr.js';
import { containsCidr, mergeCidr, parseCidr } from 'cidr-tools';
import { compareText } from '../util/compare';
import { needsClosedEgress } from './aws-sg-cloudformation';
import type { SgDirection, SgFamily } from './aws-sg-model';
import { cidrSize, mergeEntries, permissionKey, sortMerged, type MergedRule, type SgEntry } from './aws-sg-rules';

/**
 * EC2's security group quotas, as the Amazon VPC User Guide states them
 * ("Amazon VPC quotas", https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html):
 *
 *   "You can have 60 inbound and 60 outbound rules per security group […].
 *   This quota is enforced separately for IPv4 rules and IPv6 rules […]. A
 *   rule that references a security group or AWS-managed prefix list ID
 *   counts as one rule for IPv4 and one rule for IPv6. […] This quota
 *   multiplied by the quota for security groups per network interface
 *   cannot exceed 1000."  Security groups per network interface: 5, at most 16.
 *
 * Both quotas can be raised on request, so they are options of the export.
 */
export interface AwsSgQuotas {
  /** Inbound rules, and apart from them outbound rules, per security group, each counted apart for IPv4 and IPv6. */
  readonly rulesPerSecurityGroup: number;
  readonly securityGroupsPerInterface: number;
}

export const AWS_SG_QUOTAS: AwsSgQuotas = { rulesPerSecurityGroup: 60, securityGroupsPerInterface: 5 };
/** Rules per security group times security groups per interface: EC2 grants no pair of quotas above this. */
export const RULES_PER_INTERFACE = 1000;
export const MOST_SECURITY_GROUPS_PER_INTERFACE = 16;
/** How far a CIDR may be widened to fit a quota: never past a /16 (IPv4) or a /48 (IPv6). */
export const WIDEST_PREFIX: Readonly<Record<SgFamily, number>> = { ipv4: 16, ipv6: 48 };

/** Why the quotas given cannot be EC2's; empty when they can. */
export function quotaProblems(quotas: AwsSgQuotas): string[] {
  const problems: string[] = [];
  const { rulesPerSecurityGroup: rules, securityGroupsPerInterface: groups } = quotas;
  if (!Number.isInteger(rules) || rules < 1) problems.push(`rules per security group must be a whole number of at least 1, not ${rules}`);
  if (!Number.isInteger(groups) || groups < 1 || groups > MOST_SECURITY_GROUPS_PER_INTERFACE) problems.push(`security groups per network interface must be a whole number from 1 to ${MOST_SECURITY_GROUPS_PER_INTERFACE}, not ${groups}`);
  if (rules * groups > RULES_PER_INTERFACE) problems.push(`${rules} rules per security group times ${groups} security groups per network interface is more than EC2's ${RULES_PER_INTERFACE}`);
  return problems;
}

/** A security group's rules as EC2 counts them against its quotas. */
export interface RuleCounts {
  readonly inboundIpv4: number;
  readonly inboundIpv6: number;
  readonly outboundIpv4: number;
  readonly outboundIpv6: number;
}

export type QuotaBucket = { readonly direction: SgDirection; readonly family: SgFamily };

const BUCKETS: readonly QuotaBucket[] = [
  { direction: 'ingress', family: 'ipv4' },
  { direction: 'ingress', family: 'ipv6' },
  { direction: 'egress', family: 'ipv4' },
  { direction: 'egress', family: 'ipv6' },
];

/** Whether a rule counts in a bucket: its direction, and its family (a reference counts in both). */
const counts = (rule: Pick<MergedRule, 'direction' | 'peer'>, bucket: QuotaBucket): boolean => rule.direction === bucket.direction && (rule.peer.kind === 'group' || rule.peer.family === bucket.family);

/**
 * The CloudFormation template gives a group without an embedded egress rule
 * one that matches nothing (aws-sg-cloudformation.ts): it takes an
 * outbound IPv4 slot, so it is counted, and both files fit the same quota.
 */
function countIn(rules: readonly Pick<MergedRule, 'direction' | 'peer'>[], bucket: QuotaBucket): number {
  const closedEgress = bucket.direction === 'egress' && bucket.family === 'ipv4' && needsClosedEgress(rules) ? 1 : 0;
  return rules.filter((rule) => counts(rule, bucket)).length + closedEgress;
}

/** One security group's rules counted as EC2 does, with the closed-egress rule of the CloudFormation template where it has one. */
export function countRules(rules: readonly Pick<MergedRule, 'direction' | 'peer'>[]): RuleCounts {
  const [inboundIpv4, inboundIpv6, outboundIpv4, outboundIpv6] = BUCKETS.map((bucket) => countIn(rules, bucket)) as [number, number, number, number];
  return { inboundIpv4, inboundIpv6, outboundIpv4, outboundIpv6 };
}

export const largestCount = (counts: RuleCounts): number => Math.max(counts.inboundIpv4, counts.inboundIpv6, counts.outboundIpv4, counts.outboundIpv6);

export const bucketText = (bucket: QuotaBucket): string => `${bucket.direction === 'ingress' ? 'inbound' : 'outbound'} ${bucket.family === 'ipv4' ? 'IPv4' : 'IPv6'}`;

/** A peer widened to fit a quota: the CIDRs it replaced and the rules that now open more than the policy says. */
export interface Widening {
  readonly owner: string;
  readonly bucket: QuotaBucket;
  readonly from: readonly string[];
  readonly to: string;
  readonly rules: readonly string[];
}

/** A rule left out to fit a quota. */
export interface QuotaSkip {
  readonly rule: string;
  readonly owner: string;
  readonly bucket: QuotaBucket;
}

/** A group whose fixed rules alone (with the rule the CloudFormation template adds) exceed a bucket: no policy rule left to leave out. */
export interface QuotaUnfit {
  readonly owner: string;
  readonly bucket: QuotaBucket;
  /** The bucket's count with every policy rule of the group left out. */
  readonly fixed: number;
}

export interface QuotaFit {
  /** The policy rules exported, merged and perhaps widened. */
  readonly merged: readonly MergedRule[];
  /** The fixed rules, merged exactly, every one of them. */
  readonly fixed: readonly MergedRule[];
  readonly widened: readonly Widening[];
  readonly skipped: readonly QuotaSkip[];
  readonly unfit: readonly QuotaUnfit[];
}

/**
 * Fits every security group into the quota. A group's entries are merged
 * exactly first (mergeEntries); a group still over the quota has CIDR peers
 * of one permission widened into a common supernet, the pair that opens the
 * fewest addresses first, never past WIDEST_PREFIX; a group still over after
 * that loses whole policy rules, the rule (merged or not) with the fewest
 * flows first, until it fits. A policy rule left out leaves every group it
 * was in, so only those groups are merged again.
 *
 * Fixed entries (a staged group left open, aws-sg-stage.ts) count against
 * the quota but are never widened or left out: leaving one out would
 * enforce what the analyst left open. They are kept apart from the policy
 * entries, so no rule id of theirs can take a policy rule with it (or the
 * other way). A group whose fixed rules alone are over a bucket is in
 * `unfit`, for the caller to refuse the export.
 */
export function fitQuotas(entries: readonly SgEntry[], flows: ReadonlyMap<string, number>, limit: number, fixedEntries: readonly SgEntry[] = []): QuotaFit {
  const entriesOf = new Map<string, SgEntry[]>();
  const ownersOf = new Map<string, Set<string>>();
  // A group with fixed rules only is fitted too: its fixed rules may be over a bucket on their own.
  const fixedOf = new Map([...new Set(fixedEntries.map((entry) => entry.owner))].map((owner) => [owner, mergeEntries(fixedEntries.filter((entry) => entry.owner === owner))]));
  for (const owner of fixedOf.keys()) entriesOf.set(owner, []);
  for (const entry of entries) {
    const list = entriesOf.get(entry.owner);
    if (list === undefined) entriesOf.set(entry.owner, [entry]);
    else list.push(entry);
    ownersOf.set(entry.rule, (ownersOf.get(entry.rule) ?? new Set()).add(entry.owner));
  }
  const left = new Set<string>();
  const skipped: QuotaSkip[] = [];
  const unfit: QuotaUnfit[] = [];
  const fitted = new Map<string, { rules: MergedRule[]; widened: Widening[]; over: QuotaBucket | null }>();
  const fit = (owner: string): void => {
    const fixed = fixedOf.get(owner) ?? [];
    let rules = mergeEntries(entriesOf.get(owner)!.filter((entry) => !left.has(entry.rule)));
    const widened: Widening[] = [];
    let over: QuotaBucket | null = null;
    for (const bucket of BUCKETS) {
      if (countIn([...rules, ...fixed], bucket) <= limit) continue;
      const result = widenToFit(rules, fixed, bucket, limit);
      rules = result.rules;
      widened.push(...result.widened.map((widening) => ({ ...widening, owner, bucket })));
      if (over === null && countIn([...rules, ...fixed], bucket) > limit) over = bucket;
    }
    fitted.set(owner, { rules, widened, over });
  };
  const owners = [...entriesOf.keys()].sort(compareText);
  for (const owner of owners) fit(owner);
  for (;;) {
    const owner = owners.find((candidate) => fitted.get(candidate)!.over !== null);
    if (owner === undefined) break;
    const { rules, over } = fitted.get(owner)!;
    // The rule with the fewest flows in the bucket leaves, with every policy rule it carries.
    const weight = (rule: MergedRule): number => rule.rules.reduce((sum, id) => sum + (flows.get(id) ?? 0), 0);
    const victim = rules.filter((rule) => counts(rule, over!)).sort((a, b) => weight(a) - weight(b) || compareText(a.rules.join(','), b.rules.join(',')))[0];
    if (victim === undefined) {
      // Only fixed rules (and perhaps the template's closed egress) are left: nothing may go, so the caller refuses.
      if (!unfit.some((entry) => entry.owner === owner && entry.bucket === over)) unfit.push({ owner, bucket: over!, fixed: countIn([...rules, ...(fixedOf.get(owner) ?? [])], over!) });
      fitted.set(owner, { ...fitted.get(owner)!, over: null });
      continue;
    }
    const touched = new Set<string>();
    for (const id of victim.rules) {
      if (left.has(id)) continue;
      left.add(id);
      skipped.push({ rule: id, owner, bucket: over! });
      for (const other of ownersOf.get(id)!) touched.add(other);
    }
    for (const other of touched) fit(other);
  }
  const all = owners.map((owner) => fitted.get(owner)!);
  return { merged: sortMerged(all.flatMap((entry) => entry.rules)), fixed: sortMerged([...fixedOf.values()].flat()), widened: all.flatMap((entry) => entry.widened), skipped, unfit };
}

/** Widens CIDR peers of one group's policy rules in one bucket (its fixed rules counted, never widened), one pair at a time, until the bucket fits or nothing more can be widened. */
function widenToFit(rules: readonly MergedRule[], fixed: readonly MergedRule[], bucket: QuotaBucket, limit: number): { rules: MergedRule[]; widened: Omit<Widening, 'owner' | 'bucket'>[] } {
  let current = [...rules];
  const widened: Omit<Widening, 'owner' | 'bucket'>[] = [];
  while (countIn([...current, ...fixed], bucket) > limit) {
    let best: { a: MergedRule; b: MergedRule; supernet: string; cost: bigint } | null = null;
    const byPermission = new Map<string, MergedRule[]>();
    for (const rule of current) {
      if (rule.direction !== bucket.direction || rule.peer.kind !== 'cidr' || rule.peer.family !== bucket.family) continue;
      const key = permissionKey(rule.permission);
      byPermission.set(key, [...(byPermission.get(key) ?? []), rule]);
    }
    for (const key of [...byPermission.keys()].sort(compareText)) {
      const sorted = byPermission.get(key)!.sort((x, y) => compareStart(cidrOf(x), cidrOf(y)));
      for (let index = 1; index < sorted.length; index++) {
        const a = sorted[index - 1]!;
        const b = sorted[index]!;
        const supernet = commonSupernet(cidrOf(a), cidrOf(b), WIDEST_PREFIX[bucket.family]);
        if (supernet === null) continue;
        const cost = cidrSize(supernet) - cidrSize(cidrOf(a)) - cidrSize(cidrOf(b));
        if (best === null || cost < best.cost) best = { a, b, supernet, cost };
      }
    }
    if (best === null) break;
    const { a, supernet } = best;
    // The supernet swallows every CIDR of the permission inside it, not only the pair.
    const swallowed = current.filter((rule) => rule.direction === bucket.direction && rule.peer.kind === 'cidr' && rule.peer.family === bucket.family && permissionKey(rule.permission) === permissionKey(a.permission) && containsCidr(supernet, rule.peer.cidr));
    const from = swallowed.flatMap((rule) => rule.widenedFrom ?? [cidrOf(rule)]).sort(compareText);
    const ids = [...new Set(swallowed.flatMap((rule) => rule.rules))].sort(compareText);
    current = [...current.filter((rule) => !swallowed.includes(rule)), { ...a, peer: { kind: 'cidr', family: bucket.family, cidr: supernet }, rules: ids, widenedFrom: from }];
    for (let index = widened.length - 1; index >= 0; index--) if (widened[index]!.from.every((cidr) => from.includes(cidr))) widened.splice(index, 1);
    widened.push({ from, to: supernet, rules: ids });
  }
  return { rules: sortMerged(current), widened };
}

const cidrOf = (rule: MergedRule): string => (rule.peer.kind === 'cidr' ? rule.peer.cidr : '');

/** Address order of two CIDRs of one family (their first addresses, as cidr-tools parses them). */
function compareStart(a: string, b: string): number {
  const difference = parseCidr(a).start - parseCidr(b).start;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** The smallest CIDR holding both, found with ipaddr.js; null when it would be wider than /widest. */
function commonSupernet(a: string, b: string, widest: number): string | null {
  const [addressA, bitsA] = ipaddr.parseCIDR(a);
  const [addressB] = ipaddr.parseCIDR(b);
  if (addressA.kind() !== addressB.kind()) return null;
  for (let bits = Math.min(bitsA, ipaddr.parseCIDR(b)[1]); bits >= widest; bits--) {
    if (!addressA.match(addressB, bits)) continue;
    const network = addressA.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(`${addressA.toString()}/${bits}`) : ipaddr.IPv6.networkAddressFromCIDR(`${addressA.toString()}/${bits}`);
    return mergeCidr([`${network.toString()}/${bits}`])[0]!;
  }
  return null;
}
