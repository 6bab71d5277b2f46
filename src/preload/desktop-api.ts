import type { IpcRenderer } from 'electron';
import { IPC_CHANNELS, type FlowfenceDesktopApi, type OpenFilesResult, type SaveTextResult } from '../shared/ipc';

/** The slice of ipcRenderer the API uses (injected, so the mapping is tested without Electron). */
export type IpcRendererPort = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

/**
 * One named function per capability, each bound to its own channel: the page
 * can ask for nothing else (no generic invoke, no access to ipcRenderer or to
 * the IPC event objects, which reference the sender).
 */
export function createDesktopApi(ipc: IpcRendererPort) {
  return {
    openFiles: () => ipc.invoke(IPC_CHANNELS.openFiles) as Promise<OpenFilesResult>,
    saveText: (suggestedName: string, text: string) => ipc.invoke(IPC_CHANNELS.saveText, String(suggestedName), String(text)) as Promise<SaveTextResult>,
    onOpenFilesRequested: (listener: () => void) => {
      const forward = () => listener();
      ipc.on(IPC_CHANNELS.openFilesRequested, forward);
      return () => {
        ipc.removeListener(IPC_CHANNELS.openFilesRequested, forward);
      };
    },
  } satisfies FlowfenceDesktopApi;
}
