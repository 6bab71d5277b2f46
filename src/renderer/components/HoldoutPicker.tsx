import { useState } from 'react';
import type { AnalysisSummary } from '../../core/report/summary';
import { formatUtc } from '../format/numbers';
import { useAppStore } from '../store/app-store';
import { useAnalysis } from './analysis-context';

/**
 * The hold-out split: learn the policy from the flows before a chosen time
 * and replay the later ones against it, which says what the policy would
 * break on traffic it was not learned from. Analyses the same files again,
 * so it starts the work afresh (the analyst is told to save first). Times
 * are UTC, as every flow time in the app.
 */
export function HoldoutPicker({ summary }: { readonly summary: AnalysisSummary }) {
  const analysis = useAnalysis();
  const busy = useAppStore((state) => state.run.status !== 'idle');
  const edited = useAppStore((state) => state.undoStack.length > 0);
  const { from, to } = summary.window;
  const [value, setValue] = useState(() => defaultSplit(from, to));
  if (!analysis.canReanalyse) return <p className="muted-text">A hold-out analyses the flow files again: open them (a workspace keeps the analysis, not the files).</p>;
  if (from === null || to === null) return <p className="muted-text">The flows carry no times, so they cannot be split into a learning and a replay window.</p>;
  const splitMs = Date.parse(`${value}:00Z`);
  const valid = Number.isFinite(splitMs) && splitMs > Date.parse(from) && splitMs <= Date.parse(to);
  return (
    <form
      className="inline-form holdout"
      onSubmit={(event) => {
        event.preventDefault();
        if (valid) analysis.reanalyse({ trainUntilMs: splitMs });
      }}
    >
      <label>
        Learn from flows before (UTC){' '}
        <input type="datetime-local" step={3600} value={value} min={from.slice(0, 16)} max={to.slice(0, 16)} onChange={(event) => setValue(event.target.value)} />
      </label>
      <button type="submit" disabled={busy || !valid}>
        Analyse again with this hold-out
      </button>
      {summary.holdout !== undefined && (
        <button type="button" disabled={busy} onClick={() => analysis.reanalyse({ trainUntilMs: null })}>
          Learn from all flows again
        </button>
      )}
      <span className="muted-text">
        Window {formatUtc(from)} → {formatUtc(to)}.{edited ? ' This starts the work afresh: save the workspace first to keep your edits.' : ''}
      </span>
    </form>
  );
}

/** Two thirds into the window, on the hour: a common training/replay proportion that leaves both parts traffic. */
function defaultSplit(from: string | null, to: string | null): string {
  if (from === null || to === null) return '';
  const start = Date.parse(from);
  const end = Date.parse(to);
  const split = Math.floor((start + ((end - start) * 2) / 3) / 3_600_000) * 3_600_000;
  return new Date(Math.max(split, start + 3_600_000)).toISOString().slice(0, 16);
}
