import { hostsOf } from '../../../src/core/export/group-addresses';
import { serviceCovers } from '../../../src/core/policy/enforcement-stage';
import type { PolicyEdge } from '../../../src/core/policy/policy-input';
import type { Policy } from '../../../src/core/policy/policy-model';
import { applyStageDecision } from '../../../src/core/policy/stage-decisions';
import { compareText } from '../../../src/core/util/compare';

/**
 * Stages a learned policy the way an analyst would (applyStageDecision, as
 * `flowfence stage` does): the group of the first server (in the order
 * given) observed, and the next group serving two services or more
 * selective on its first one. The export proofs then check each target
 * against the simulator on the staged policy. Throws when no server serves
 * two services: the proof would not try a selective group.
 */
export function stageServers(policy: Policy, servers: readonly string[], edges: Iterable<Pick<PolicyEdge, 'server' | 'proto' | 'port'>>): Policy {
  const groupOf = hostsOf(policy);
  const served = new Map<string, Set<string>>();
  for (const edge of edges) {
    const service = policy.services.find((candidate) => serviceCovers(candidate, edge.proto, edge.port));
    if (service !== undefined) served.set(edge.server, (served.get(edge.server) ?? new Set()).add(service.id));
  }
  const decide = (current: Policy, group: string, stage: 'observe' | 'selective', services: string[]): Policy => {
    const result = applyStageDecision(current, { group, stage, services, by: 'export proof', why: 'staged rollout proof' }, '2026-01-01T00:00:00Z');
    if (!result.ok) throw new Error(result.reason);
    return result.policy;
  };
  const [observed, ...rest] = servers.filter((ip) => groupOf.has(ip));
  const observedGroup = groupOf.get(observed!)!.id;
  const staged = decide(policy, observedGroup, 'observe', []);
  for (const server of rest) {
    const group = groupOf.get(server)!.id;
    const ids = [...(served.get(server) ?? [])].sort(compareText);
    if (group === observedGroup || ids.length < 2) continue;
    return decide(staged, group, 'selective', [ids[0]!]);
  }
  throw new Error('no server serves two services: no selective group to try');
}

/** stageServers over the servers that are pods (a topology's proofs stage its pods' groups, not the cluster's services). */
export function stagePodServers(policy: Policy, edges: Iterable<Pick<PolicyEdge, 'server' | 'proto' | 'port'>>, pods: readonly { readonly ips: readonly string[] }[]): Policy {
  const podIps = new Set(pods.flatMap((entry) => entry.ips));
  const served = [...edges].filter((edge) => podIps.has(edge.server)).sort((a, b) => compareText(a.server, b.server));
  return stageServers(policy, [...new Set(served.map((edge) => edge.server))], served);
}
