import type { PolicyView, RuleView } from '../../core/workbench/policy-view';

/**
 * The rules a filter text keeps: those whose from or to group (id or name),
 * service or state contains it, ignoring case. Shared by the rules table and
 * its tests so both count alike.
 */
export function filterRules<R extends FilteredRule>(policy: Pick<PolicyView, 'groups'> & { readonly rules: readonly R[] }, text: string, nameOf: ReadonlyMap<string, string> = groupNames(policy)): readonly R[] {
  const needle = text.trim().toLowerCase();
  if (needle === '') return policy.rules;
  return policy.rules.filter((rule) => searchText(rule, nameOf).includes(needle));
}

/** Each group's name by its id (the table shows names, and the filter matches them). */
export function groupNames(policy: Pick<PolicyView, 'groups'>): Map<string, string> {
  return new Map(policy.groups.map((group) => [group.id, group.name]));
}

/** What the filter reads of a rule (a policy file's rules and the workbench's lean ones both have it). */
export type FilteredRule = Pick<RuleView, 'from' | 'to' | 'service' | 'state'>;

function searchText(rule: FilteredRule, nameOf: ReadonlyMap<string, string>): string {
  return [rule.from, rule.to, nameOf.get(rule.from) ?? '', nameOf.get(rule.to) ?? '', rule.service, rule.state].join('\u0000').toLowerCase();
}
