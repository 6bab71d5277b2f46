import type { AddressScope } from '../enrich/address-scope';
import { compareText } from '../util/compare';
import { DEFAULT_STAGE, type EnforcementStage, type Policy, type PolicyGroup, type PolicyService, type StageSetting } from './policy-model';

/**
 * What a group's enforcement stage means for one edge. A stage belongs to
 * the group that filters the edge: the server's group, since rules are
 * enforced where the server is (its host or segment firewall filters what
 * comes in); for a server outside the estate, the client's group, whose
 * members' outbound traffic is filtered. `observe` blocks nothing,
 * `selective` blocks only on its listed services, `enforce` is default deny.
 *
 * A group without a stage is enforced (DEFAULT_STAGE): before stages, the
 * simulator, drift and the exports treated a learned policy as enforced
 * everywhere, so every policy.json written before stages keeps meaning what
 * it meant, simulates to the same verdicts and keeps its digest. Observing
 * is a step the analyst takes on purpose, never one a missing field takes.
 */

/** The stages in the order a group is promoted through. */
export const STAGE_ORDER: readonly EnforcementStage[] = ['observe', 'selective', 'enforce'];

/** What a group that never had a stage decision is in. */
export const DEFAULT_STAGE_SETTING: StageSetting = { stage: DEFAULT_STAGE, services: [], canary: false, override: false };

/** The groups that carry a stage: the internal groups discovery made (not "every internal host", not an outside network). */
export const isStageable = (group: Pick<PolicyGroup, 'kind'>): boolean => group.kind === 'application' || group.kind === 'infrastructure' || group.kind === 'clients';

export function stageSettingOf(group: PolicyGroup): StageSetting {
  if (group.stage === undefined) return DEFAULT_STAGE_SETTING;
  const { stage, services, canary, override } = group.stage;
  return { stage, services, canary, override };
}

/** Why a stage setting cannot stand on this group; null when it can. */
export function stageProblem(group: Pick<PolicyGroup, 'kind'>, setting: StageSetting, serviceIds: ReadonlySet<string>): string | null {
  if (!isStageable(group)) return `a stage applies to internal groups only, not to a group of kind ${group.kind}`;
  if (setting.stage === 'selective' && setting.services.length === 0) return 'a selective stage enforces at least one service: list them, or observe the group';
  if (setting.stage !== 'selective' && setting.services.length > 0) return `only a selective stage lists services (this one is ${setting.stage})`;
  const unknown = setting.services.find((id) => !serviceIds.has(id));
  if (unknown !== undefined) return `service "${unknown}" is not one of the policy's services`;
  return null;
}

/** The stage that decided an edge: which group's, and whether it blocks the edge's service. */
export interface StageRuling {
  readonly stage: EnforcementStage;
  /** The group whose stage it is; null when no group filters the edge (the default stage applies). */
  readonly group: string | null;
  /** The stage blocks what no rule permits on this edge's service: enforce, or selective on a listed service. */
  readonly enforced: boolean;
}

const DEFAULT_RULING: StageRuling = { stage: DEFAULT_STAGE, group: null, enforced: true };

/** A service (policy.services) covers an edge's protocol and port. */
export const serviceCovers = (service: Pick<PolicyService, 'proto' | 'ports'>, proto: number, port: number): boolean =>
  service.proto === proto && (service.ports === null ? port < 0 : port >= service.ports.from && port <= service.ports.to);

/** Every group's stage, resolved once per policy. */
export class GroupStages {
  private constructor(private readonly byGroup: ReadonlyMap<string, { readonly setting: StageSetting; readonly services: readonly PolicyService[] }>) {}

  static of(policy: Pick<Policy, 'groups' | 'services'>): GroupStages {
    const services = new Map(policy.services.map((service) => [service.id, service]));
    const byGroup = new Map<string, { setting: StageSetting; services: PolicyService[] }>();
    for (const group of policy.groups) {
      if (!isStageable(group)) continue;
      const setting = stageSettingOf(group);
      byGroup.set(group.id, { setting, services: setting.services.map((id) => services.get(id)).filter((service): service is PolicyService => service !== undefined) });
    }
    return new GroupStages(byGroup);
  }

  setting(group: string): StageSetting {
    return this.byGroup.get(group)?.setting ?? DEFAULT_STAGE_SETTING;
  }

  /** No group is anything but enforced: every verdict is the default deny's. */
  get allEnforced(): boolean {
    for (const { setting } of this.byGroup.values()) if (setting.stage !== 'enforce') return false;
    return true;
  }

  /** The group that filters an edge between hosts in these groups (see the file comment); null when none does. */
  filteringGroup(clientGroups: readonly string[], serverGroups: readonly string[], serverScope: AddressScope): string | null {
    const server = serverGroups.find((id) => this.byGroup.has(id));
    if (server !== undefined) return server;
    if (serverScope === 'internal') return null;
    return clientGroups.find((id) => this.byGroup.has(id)) ?? null;
  }

  ruling(clientGroups: readonly string[], serverGroups: readonly string[], serverScope: AddressScope, proto: number, port: number): StageRuling {
    const group = this.filteringGroup(clientGroups, serverGroups, serverScope);
    if (group === null) return DEFAULT_RULING;
    const { setting, services } = this.byGroup.get(group)!;
    const enforced = setting.stage === 'enforce' || (setting.stage === 'selective' && services.some((service) => serviceCovers(service, proto, port)));
    return { stage: setting.stage, group, enforced };
  }
}

/** The services of a stage setting in canonical (id) order, without repeats. */
export const canonicalServices = (ids: readonly string[]): string[] => [...new Set(ids)].sort(compareText);
