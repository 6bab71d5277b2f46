import type { StateCreator } from 'zustand';
import type { AnalysisSummary } from '../../core/report/summary';
import type { AppState } from './app-store';

/** The last completed analysis (cleared when a new one starts, so nothing stale is shown). */
export interface ResultSlice {
  readonly summary: AnalysisSummary | null;
  resultReceived(summary: AnalysisSummary): void;
  resultCleared(): void;
}

export const createResultSlice: StateCreator<AppState, [], [], ResultSlice> = (set) => ({
  summary: null,
  resultReceived: (summary) => set({ summary }),
  resultCleared: () => set({ summary: null }),
});
