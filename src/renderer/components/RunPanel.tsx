import { formatDuration, formatPercent } from '../format/numbers';
import { runRate } from '../format/run-rate';
import { stageLabel } from '../format/stages';
import { useAppStore } from '../store/app-store';
import { selectFileCount, selectOutcome, selectProgress, selectRunStatus } from '../store/selectors';

interface RunPanelProps {
  readonly onCancel: () => void;
}

/** Progress and Cancel while an analysis runs; how the last one ended otherwise. */
export function RunPanel({ onCancel }: RunPanelProps) {
  const status = useAppStore(selectRunStatus);
  return status === 'idle' ? <OutcomeLine /> : <ProgressBlock cancelling={status === 'cancelling'} onCancel={onCancel} />;
}

function ProgressBlock({ cancelling, onCancel }: { readonly cancelling: boolean; readonly onCancel: () => void }) {
  const progress = useAppStore(selectProgress);
  const fileCount = useAppStore(selectFileCount);
  const startedAt = useAppStore((state) => state.run.startedAt);
  const fraction = progress?.fraction ?? 0;
  // Re-rendered at each (throttled) progress update, so the clock read here is fresh enough.
  const rate = startedAt === null ? '' : runRate(progress, performance.now() - startedAt);
  const stage = cancelling ? 'Cancelling…' : stageLabel(progress?.stage ?? 'engine');
  return (
    <section className="run-panel" aria-label="Analysis in progress" aria-busy="true">
      <div className="run-heading">
        <span className="run-stage" role="status" aria-live="polite">
          {stage}
        </span>
        <span className="run-files">
          {fileCount} {fileCount === 1 ? 'file' : 'files'}
        </span>
        <span className="run-percent" aria-hidden="true">
          {formatPercent(fraction)}
        </span>
        <button type="button" className="button danger" onClick={onCancel} disabled={cancelling} aria-keyshortcuts="Escape">
          Cancel
        </button>
      </div>
      <progress className="run-bar" max={1} value={fraction} aria-label="Analysis progress" aria-valuetext={formatPercent(fraction)} />
      <div className="run-detail" title={progress?.detail}>
        {progress?.detail ?? '\u00a0'}
      </div>
      <div className="run-rate" data-figure="rate">
        {rate === '' ? '\u00a0' : rate}
      </div>
    </section>
  );
}

function OutcomeLine() {
  const outcome = useAppStore(selectOutcome);
  switch (outcome.kind) {
    case 'none':
      return null;
    case 'completed':
      return (
        <p className="outcome outcome-ok" role="status">
          {outcome.workspace === undefined ? `Analysis complete in ${formatDuration(outcome.elapsedMs)}.` : `Workspace ${outcome.workspace} opened in ${formatDuration(outcome.elapsedMs)}.`}
        </p>
      );
    case 'cancelled':
      return (
        <p className="outcome outcome-cancelled" role="status">
          Analysis cancelled. No results were kept.
        </p>
      );
    case 'failed':
      return (
        <p className="outcome outcome-failed" role="alert">
          Analysis failed: {outcome.message}
        </p>
      );
  }
}
