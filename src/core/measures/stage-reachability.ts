import { GroupStages, isStageable, serviceCovers } from '../policy/enforcement-stage';
import { computeExposure, type Exposure, type PlaceHost } from '../policy/exposure';
import type { PolicyHost } from '../policy/policy-input';
import { ALL_INTERNAL, type Policy, type PolicyRule } from '../policy/policy-model';

/**
 * Reachability with the groups' stages as they stand, by exposure.ts's own
 * count: a group that observes blocks nothing inbound, so every internal
 * host reaches it on every service; a selective group blocks only its listed
 * services, so every internal host reaches it on the others. Those openings
 * are written as rules from every internal host (`internal`) to the group,
 * added to the policy's own, so pairs, admin paths and blast radius are
 * counted by the one implementation the policy view uses.
 *
 * The opening of a stage is one rule for "any service the stage leaves
 * open" (protocol 0, no ports: never an admin service), plus one rule per
 * admin service the stage leaves open, so admin paths count exactly the
 * admin services a selective stage does not enforce.
 */

const ANY_OTHER_SERVICE = 0;

function opening(group: string, proto: number, ports: PolicyRule['ports'], service: string): PolicyRule {
  return {
    id: `${ALL_INTERNAL}>${group}:stage-open:${service}`,
    from: ALL_INTERNAL,
    to: group,
    service,
    proto,
    ports,
    window: null,
    identity: null,
    jit: null,
    state: 'approved',
    evidence: { flows: 0, bytes: 0, firstSeen: null, lastSeen: null, clients: 0, servers: 0, edges: [], steps: [] },
  };
}

/** The rules that stand for what observe and selective stages leave open (see the file comment). */
export function stageOpenings(policy: Pick<Policy, 'groups' | 'services' | 'settings'>): PolicyRule[] {
  const stages = GroupStages.of(policy);
  const services = new Map(policy.services.map((service) => [service.id, service]));
  const rules: PolicyRule[] = [];
  for (const group of policy.groups) {
    if (!isStageable(group)) continue;
    const setting = stages.setting(group.id);
    if (setting.stage === 'enforce') continue;
    const enforced = setting.stage === 'selective' ? setting.services.map((id) => services.get(id)).filter((service) => service !== undefined) : [];
    rules.push(opening(group.id, ANY_OTHER_SERVICE, null, 'any'));
    for (const admin of policy.settings.adminServices) {
      if (enforced.some((service) => serviceCovers(service, admin.proto, admin.port))) continue;
      rules.push(opening(group.id, admin.proto, { from: admin.port, to: admin.port }, `${admin.proto}/${admin.port}`));
    }
  }
  return rules;
}

/** Exposure with every group enforced, and with the stages as they are. */
export function exposureByStage(policy: Policy, internalHosts: readonly PolicyHost[], place: PlaceHost): { readonly fullEnforcement: Exposure; readonly currentStage: Exposure } {
  const openings = stageOpenings(policy);
  const fullEnforcement = computeExposure(internalHosts, place, policy.rules, policy.settings);
  const currentStage = openings.length === 0 ? fullEnforcement : computeExposure(internalHosts, place, [...policy.rules, ...openings], policy.settings);
  return { fullEnforcement, currentStage };
}
