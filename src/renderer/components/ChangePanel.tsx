import { useState } from 'react';
import type { WorkbenchStep, WorkbenchView } from '../../core/workbench/workbench';
import { formatCount, formatPercent } from '../format/numbers';
import { useAppStore } from '../store/app-store';
import { useWorkbench } from './workbench-context';

/** Rule ids listed under "details" per kind of change; the counts are always whole. */
const IDS_LISTED = 25;

/**
 * Undo and redo with what they would take back, and what the last edit
 * changed: rules added, removed and changed, edges the policy now blocks or
 * now permits in the replay, the change in exposure, and what the groups'
 * stages now only log or now block. Announced to
 * screen readers as it changes.
 */
export function ChangePanel({ view }: { readonly view: WorkbenchView }) {
  const controller = useWorkbench();
  const step = useAppStore((state) => state.lastStep);
  const undoTop = useAppStore((state) => state.undoStack[state.undoStack.length - 1]);
  const redoTop = useAppStore((state) => state.redoStack[state.redoStack.length - 1]);
  const busy = useAppStore((state) => state.editsInFlight > 0);
  const [details, setDetails] = useState(false);
  return (
    <section className="change-panel" aria-label="Changes">
      <div className="change-actions">
        <button type="button" onClick={() => void controller.undo()} disabled={undoTop === undefined} title={undoTop === undefined ? 'Nothing to undo' : `Undo: ${undoTop.label} (Ctrl+Z)`}>
          Undo{undoTop === undefined ? '' : `: ${undoTop.label}`}
        </button>
        <button type="button" onClick={() => void controller.redo()} disabled={redoTop === undefined} title={redoTop === undefined ? 'Nothing to redo' : `Redo: ${redoTop.label} (Ctrl+Shift+Z)`}>
          Redo{redoTop === undefined ? '' : `: ${redoTop.label}`}
        </button>
        <span className="change-coverage" data-figure="coverage">
          Replay: {formatPercent(view.simulation.coverage)} of allowed flows permitted, {formatCount(view.simulation.escapedEdges)} edges would break; {formatCount(view.exposure.policyPairs)} host pairs allowed
        </span>
        {view.stages.logged.edges > 0 && (
          <span className="change-coverage" data-figure="stage-logged">
            Under the stages: {formatCount(view.stages.logged.edges)} of them only logged, {formatCount(view.stages.blocked.edges)} blocked
          </span>
        )}
        {busy && <span className="change-busy">Applying…</span>}
      </div>
      <div className="change-last" role="status" aria-live="polite">
        {step === null ? <span className="muted-text">No changes yet: regroup, decide on rules or accept anomalies, and what changed shows here.</span> : <StepFigures step={step} details={details} onDetails={setDetails} />}
      </div>
    </section>
  );
}

function StepFigures({ step, details, onDetails }: { readonly step: WorkbenchStep; readonly details: boolean; readonly onDetails: (on: boolean) => void }) {
  const { rules } = step;
  const signed = (value: number) => (value > 0 ? `+${formatCount(value)}` : value < 0 ? `−${formatCount(-value)}` : '±0');
  return (
    <>
      <strong className="change-title">{step.description}</strong>
      <span data-figure="rules">
        Rules: {formatCount(rules.added.length)} added, {formatCount(rules.removed.length)} removed, {formatCount(rules.changed.length)} changed
      </span>
      <span data-figure="escaped" className={step.newlyEscaped.edges > 0 ? 'is-warn' : ''}>
        Newly blocked: {formatCount(step.newlyEscaped.edges)} edges ({formatCount(step.newlyEscaped.flows)} flows)
      </span>
      <span data-figure="permitted">
        Newly permitted: {formatCount(step.newlyPermitted.edges)} edges ({formatCount(step.newlyPermitted.flows)} flows)
      </span>
      <span data-figure="exposure">
        Exposure: {signed(step.exposureChange.policyPairs)} host pairs, {signed(step.exposureChange.adminPaths)} admin paths
      </span>
      {step.stageChange.nowLogged.edges + step.stageChange.nowBlocked.edges > 0 && (
        <span data-figure="stages" className={step.stageChange.nowBlocked.edges > 0 ? 'is-warn' : ''}>
          Under the stages: {formatCount(step.stageChange.nowLogged.edges)} edges ({formatCount(step.stageChange.nowLogged.flows)} flows) now only logged, {formatCount(step.stageChange.nowBlocked.edges)} edges (
          {formatCount(step.stageChange.nowBlocked.flows)} flows) now blocked
        </span>
      )}
      {rules.added.length + rules.removed.length + rules.changed.length > 0 && (
        <button type="button" className="link-button" aria-expanded={details} onClick={() => onDetails(!details)}>
          {details ? 'Hide rules' : 'Show rules'}
        </button>
      )}
      {details && (
        <div className="change-details">
          <RuleIds title="Added" ids={rules.added} />
          <RuleIds title="Removed" ids={rules.removed} />
          <RuleIds title="Changed" ids={rules.changed} />
        </div>
      )}
    </>
  );
}

function RuleIds({ title, ids }: { readonly title: string; readonly ids: readonly string[] }) {
  if (ids.length === 0) return null;
  return (
    <div>
      <h3>
        {title} ({formatCount(ids.length)})
      </h3>
      <ul className="mono">
        {ids.slice(0, IDS_LISTED).map((id) => (
          <li key={id}>{id}</li>
        ))}
        {ids.length > IDS_LISTED && <li>… and {formatCount(ids.length - IDS_LISTED)} more</li>}
      </ul>
    </div>
  );
}
