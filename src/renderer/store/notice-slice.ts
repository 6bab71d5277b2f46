import type { StateCreator } from 'zustand';
import type { AppState } from './app-store';

/** A short message about something the user did outside an analysis (saving, opening). */
export interface Notice {
  readonly tone: 'info' | 'error';
  readonly text: string;
}

export interface NoticeSlice {
  readonly notice: Notice | null;
  noticeShown(notice: Notice): void;
  noticeDismissed(): void;
}

export const createNoticeSlice: StateCreator<AppState, [], [], NoticeSlice> = (set) => ({
  notice: null,
  noticeShown: (notice) => set({ notice }),
  noticeDismissed: () => set({ notice: null }),
});
