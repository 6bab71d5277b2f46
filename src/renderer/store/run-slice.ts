import type { StateCreator } from 'zustand';
import type { Progress } from '../../core/progress';
import type { AppState } from './app-store';

export type RunStatus = 'idle' | 'running' | 'cancelling';

/** How the last analysis ended, for the status line. */
export type RunOutcome =
  | { readonly kind: 'none' }
  /** `workspace`: the name of the workspace file opened, when the run opened one rather than analysing files. */
  | { readonly kind: 'completed'; readonly elapsedMs: number; readonly workspace?: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly message: string };

export interface RunState {
  readonly status: RunStatus;
  readonly progress: Progress | null;
  readonly fileCount: number;
  readonly startedAt: number | null;
  readonly outcome: RunOutcome;
}

/** The analysis in flight: status, latest progress, and how the previous one ended. */
export interface RunSlice {
  readonly run: RunState;
  runStarted(fileCount: number, now: number): void;
  runProgressed(progress: Progress): void;
  runCancelling(): void;
  runEnded(outcome: RunOutcome): void;
}

const IDLE: RunState = { status: 'idle', progress: null, fileCount: 0, startedAt: null, outcome: { kind: 'none' } };

export const createRunSlice: StateCreator<AppState, [], [], RunSlice> = (set) => ({
  run: IDLE,
  runStarted: (fileCount, now) =>
    set({ run: { status: 'running', progress: { stage: 'engine', fraction: 0 }, fileCount, startedAt: now, outcome: { kind: 'none' } } }),
  runProgressed: (progress) =>
    set((state) => (state.run.status === 'running' ? { run: { ...state.run, progress } } : state)),
  runCancelling: () => set((state) => (state.run.status === 'running' ? { run: { ...state.run, status: 'cancelling' } } : state)),
  runEnded: (outcome) => set({ run: { ...IDLE, outcome } }),
});
