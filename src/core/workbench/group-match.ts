import { exactMembershipRule, MEMBERSHIP_BLOCK_DEFAULTS, ruleHost, slotHosts, type RuleHost } from '../discover/membership-rule';
import { matchCidrs, parseMembershipRule } from '../policy/membership';
import { compareText } from '../util/compare';
import { ClaimedAddresses } from './claimed-addresses';
import type { PolicyGroupSource } from '../policy/build-policy';
import type { PolicyHost } from '../policy/policy-input';
import type { MembershipRule } from '../policy/policy-model';
import type { GroupWithMembers } from '../policy/whatif/whatif-session';

/**
 * Membership rules of a regrouped policy. A group with the members
 * discovery gave it keeps discovery's rule; any other membership is
 * described again (a label, block or name prefix that matches exactly
 * those hosts), because a rule that no longer matches its members would
 * place new hosts wrongly in drift and in enforcement. A regrouped group's
 * blocks stop short of the address slots of discovery's groups
 * (membership-rule.ts, slotHosts), and of every address the groups the
 * analyst left alone already hold: their rules were drawn around discovery's
 * grouping, in which a host now in a regrouped run was a lone neighbour, so
 * the regrouped run's blocks would otherwise reach back into theirs. The
 * regrouped groups then take what is left in id order, so that no address
 * is in the blocks of two groups (GroupResolver would place a new host there
 * by group id alone).
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

  /** The membership rule of each group of a grouping, in its order (see above). */
  rules(groups: readonly GroupWithMembers[]): (MembershipRule | null)[] {
    const kept = groups.map(({ group, members }) => {
      const discovered = this.discovered.get(group.id);
      return discovered !== undefined && discovered.signature === signature(members) ? discovered : undefined;
    });
    const claimed = new ClaimedAddresses();
    for (const discovered of kept) if (discovered !== undefined) claimed.claim(matchCidrs(discovered.match));
    const rules: (MembershipRule | null)[] = kept.map((discovered) => discovered?.match ?? null);
    const regrouped = groups.map((entry, index) => ({ ...entry, index })).filter(({ index }) => kept[index] === undefined);
    for (const { members, index } of regrouped.sort((a, b) => compareText(a.group.id, b.group.id))) {
      const rule = this.described(members);
      const blocks = matchCidrs(rule);
      if (rule === null || blocks.length === 0) {
        rules[index] = rule;
        continue;
      }
      const left = claimed.unclaimed(blocks);
      claimed.claim(left);
      // Listed members stay placed whatever is left: a rule with no block left places no one else.
      const untouched = left.length === blocks.length && left.every((block, k) => block === blocks[k]);
      rules[index] = untouched ? rule : left.length === 0 ? null : { cidrs: left };
    }
    return rules;
  }

  /** The rule that matches exactly these members, else their blocks (exactMembershipRule), over the hosts at construction. */
  private described(members: readonly string[]): MembershipRule | null {
    const key = signature(members);
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
