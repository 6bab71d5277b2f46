import { contentDigest } from './build-policy';
import { canonicalServices, stageProblem, stageSettingOf } from './enforcement-stage';
import type { EnforcementStage, Policy, StageAuditEntry, StageDecision, StageSetting } from './policy-model';

/**
 * An analyst's stage decision on one group (flowfence stage, the
 * workbench): the group's stage, services, canary flag and promotion
 * override set with who, when, why and a change ticket, and appended to the
 * policy's audit trail with the setting it replaced, as owners' rule
 * decisions are (attest/decisions.ts). The policy is resealed (its content
 * digest recomputed); nothing else in it changes.
 */

/** What the analyst asks for; a field left undefined keeps the group's current value. */
export interface StageRequest {
  readonly group: string;
  readonly stage?: EnforcementStage;
  readonly services?: readonly string[];
  readonly canary?: boolean;
  readonly override?: boolean;
  readonly by: string;
  readonly why: string;
  readonly ticket?: string | null;
}

export type StageDecisionResult =
  | { readonly ok: true; readonly policy: Policy; readonly entry: StageAuditEntry }
  | { readonly ok: false; readonly reason: string };

/** Applies one stage decision at `at` (ISO 8601); refuses (with the reason) one that names no group, says nothing new or lacks who or why. */
export function applyStageDecision(policy: Policy, request: StageRequest, at: string): StageDecisionResult {
  const group = policy.groups.find((candidate) => candidate.id === request.group);
  if (group === undefined) return { ok: false, reason: `no group "${request.group}" in this policy` };
  const by = request.by.trim();
  const why = request.why.trim();
  if (by === '') return { ok: false, reason: 'say who decided (--by)' };
  if (why === '') return { ok: false, reason: 'say why (--why): it is what an auditor reads later' };
  const previous = stageSettingOf(group);
  const stage = request.stage ?? previous.stage;
  // Moving off selective drops its service list unless new services are given; a selective stage keeps its list unless replaced.
  const services = canonicalServices(request.services ?? (stage === 'selective' && previous.stage === 'selective' ? previous.services : []));
  // An override is for the next promotion only: a stage change uses it up unless it is asked for again.
  const override = request.override ?? (stage === previous.stage ? previous.override : false);
  const setting: StageSetting = { stage, services, canary: request.canary ?? previous.canary, override };
  const problem = stageProblem(group, setting, new Set(policy.services.map((service) => service.id)));
  if (problem !== null) return { ok: false, reason: `group ${group.id}: ${problem}` };
  if (sameSetting(setting, previous)) return { ok: false, reason: `group ${group.id} is already ${describeSetting(previous)}: nothing to record` };
  const decision: StageDecision = { by, at, why, ticket: request.ticket === undefined || request.ticket === null || request.ticket.trim() === '' ? null : request.ticket.trim() };
  const entry: StageAuditEntry = { group: group.id, ...setting, ...decision, previous };
  const groups = policy.groups.map((candidate) => (candidate.id === group.id ? { ...candidate, stage: { ...setting, decision } } : candidate));
  const { contentSha256: _old, ...content } = { ...policy, groups, audit: [...(policy.audit ?? []), entry] };
  return { ok: true, policy: { ...content, contentSha256: contentDigest(content) }, entry };
}

const sameSetting = (a: StageSetting, b: StageSetting): boolean =>
  a.stage === b.stage && a.canary === b.canary && a.override === b.override && a.services.length === b.services.length && a.services.every((id, index) => id === b.services[index]);

/** "selective on tcp/443, tcp/5432 (canary, override)": a setting in words. */
export function describeSetting(setting: StageSetting): string {
  const flags = [setting.canary ? 'canary' : '', setting.override ? 'promotion override' : ''].filter((flag) => flag !== '');
  return `${setting.stage}${setting.stage === 'selective' ? ` on ${setting.services.join(', ')}` : ''}${flags.length === 0 ? '' : ` (${flags.join(', ')})`}`;
}
