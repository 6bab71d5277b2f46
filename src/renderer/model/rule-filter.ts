import type { Policy, PolicyRule } from '../../core/policy/policy-model';

/**
 * The rules a filter text keeps: those whose from or to group (id or name),
 * service or state contains it, ignoring case. Shared by the rules table and
 * its tests so both count alike.
 */
export function filterRules(policy: Policy, text: string, nameOf: ReadonlyMap<string, string> = groupNames(policy)): readonly PolicyRule[] {
  const needle = text.trim().toLowerCase();
  if (needle === '') return policy.rules;
  return policy.rules.filter((rule) => searchText(rule, nameOf).includes(needle));
}

/** Each group's name by its id (the table shows names, and the filter matches them). */
export function groupNames(policy: Policy): Map<string, string> {
  return new Map(policy.groups.map((group) => [group.id, group.name]));
}

function searchText(rule: PolicyRule, nameOf: ReadonlyMap<string, string>): string {
  return [rule.from, rule.to, nameOf.get(rule.from) ?? '', nameOf.get(rule.to) ?? '', rule.service, rule.state].join('\u0000').toLowerCase();
}
