import { containsCidr, mergeCidr, parseCidr } from 'cidr-tools';
import { ALL_INTERNAL, type Policy, type PolicyGroup, type PolicyRule } from '../policy/policy-model';
import { compareText } from '../util/compare';
import type { SgDirection, SgFamily, SgPeer, SgPermission } from './aws-sg-model';
import { ruleKey } from './aws-sg-names';
import { groupAddresses } from './group-addresses';

/**
 * What a policy rule becomes in security groups, before names and quotas:
 * an ingress entry on the server group's security group and an egress entry
 * on the client group's, each with its peer, then the entries of one group,
 * direction and permission merged exactly (mergeEntries).
 */

/** One policy rule's part of one security group rule. */
export interface SgEntry {
  /** The policy group whose security group holds the rule. */
  readonly owner: string;
  readonly direction: SgDirection;
  readonly permission: SgPermission;
  readonly peer: SgPeer;
  readonly rule: string;
}

/** A security group rule and the policy rules it carries, before it is named. */
export interface MergedRule {
  readonly owner: string;
  readonly direction: SgDirection;
  readonly permission: SgPermission;
  readonly peer: SgPeer;
  readonly rules: readonly string[];
  /** The CIDRs a widened peer replaced (aws-sg-quotas.ts), null when exact. */
  readonly widenedFrom: readonly string[] | null;
}

const NAMED_PROTOCOLS: Readonly<Record<number, string>> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6' };
/** The address family an ICMP version exists in; other protocols run in both. */
const ICMP_FAMILY: Readonly<Record<string, SgFamily>> = { icmp: 'ipv4', icmpv6: 'ipv6' };

/**
 * The rule's protocol and ports as EC2 matches them, and what had to be
 * widened for it: EC2 filters ports only for TCP and UDP (any other protocol
 * is matched on every port), and ICMP by one type (or all of them), not by a
 * range of types.
 */
export function sgPermission(rule: Pick<PolicyRule, 'proto' | 'ports'>): { permission: SgPermission; widened: string | null } {
  const protocol = NAMED_PROTOCOLS[rule.proto] ?? String(rule.proto);
  const { ports } = rule;
  if (protocol === 'tcp' || protocol === 'udp') return { permission: { protocol, fromPort: ports?.from ?? 0, toPort: ports?.to ?? 65535 }, widened: null };
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    if (ports === null) return { permission: { protocol, fromPort: -1, toPort: -1 }, widened: null };
    if (ports.from === ports.to) return { permission: { protocol, fromPort: ports.from, toPort: -1 }, widened: null };
    return { permission: { protocol, fromPort: -1, toPort: -1 }, widened: `${protocol.toUpperCase()} types ${ports.from}-${ports.to}: a security group rule matches one type or all of them, so all types are opened` };
  }
  return { permission: { protocol, fromPort: null, toPort: null }, widened: ports === null ? null : `ports ${ports.from}-${ports.to} of protocol ${rule.proto}: security groups filter ports for TCP and UDP only, so every port is opened` };
}

export const permissionKey = (permission: SgPermission): string => `${permission.protocol}|${permission.fromPort ?? ''}|${permission.toPort ?? ''}`;

const familyOf = (cidr: string): SgFamily => (cidr.includes(':') ? 'ipv6' : 'ipv4');

/** Which groups have a security group, and how each group is named as a peer. */
export class SgPeers {
  private readonly groups = new Map<string, PolicyGroup>();
  private readonly cidrs = new Map<string, readonly string[]>();

  constructor(private readonly policy: Policy) {
    for (const group of policy.groups) this.groups.set(group.id, group);
  }

  /**
   * The policy group whose security group a rule on this group's hosts goes
   * to: the group itself for internal groups and the all-internal group;
   * null for outside networks (outside the VPC, no security group of ours)
   * and ids the policy does not hold.
   */
  owner(groupId: string): string | null {
    if (groupId === ALL_INTERNAL) return ALL_INTERNAL;
    const group = this.groups.get(groupId);
    return group === undefined || group.kind === 'external' || group.kind === 'all-internal' ? null : group.id;
  }

