import { exactMembershipRule, MEMBERSHIP_BLOCK_DEFAULTS, ruleHost, slotHosts, type RuleHost } from '../discover/membership-rule';
import { parseMembershipRule } from '../policy/membership';
import type { PolicyGroupSource } from '../policy/build-policy';
import type { PolicyHost } from '../policy/policy-input';
import type { MembershipRule } from '../policy/policy-model';
import type { WhatIfGroup } from '../policy/whatif/grouping-state';

/**
 * Membership rules of a regrouped policy. A group with the members
 * discovery gave it keeps discovery's rule; any other membership is
 * described again (a label, block or name prefix that matches exactly
 * those hosts), because a rule that no longer matches its members would
 * place new hosts wrongly in drift and in enforcement. A regrouped group's
 * blocks stop short of the address slots of discovery's groups
 * (membership-rule.ts, slotHosts): the groups the analyst left alone keep
 * the addresses their rules already hold.
 */
export class GroupMatcher {
  private readonly discovered = new Map<string, { signature: string; match: MembershipRule | null }>();
  private readonly indexOf = new Map<string, number>();
  private readonly hosts: RuleHost[] = [];
  private readonly cache = new Map<string, MembershipRule | null>();
  private readonly anchored: ReadonlySet<number>;

  constructor(groups: readonly PolicyGroupSource[], internal: readonly string[], hosts: ReadonlyMap<string, PolicyHost>) {
    for (const group of groups) this.discovered.set(group.id, { signature: signature(group.members), match: group.match });
    for (const ip of internal) {
      const host = hosts.get(ip);
      this.indexOf.set(ip, this.hosts.length);
      this.hosts.push(ruleHost(ip, host?.labels ?? [], host?.name));
    }
    this.anchored = slotHosts(groups.map((group) => this.indexesOf(group.members)), this.hosts, MEMBERSHIP_BLOCK_DEFAULTS);
  }

  match(group: WhatIfGroup, members: readonly string[]): MembershipRule | null {
    const key = signature(members);
    const discovered = this.discovered.get(group.id);
    if (discovered !== undefined && discovered.signature === key) return discovered.match;
    let match = this.cache.get(key);
    if (match === undefined) {
      const indexes = this.indexesOf(members);
      match = indexes.length === members.length ? parseMembershipRule(exactMembershipRule(indexes, this.hosts, MEMBERSHIP_BLOCK_DEFAULTS, this.anchored)) : null;
      this.cache.set(key, match);
    }
    return match;
  }

  /** The rule hosts' indexes of the members the host list knows (internal hosts only). */
  private indexesOf(members: readonly string[]): number[] {
    return members.map((ip) => this.indexOf.get(ip)).filter((index): index is number => index !== undefined);
  }
}

const signature = (members: readonly string[]): string => [...members].sort().join(',');
