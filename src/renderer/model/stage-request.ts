import { canonicalServices } from '../../core/policy/enforcement-stage';
import type { EnforcementStage, StageSetting } from '../../core/policy/policy-model';
import type { StageRequest } from '../../core/policy/stage-decisions';

/** What the inspector's stage form holds. */
export interface StageDraft {
  readonly stage: EnforcementStage;
  readonly services: readonly string[];
  readonly canary: boolean;
  readonly override: boolean;
}

/**
 * The request for what the analyst changed, and only that: a field left
 * out keeps the group's value in core applyStageDecision, which matters
 * for the override (a stage change uses it up unless asked for again) and
 * for a selective stage's services (kept unless replaced). null when the
 * form says nothing new.
 */
export function stageRequestOf(group: string, current: StageSetting, draft: StageDraft, signer: { readonly by: string; readonly why: string; readonly ticket: string | null }): StageRequest | null {
  const services = canonicalServices(draft.services);
  const servicesChanged = draft.stage === 'selective' && (services.length !== current.services.length || services.some((id, index) => id !== current.services[index]));
  const changes = {
    ...(draft.stage === current.stage ? {} : { stage: draft.stage }),
    ...(servicesChanged ? { services } : {}),
    ...(draft.canary === current.canary ? {} : { canary: draft.canary }),
    ...(draft.override === current.override ? {} : { override: draft.override }),
  };
  if (Object.keys(changes).length === 0) return null;
  return { group, ...changes, by: signer.by, why: signer.why, ticket: signer.ticket };
}
