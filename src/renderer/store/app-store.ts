import { create } from 'zustand';
import { createNoticeSlice, type NoticeSlice } from './notice-slice';
import { createResultSlice, type ResultSlice } from './result-slice';
import { createRunSlice, type RunSlice } from './run-slice';
import { createWorkbenchSlice, type WorkbenchSlice } from './workbench-slice';

/** One store made of slices; components read it through the narrow selectors in selectors.ts. */
export type AppState = RunSlice & ResultSlice & NoticeSlice & WorkbenchSlice;

export const createAppStore = () =>
  create<AppState>()((...args) => ({
    ...createRunSlice(...args),
    ...createResultSlice(...args),
    ...createNoticeSlice(...args),
    ...createWorkbenchSlice(...args),
  }));

export const useAppStore = createAppStore();
