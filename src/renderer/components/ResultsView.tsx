import { useRef, useState, type KeyboardEvent } from 'react';
import { useAppStore } from '../store/app-store';
import { selectHosts, selectInputs, selectSummary, selectView } from '../store/selectors';
import { AnomaliesView } from './AnomaliesView';
import { ChangePanel } from './ChangePanel';
import { DriftView } from './DriftView';
import { ExportView } from './ExportView';
import { GroupMapView } from './GroupMapView';
import { InputsTable } from './InputsTable';
import { PromotionView } from './PromotionView';
import { MeasuresView } from './MeasuresView';
import { ReplayView } from './ReplayView';
import { RulesTable } from './RulesTable';
import { SummaryTotals } from './SummaryTotals';
import { TrafficView } from './TrafficView';
import { TreeView } from './TreeView';
import { ViewBoundary } from './ViewBoundary';

const VIEWS = [
  { id: 'inputs', label: 'Inputs' },
  { id: 'map', label: 'Map' },
  { id: 'rules', label: 'Rules' },
  { id: 'tree', label: 'Tree' },
  { id: 'replay', label: 'Replay' },
  { id: 'anomalies', label: 'Anomalies' },
  { id: 'traffic', label: 'Traffic' },
  { id: 'drift', label: 'Drift' },
  { id: 'promotion', label: 'Promotion' },
  { id: 'measures', label: 'Measures' },
  { id: 'export', label: 'Export' },
] as const;
type ViewId = (typeof VIEWS)[number]['id'];

/** The analysis: its totals, what the last edit changed, then one view at a time (tabs, arrow keys move between them). */
export function ResultsView() {
  const summary = useAppStore(selectSummary);
  const inputs = useAppStore(selectInputs);
  const workbench = useAppStore(selectView);
  const hosts = useAppStore(selectHosts);
  const [view, setView] = useState<ViewId>('inputs');
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  if (summary === null || inputs === null || workbench === null || hosts === null) return null;

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
      <ChangePanel view={workbench} />
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
        <ViewBoundary view={view}>
          {view === 'inputs' && <InputsTable inputs={inputs} />}
          {view === 'map' && <GroupMapView view={workbench} summary={summary} hosts={hosts} />}
          {view === 'tree' && <TreeView view={workbench} summary={summary} />}
          {view === 'rules' && <RulesTable view={workbench} />}
          {view === 'replay' && <ReplayView view={workbench} summary={summary} />}
          {view === 'anomalies' && <AnomaliesView view={workbench} summary={summary} />}
          {view === 'traffic' && <TrafficView view={workbench} />}
          {view === 'drift' && <DriftView view={workbench} />}
          {view === 'promotion' && <PromotionView view={workbench} />}
          {view === 'measures' && <MeasuresView view={workbench} />}
          {view === 'export' && <ExportView pods={summary.enrichment.pods ?? 0} />}
        </ViewBoundary>
      </div>
    </>
  );
}
