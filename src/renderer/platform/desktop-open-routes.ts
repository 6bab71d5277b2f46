import type { StoreApi } from 'zustand';
import type { FlowfenceDesktopApi, OpenFilesResult } from '../../shared/ipc';
import type { AppState } from '../store/app-store';
import { selectIsBusy } from '../store/selectors';
import { openFromDesktop, type DesktopOpenHandlers } from './desktop-open';

export const BUSY_OPEN_MESSAGE = 'Flowfence is still analysing: cancel the run or wait for it to finish, then open the files again.';

/**
 * Every way the desktop shell opens files: File › Open… (the native
 * dialog), File › Open Recent, and files the OS asked the app to open (a
 * `.flowfence` opened with Flowfence, at start or while it runs). Those last
 * wait in the main process until the page is free to take them, so a file
 * opened during an analysis opens when the analysis ends, not never; a menu
 * choice during a run says why nothing happens. Returns the disconnect
 * function.
 */
export function connectDesktopOpenRoutes(desktop: FlowfenceDesktopApi, store: StoreApi<AppState>, handlers: DesktopOpenHandlers): () => void {
  const busy = () => selectIsBusy(store.getState());
  let launchFilesWaiting = true;
  let connected = true;
  const takeLaunchFiles = () => {
    if (!connected || !launchFilesWaiting || busy()) return;
    launchFilesWaiting = false;
    void openFromDesktop(() => desktop.takeLaunchFiles(), handlers);
  };
  // A menu choice is the analyst's own: during a run it is refused with the reason, not queued.
  const openUnlessBusy = (open: () => Promise<OpenFilesResult>) => {
    if (busy()) handlers.onError(BUSY_OPEN_MESSAGE);
    else void openFromDesktop(open, handlers);
  };
  const unsubscribers = [
    desktop.onOpenFilesRequested(() => openUnlessBusy(() => desktop.openFiles())),
    desktop.onOpenRecentRequested((id) => openUnlessBusy(() => desktop.openRecent(id))),
    desktop.onLaunchFilesWaiting(() => {
      launchFilesWaiting = true;
      takeLaunchFiles();
    }),
    store.subscribe((state, previous) => {
      if (selectIsBusy(previous) && !selectIsBusy(state)) takeLaunchFiles();
    }),
  ];
  // Files the app was started with are already waiting.
  takeLaunchFiles();
  return () => {
    connected = false;
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
