import { useRef, useState, type KeyboardEvent } from 'react';
import { useAppStore } from '../store/app-store';
import { selectInputs, selectPolicy, selectSummary } from '../store/selectors';
import { GroupMapView } from './GroupMapView';
import { InputsTable } from './InputsTable';
import { RulesTable } from './RulesTable';
import { SummaryTotals } from './SummaryTotals';

const VIEWS = [
  { id: 'inputs', label: 'Inputs' },
  { id: 'map', label: 'Map' },
  { id: 'rules', label: 'Rules' },
] as const;
type ViewId = (typeof VIEWS)[number]['id'];

/** The analysis: its totals, then one view at a time (tabs, arrow keys move between them). */
export function ResultsView() {
  const summary = useAppStore(selectSummary);
  const inputs = useAppStore(selectInputs);
  const policy = useAppStore(selectPolicy);
  const [view, setView] = useState<ViewId>('inputs');
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  if (summary === null || inputs === null || policy === null) return null;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = (VIEWS.findIndex((entry) => entry.id === view) + step + VIEWS.length) % VIEWS.length;
    setView(VIEWS[next]!.id);
    tabs.current[next]?.focus();
  };

  return (
    <>
      <SummaryTotals summary={summary} />
      <div className="view-tabs" role="tablist" aria-label="Views" onKeyDown={onKeyDown}>
        {VIEWS.map((entry, index) => (
          <button
            key={entry.id}
            ref={(element) => {
              tabs.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`tab-${entry.id}`}
            aria-selected={view === entry.id}
            aria-controls={`panel-${entry.id}`}
            tabIndex={view === entry.id ? 0 : -1}
            onClick={() => setView(entry.id)}
          >
            {entry.label}
          </button>
        ))}
      </div>
      <div className="view-panel" role="tabpanel" id={`panel-${view}`} aria-labelledby={`tab-${view}`}>
        {view === 'inputs' && <InputsTable inputs={inputs} />}
        {view === 'map' && <GroupMapView policy={policy} summary={summary} />}
        {view === 'rules' && <RulesTable policy={policy} />}
      </div>
    </>
  );
}
