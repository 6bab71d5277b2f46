import { compareText } from '../util/compare';
import { placeNewHosts, type NewHostPlacement } from './place-new-hosts';
import type { PolicyEdge, PolicyHost } from './policy-input';
import { ALL_INTERNAL, openedAhead, type Policy, type PolicyRule } from './policy-model';
import { countVerdicts, escapedEdges, PolicyEvaluator, simulate, type EscapedEdge, type SimulationCounts } from './simulate';

/**
 * A policy against a newer window of traffic: what it would block (new or
 * changed behaviour), which rules no traffic used (removal candidates), and
 * where hosts that appeared since belong.
 */
export interface Drift {
  readonly simulation: SimulationCounts;
  readonly blocked: readonly EscapedEdge[];
  readonly unusedRules: readonly { readonly id: string; readonly from: string; readonly to: string; readonly service: string; readonly lastSeen: string | null }[];
  readonly newHosts: readonly NewHostPlacement[];
}

export function computeDrift(policy: Policy, edges: readonly PolicyEdge[], hosts: ReadonlyMap<string, PolicyHost>): Drift {
  // Drift is the traffic against the policy as a whole: what would break once
  // every group is enforced, so a group's observe stage hides none of it.
  const evaluator = PolicyEvaluator.of(policy, { stages: false });
  const verdicts = simulate(evaluator, edges, hosts);
  // A rule is in use when traffic matched it, even a closed just-in-time rule (that traffic asked for it).
  // A rule opened ahead of traffic (an idle replica's port, a companion port) is there for what no capture
  // has shown yet: no removal candidate for not being used.
  const used = new Set(verdicts.map((verdict) => verdict.rule).filter((rule): rule is string => rule !== null));
  // An admin group's just-in-time rule to every host stands beside its open rules to the groups it
  // administered, for the hosts it will administer next (rule-builder.ts isAdminStation): in use while
  // the group uses that service through an open rule to an internal group (an SSH rule to an outside
  // network or a closed rule says nothing of it).
  const byId = new Map(policy.rules.map((rule) => [rule.id, rule]));
  const internal = new Set(policy.groups.filter((group) => group.kind !== 'external').map((group) => group.id));
  const usedServices = new Set(
    [...used]
      .map((id) => byId.get(id))
      .filter((rule) => rule !== undefined && rule.jit === null && internal.has(rule.to))
      .map((rule) => `${rule!.from}\t${rule!.service}`),
  );
  const reserve = (rule: PolicyRule): boolean => rule.to === ALL_INTERNAL && rule.jit !== null && usedServices.has(`${rule.from}\t${rule.service}`);
  const unusedRules = policy.rules
    .filter((rule) => rule.state !== 'rejected' && !used.has(rule.id) && !openedAhead(rule) && !reserve(rule))
    .map((rule) => ({ id: rule.id, from: rule.from, to: rule.to, service: rule.service, lastSeen: rule.evidence.lastSeen }))
    .sort((a, b) => compareText(a.id, b.id));
  return {
    simulation: countVerdicts(verdicts),
    blocked: escapedEdges(verdicts, hosts),
    unusedRules,
    newHosts: placeNewHosts(policy, evaluator.resolver, edges, hosts),
  };
}
