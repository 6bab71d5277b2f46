import type { Policy, PolicyRule } from '../../core/policy/policy-model';

/**
 * The rules a filter text keeps: those whose from or to group (id or name),
 * service or state contains it, ignoring case. Shared by the rules table and
 * its tests so both count alike.
 */
export function filterRules(policy: Policy, text: string): readonly PolicyRule[] {
  const needle = text.trim().toLowerCase();
  if (needle === '') return policy.rules;
  const nameOf = new Map(policy.groups.map((group) => [group.id, group.name]));
  return policy.rules.filter((rule) => searchText(rule, nameOf).includes(needle));
}

function searchText(rule: PolicyRule, nameOf: ReadonlyMap<string, string>): string {
  return [rule.from, rule.to, nameOf.get(rule.from) ?? '', nameOf.get(rule.to) ?? '', rule.service, rule.state].join('\u0000').toLowerCase();
}
