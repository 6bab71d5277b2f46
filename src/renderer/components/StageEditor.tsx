import { useMemo, useState } from 'react';
import type { PolicyGroup } from '../../core/policy/policy-model';
import type { WorkbenchView } from '../../core/workbench/workbench';
import { formatCount } from '../format/numbers';
import { groupStages, STAGE_MEANINGS } from '../model/group-stages';
import { stageRequestOf, type StageDraft } from '../model/stage-request';
import { useAppStore } from '../store/app-store';
import { DecisionForm } from './DecisionForm';
import { StageBadge } from './StageBadge';
import { useWorkbench } from './workbench-context';

/**
 * A group's enforcement stage in the inspector: what it is, who set it, when
 * and why, and what it logs instead of blocking; and a form to change the
 * stage (selective: which of the group's services), the canary flag and the
 * promotion override. A change is a decision: who and why are required, a
 * ticket is optional, and the engine records it through core
 * applyStageDecision, as `flowfence stage` does (undo takes it back).
 */
export function StageEditor({ group, view }: { readonly group: PolicyGroup; readonly view: WorkbenchView }) {
  const controller = useWorkbench();
  const decidedBy = useAppStore((state) => state.decidedBy);
  const decidedBySet = useAppStore((state) => state.decidedBySet);
  const current = useMemo(() => groupStages([group]).get(group.id)!, [group]);
  const [draft, setDraft] = useState<StageDraft>(current);
  const [signing, setSigning] = useState(false);
  // The services the policy's rules open on the group: what it serves, so what a selective stage can enforce.
  const served = useMemo(() => [...new Set([...view.policy.rules.filter((rule) => rule.to === group.id).map((rule) => rule.service), ...current.services])].sort(), [view.policy.rules, group.id, current.services]);
  const changed = stageRequestOf(group.id, current, draft, { by: 'x', why: 'x', ticket: null }) !== null;
  const complete = draft.stage !== 'selective' || draft.services.length > 0;
  const logged = view.stages.loggedByGroup[group.id] ?? 0;

  return (
    <section className="stage-editor" aria-label="Enforcement stage">
      <h3>
        Stage <StageBadge setting={current} />
        {current.override && <span className="badge"> promotion override</span>}
      </h3>
      <p className="muted-text">
        {STAGE_MEANINGS[current.stage]}.{' '}
        {group.stage === undefined ? 'No stage decision yet: enforced, as every group of a learned policy.' : `Set by ${group.stage.decision.by} at ${group.stage.decision.at}: ${group.stage.decision.why}${group.stage.decision.ticket === null ? '' : ` (${group.stage.decision.ticket})`}.`}
      </p>
      {logged > 0 && (
        <p data-figure="stage-logged-group">
          {formatCount(logged)} replayed edges only logged here: the rules would block them under enforce.
        </p>
      )}
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (changed && complete) setSigning(true);
        }}
      >
        <fieldset>
          <legend>Change the stage</legend>
          {(['observe', 'selective', 'enforce'] as const).map((stage) => (
            <label key={stage} title={STAGE_MEANINGS[stage]}>
              <input type="radio" name={`stage-${group.id}`} value={stage} checked={draft.stage === stage} disabled={stage === 'selective' && served.length === 0} onChange={() => setDraft({ ...draft, stage, services: stage === 'selective' ? draft.services : [] })} /> {stage}
            </label>
          ))}
          {draft.stage === 'selective' && (
            <fieldset>
              <legend>Services enforced</legend>
              {served.map((service) => (
                <label key={service}>
                  <input
                    type="checkbox"
                    checked={draft.services.includes(service)}
                    onChange={(event) => setDraft({ ...draft, services: event.target.checked ? [...draft.services, service] : draft.services.filter((id) => id !== service) })}
                  />{' '}
                  <span className="mono">{service}</span>
                </label>
              ))}
            </fieldset>
          )}
          <label>
            <input type="checkbox" checked={draft.canary} onChange={(event) => setDraft({ ...draft, canary: event.target.checked })} /> canary (promoted first)
          </label>
          <label>
            <input type="checkbox" checked={draft.override} onChange={(event) => setDraft({ ...draft, override: event.target.checked })} /> promotion override (propose the next stage before its quiet days)
          </label>
        </fieldset>
        <button type="submit" disabled={!changed || !complete || signing}>
          Record stage decision…
        </button>
      </form>
      {signing && (
        <DecisionForm
          what={`the stage of ${group.name}`}
          decision="recorded"
          signed={{ by: decidedBy }}
          onCancel={() => setSigning(false)}
          onSubmit={async (why, signer) => {
            const request = stageRequestOf(group.id, current, draft, { by: signer!.by, why, ticket: signer!.ticket });
            if (request === null) return;
            decidedBySet(signer!.by);
            if (await controller.edit({ kind: 'stage', request, at: new Date().toISOString() })) setSigning(false);
          }}
        />
      )}
    </section>
  );
}
