import type { Policy, PolicyRule, RuleEvidence } from '../policy/policy-model';

/**
 * The policy as the page sees it after every step: everything but the rules'
 * evidence edges (tens of thousands of rows on a large network, fetched one
 * rule at a time when the analyst opens its evidence) and the content
 * digest (computed when a file is written, not at every step).
 */
export type RuleEvidenceSummary = Omit<RuleEvidence, 'edges'> & { readonly edgeCount: number };
export type RuleView = Omit<PolicyRule, 'evidence'> & { readonly evidence: RuleEvidenceSummary };
export type PolicyView = Omit<Policy, 'rules' | 'contentSha256'> & { readonly rules: readonly RuleView[] };

export function policyView(policy: Omit<Policy, 'contentSha256'>): PolicyView {
  return { ...policy, rules: policy.rules.map(ruleView) };
}

export function ruleView(rule: PolicyRule): RuleView {
  const { edges, ...evidence } = rule.evidence;
  return { ...rule, evidence: { ...evidence, edgeCount: edges.length } };
}
