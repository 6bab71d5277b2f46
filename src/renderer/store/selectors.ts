import type { AppState } from './app-store';

/**
 * Narrow selectors: each returns one stable value, so a component re-renders
 * only when that value changes (progress ticks do not re-render the table).
 */
export const selectRunStatus = (state: AppState) => state.run.status;
export const selectIsBusy = (state: AppState) => state.run.status !== 'idle';
export const selectProgress = (state: AppState) => state.run.progress;
export const selectFileCount = (state: AppState) => state.run.fileCount;
export const selectOutcome = (state: AppState) => state.run.outcome;
export const selectSummary = (state: AppState) => state.summary;
export const selectView = (state: AppState) => state.view;
export const selectPolicy = (state: AppState) => state.view?.policy ?? null;
export const selectHosts = (state: AppState) => state.hosts;
export const selectLastStep = (state: AppState) => state.lastStep;
export const selectInputs = (state: AppState) => state.summary?.inputs ?? null;
export const selectNotice = (state: AppState) => state.notice;
