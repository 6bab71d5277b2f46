import type { PolicyRule } from '../policy/policy-model';

/**
 * One line of evidence for a rule, as targets put it in a comment or
 * description field: its id first (the firewall's rule names the policy
 * rule), then what was seen. Input values never appear in it, only ids,
 * counts and dates; targets still escape and cut it by their own rules.
 */
export function ruleSummary(rule: PolicyRule): string {
  const { flows, clients, servers, firstSeen, lastSeen } = rule.evidence;
  const seen = firstSeen === null ? '' : `, ${firstSeen.slice(0, 10)}..${(lastSeen ?? firstSeen).slice(0, 10)}`;
  return `${rule.id}: ${flows} flows, ${clients} clients to ${servers} servers${seen}`;
}