  /**
   * The group as the other end of a rule: its security group when the group
   * lives in the VPC (an internal group), its CIDRs when it does not (an
   * outside network) and, for every internal host, the internal ranges (an
   * internal address outside every group still belongs to it).
   */
  peers(groupId: string): SgPeer[] {
    if (groupId !== ALL_INTERNAL && this.owner(groupId) !== null) return [{ kind: 'group', group: groupId }];
    if (groupId !== ALL_INTERNAL && !this.groups.has(groupId)) return [];
    return this.cidrsOf(groupId).map((cidr) => ({ kind: 'cidr', family: familyOf(cidr), cidr }));
  }

  private cidrsOf(groupId: string): readonly string[] {
    let found = this.cidrs.get(groupId);
    if (found === undefined) {
      const { v4, v6 } = groupAddresses(this.policy, groupId);
      found = [...v4, ...v6].length === 0 ? [] : mergeCidr([...v4, ...v6]).sort(compareText);
      this.cidrs.set(groupId, found);
    }
    return found;
  }

  /** Entries of one policy rule: ingress on the server group's security group, egress on the client group's. */
  entries(rule: PolicyRule, permission: SgPermission): SgEntry[] {
    const fits = (peer: SgPeer): boolean => peer.kind === 'group' || ICMP_FAMILY[permission.protocol] === undefined || ICMP_FAMILY[permission.protocol] === peer.family;
    const entries: SgEntry[] = [];
    const server = this.owner(rule.to);
    const client = this.owner(rule.from);
    if (server !== null) for (const peer of this.peers(rule.from).filter(fits)) entries.push({ owner: server, direction: 'ingress', permission, peer, rule: rule.id });
    if (client !== null) for (const peer of this.peers(rule.to).filter(fits)) entries.push({ owner: client, direction: 'egress', permission, peer, rule: rule.id });
    return entries;
  }
}

/**
 * Entries of one group, direction and permission merged where that changes
 * nothing they match: one reference per peer group, and the CIDRs of every
 * rule merged where they touch or overlap (cidr-tools mergeCidr), each
 * merged CIDR carrying the rules whose CIDRs it holds. Sorted by owner,
 * direction and rule key.
 */
export function mergeEntries(entries: readonly SgEntry[]): MergedRule[] {
  const cells = new Map<string, SgEntry[]>();
  for (const entry of entries) {
    const key = `${entry.owner}\u0000${entry.direction}\u0000${permissionKey(entry.permission)}`;
    const cell = cells.get(key);
    if (cell === undefined) cells.set(key, [entry]);
    else cell.push(entry);
  }
  const merged: MergedRule[] = [];
  for (const cell of cells.values()) {
    const { owner, direction, permission } = cell[0]!;
    const references = new Map<string, Set<string>>();
    for (const entry of cell) if (entry.peer.kind === 'group') references.set(entry.peer.group, (references.get(entry.peer.group) ?? new Set()).add(entry.rule));
    for (const [group, rules] of references) merged.push({ owner, direction, permission, peer: { kind: 'group', group }, rules: [...rules].sort(compareText), widenedFrom: null });
    const cidrEntries = cell.filter((entry): entry is SgEntry & { peer: { kind: 'cidr' } } => entry.peer.kind === 'cidr');
    if (cidrEntries.length === 0) continue;
    for (const cidr of mergeCidr(cidrEntries.map((entry) => entry.peer.cidr))) {
      const rules = new Set(cidrEntries.filter((entry) => containsCidr(cidr, entry.peer.cidr)).map((entry) => entry.rule));
      merged.push({ owner, direction, permission, peer: { kind: 'cidr', family: familyOf(cidr), cidr }, rules: [...rules].sort(compareText), widenedFrom: null });
    }
  }
  return sortMerged(merged);
}

export function sortMerged(rules: readonly MergedRule[]): MergedRule[] {
  const keyed = rules.map((rule) => ({ rule, order: `${rule.owner}\u0000${rule.direction === 'ingress' ? 0 : 1}\u0000${ruleKey(rule.direction, rule.permission, rule.peer)}` }));
  return keyed.sort((a, b) => compareText(a.order, b.order)).map(({ rule }) => rule);
}

/** Addresses a CIDR holds, for comparing how much a widening opens. */
export function cidrSize(cidr: string): bigint {
  const parsed = parseCidr(cidr);
  return parsed.end - parsed.start + 1n;
}
