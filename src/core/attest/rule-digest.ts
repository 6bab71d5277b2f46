import { canonicalJson, sha256Hex } from '../policy/canonical-json';
import type { PolicyRule } from '../policy/policy-model';

/**
 * The digest an owner's decision is bound to: what the rule allows (ends,
 * service, window, identity, just-in-time) and the evidence it rests on. A
 * decision made on a pack is refused for a rule whose digest has changed
 * since: the owner certified something else. The rule's state and its
 * decision are left out: setting them is what a decision does.
 */
export function ruleEvidenceSha256(rule: PolicyRule): string {
  const { state: _state, decision: _decision, ...decided } = rule;
  return sha256Hex(canonicalJson(decided));
}
