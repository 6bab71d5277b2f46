import { sha256Hex } from '../policy/canonical-json';
import { GroupStages, isStageable } from '../policy/enforcement-stage';
import type { ExportNote, ExportTargetName, StageCoverage } from './export-types';
import type { Policy, PolicyGroup, PolicyService, PortRange } from '../policy/policy-model';
import { compareText } from '../util/compare';

/**
 * The groups an export must not enforce whole: those the analyst left in
 * observe or selective (enforcement-stage.ts is the meaning; the simulator
 * applies it). Every target reads them from here, so they agree on which
 * groups are staged and on the id their log lines carry.
 */

export interface StagedGroup {
  readonly group: PolicyGroup;
  readonly stage: 'observe' | 'selective';
  /** selective: the services (policy.services) that are default-deny; empty when observed. */
  readonly services: readonly PolicyService[];
  /**
   * A short id for log prefixes ("g" and 7 hex digits of the group id's
   * SHA-256): iptables' LOG prefix holds 29 bytes, too few for many group
   * ids, and a hash keeps one group's id the same across policy versions
   * (a group's index would not), so last month's log lines still trace back.
   * Every export lists the ids with their groups.
   */
  readonly logId: string;
}

export const stageLogId = (groupId: string): string => `g${sha256Hex(groupId).slice(0, 7)}`;

/** "ff-observe g1a2b3c4: ": at most 23 bytes, within iptables' 29 and nft's 127. */
export const stageLogPrefix = (staged: Pick<StagedGroup, 'stage' | 'logId'>): string => `ff-${staged.stage} ${staged.logId}: `;

/**
 * A selective group's listed service at layer 4, as serviceCovers
 * (enforcement-stage.ts) reads it, for a target that matches the ports of
 * `portProtocols`: a port range, or a protocol whole. A port protocol's
 * service without ports covers no port-carrying flow, so a stage blocks
 * nothing for it: null. Every target that blocks listed services (host
 * firewalls, GCP, Azure) reads them through here.
 */
export type ListedServiceMatch = { readonly kind: 'ports'; readonly ports: PortRange } | { readonly kind: 'protocol' };

export function listedServiceMatch(service: Pick<PolicyService, 'proto' | 'ports'>, portProtocols: ReadonlySet<number>): ListedServiceMatch | null {
  if (!portProtocols.has(service.proto)) return { kind: 'protocol' };
  return service.ports === null ? null : { kind: 'ports', ports: service.ports };
}

/** A port range as the cloud targets write it: "443" or "8000-8099". */
export const portRangeText = ({ from, to }: PortRange): string => (from === to ? String(from) : `${from}-${to}`);

/** The policy's groups in observe or selective, by id. */
export function stagedGroups(policy: Pick<Policy, 'groups' | 'services'>): StagedGroup[] {
  const stages = GroupStages.of(policy);
  const services = new Map(policy.services.map((service) => [service.id, service]));
  const staged: StagedGroup[] = [];
  for (const group of [...policy.groups].sort((a, b) => compareText(a.id, b.id))) {
    if (!isStageable(group)) continue;
    const setting = stages.setting(group.id);
    if (setting.stage === 'enforce') continue;
    staged.push({
      group,
      stage: setting.stage,
      services: setting.stage === 'selective' ? setting.services.map((id) => services.get(id)).filter((service): service is PolicyService => service !== undefined) : [],
      logId: stageLogId(group.id),
    });
  }
  return staged;
}

/** A selective group's enforced services by id, for notes and reports. */
export const describeServices = (services: readonly PolicyService[]): string => services.map((service) => service.id).join(', ');

/** What a target does with one staged group: expresses it (how, in a sentence) or leaves it open (why). */
export type StageHandling = { readonly expressed: string } | { readonly leftOpen: string };

/**
 * A target's stage coverage, and a note per group it leaves open (the
 * export-notes.csv line an operator reads: the group is not isolated at all
 * by this target until it is promoted to enforce).
 */
export function stageCoverage(policy: Pick<Policy, 'groups' | 'services'>, target: ExportTargetName, handle: (staged: StagedGroup) => StageHandling): { coverage: StageCoverage; notes: ExportNote[] } {
  const staged = stagedGroups(policy);
  const stagedIds = new Set(staged.map((group) => group.group.id));
  const coverage = {
    enforced: policy.groups.filter((group) => isStageable(group) && !stagedIds.has(group.id)).map((group) => group.id).sort(compareText),
    observed: [] as { group: string; logId: string; how: string }[],
    selective: [] as { group: string; services: string[]; logId: string; how: string }[],
    leftOpen: [] as { group: string; stage: 'observe' | 'selective'; why: string }[],
  };
  const notes: ExportNote[] = [];
  for (const group of staged) {
    const handling = handle(group);
    if ('leftOpen' in handling) {
      coverage.leftOpen.push({ group: group.group.id, stage: group.stage, why: handling.leftOpen });
      notes.push({ target, rule: null, what: `group ${group.group.id} in ${group.stage}${group.stage === 'selective' ? ` on ${describeServices(group.services)}` : ''}`, action: 'left-open', instead: handling.leftOpen });
    } else if (group.stage === 'observe') coverage.observed.push({ group: group.group.id, logId: group.logId, how: handling.expressed });
    else coverage.selective.push({ group: group.group.id, services: group.services.map((service) => service.id), logId: group.logId, how: handling.expressed });
  }
  return { coverage, notes };
}
