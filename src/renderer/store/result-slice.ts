import type { StateCreator } from 'zustand';
import type { Policy } from '../../core/policy/policy-model';
import type { AnalysisSummary } from '../../core/report/summary';
import type { AnalysisResult } from '../engine/protocol';
import type { AppState } from './app-store';

/** The last completed analysis (cleared when a new one starts, so nothing stale is shown). */
export interface ResultSlice {
  readonly summary: AnalysisSummary | null;
  /** The policy the analysis generated: its groups and rules feed the map and the rules table. */
  readonly policy: Policy | null;
  resultReceived(result: AnalysisResult): void;
  resultCleared(): void;
}

export const createResultSlice: StateCreator<AppState, [], [], ResultSlice> = (set) => ({
  summary: null,
  policy: null,
  resultReceived: ({ summary, policy }) => set({ summary, policy }),
  resultCleared: () => set({ summary: null, policy: null }),
});
