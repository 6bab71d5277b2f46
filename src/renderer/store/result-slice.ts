import type { StateCreator } from 'zustand';
import type { AnalysisSummary } from '../../core/report/summary';
import type { RejectedLine } from '../../core/report/reject-samples';
import type { WorkbenchView } from '../../core/workbench/workbench';
import type { AnalysisResult, HostFact } from '../engine/protocol';
import type { AppState } from './app-store';

/**
 * The last completed analysis (cleared when a new one starts, so nothing
 * stale is shown): its summary, the internal hosts, and the workbench's
 * current view, which every edit replaces.
 */
export interface ResultSlice {
  readonly summary: AnalysisSummary | null;
  /** The policy, replay and exposure as the analyst's edits left them; the map, the rules and the replay read it. */
  readonly view: WorkbenchView | null;
  readonly hosts: readonly HostFact[] | null;
  /** The first rejected lines of each input file, by path. */
  readonly rejects: Readonly<Record<string, readonly RejectedLine[]>>;
  resultReceived(result: AnalysisResult): void;
  viewReceived(view: WorkbenchView): void;
  resultCleared(): void;
}

export const createResultSlice: StateCreator<AppState, [], [], ResultSlice> = (set) => ({
  summary: null,
  view: null,
  hosts: null,
  rejects: {},
  resultReceived: ({ summary, view, hosts, rejects }) => set({ summary, view, hosts, rejects }),
  viewReceived: (view) => set((state) => (state.view === null ? state : { view })),
  resultCleared: () => set({ summary: null, view: null, hosts: null, rejects: {} }),
});
