import type { MembershipRule } from '../../core/policy/policy-model';

/** A group's membership rule as the inspector says it: how a host not listed joins the group. */
export function describeMatch(match: MembershipRule | null): string {
  if (match === null) return 'none (members listed by address)';
  if ('label' in match) return `label ${match.label.key}=${match.label.value}`;
  if ('cidr' in match) return `addresses in ${match.cidr}`;
  if ('cidrs' in match) return `new addresses in ${match.cidrs.join(', ')} (blocks that hold only its members)`;
  if ('hostnamePrefix' in match) return `host names starting ${match.hostnamePrefix}`;
  return 'every internal host';
}
