import type { IpcRenderer } from 'electron';
import { IPC_CHANNELS, MENU_COMMANDS, RECENT_ID_PATTERN, type FlowfenceDesktopApi, type MenuCommand, type OpenFilesResult, type RecentFileEntry, type RecoveredWork, type SaveTextResult } from '../shared/ipc';

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
    saveWorkspace: (suggestedName: string, bytes: Uint8Array) => ipc.invoke(IPC_CHANNELS.saveWorkspace, String(suggestedName), bytesOf(bytes)) as Promise<SaveTextResult>,
    saveArchive: (suggestedName: string, bytes: Uint8Array) => ipc.invoke(IPC_CHANNELS.saveArchive, String(suggestedName), bytesOf(bytes)) as Promise<SaveTextResult>,
    autosave: (bytes: Uint8Array) => ipc.invoke(IPC_CHANNELS.autosave, bytesOf(bytes)) as Promise<void>,
    recoverAutosave: () => ipc.invoke(IPC_CHANNELS.recoverAutosave) as Promise<RecoveredWork | null>,
    discardAutosave: () => ipc.invoke(IPC_CHANNELS.discardAutosave) as Promise<void>,
    takeLaunchFiles: () => ipc.invoke(IPC_CHANNELS.takeLaunchFiles) as Promise<OpenFilesResult>,
    recentFiles: () => ipc.invoke(IPC_CHANNELS.recentFiles) as Promise<readonly RecentFileEntry[]>,
    openRecent: (id: string) => ipc.invoke(IPC_CHANNELS.openRecent, String(id)) as Promise<OpenFilesResult>,
    clearRecent: () => ipc.invoke(IPC_CHANNELS.clearRecent) as Promise<void>,
    onLaunchFilesWaiting: (listener: () => void) => subscribe(ipc, IPC_CHANNELS.launchFilesWaiting, listener),
    onOpenRecentRequested: (listener: (id: string) => void) => {
      const forward = (_event: unknown, id: unknown) => {
        if (typeof id === 'string' && RECENT_ID_PATTERN.test(id)) listener(id);
      };
      ipc.on(IPC_CHANNELS.openRecentRequested, forward);
      return () => {
        ipc.removeListener(IPC_CHANNELS.openRecentRequested, forward);
      };
    },
    onRecentFilesChanged: (listener: () => void) => subscribe(ipc, IPC_CHANNELS.recentFilesChanged, listener),
    onMenuCommand: (listener: (command: MenuCommand) => void) => {
      // The event object references the sender: only a known command name reaches the page.
      const forward = (_event: unknown, command: unknown) => {
        if ((MENU_COMMANDS as readonly unknown[]).includes(command)) listener(command as MenuCommand);
      };
      ipc.on(IPC_CHANNELS.menuCommand, forward);
      return () => {
        ipc.removeListener(IPC_CHANNELS.menuCommand, forward);
      };
    },
    onOpenFilesRequested: (listener: () => void) => subscribe(ipc, IPC_CHANNELS.openFilesRequested, listener),
  } satisfies FlowfenceDesktopApi;
}

/** A notification without payload: the listener never sees the IPC event (it references the sender). */
function subscribe(ipc: IpcRendererPort, channel: string, listener: () => void): () => void {
  const forward = () => listener();
  ipc.on(channel, forward);
  return () => {
    ipc.removeListener(channel, forward);
  };
}

/** Bytes only, whatever the page hands over (a view on a larger buffer is copied to its own). */
function bytesOf(value: Uint8Array): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError('expected the workspace bytes');
  return value.byteOffset === 0 && value.byteLength === value.buffer.byteLength ? value : value.slice();
}
