import { basename } from 'node:path';
import { dialog, ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { writeBytesAtomic, writeFileAtomic } from '../core/node/atomic-write';
import { IPC_CHANNELS, type OpenFilesResult, type RecentFileEntry, type RecoveredWork, type SaveTextResult } from '../shared/ipc';
import type { AutosaveStore } from './autosave-store';
import type { FileOpening } from './file-opening';
import { parseAutosaveArguments, parseNoArguments, parseRecentIdArguments, parseSaveTextArguments, parseSaveArchiveArguments, parseSaveWorkspaceArguments } from './ipc-arguments';
import { isTrustedSenderUrl } from './request-policy';

/**
 * Answers the preload script's named functions. Each handler first checks the
 * sender is the app's own top-level page, then validates its arguments.
 */
export function registerIpcHandlers(mainWindow: () => BrowserWindow | null, autosave: AutosaveStore, opening: FileOpening): void {
  ipcMain.handle(IPC_CHANNELS.openFiles, async (event, ...args: unknown[]): Promise<OpenFilesResult> => {
    const window = trustedWindow(event, mainWindow());
    parseNoArguments('openFiles', args);
    const choice = await dialog.showOpenDialog(window, {
      title: 'Open flow exports',
      properties: ['openFile', 'multiSelections'],
    });
    if (choice.canceled || choice.filePaths.length === 0) return { canceled: true };
    return opening.open(choice.filePaths);
  });

  ipcMain.handle(IPC_CHANNELS.saveText, async (event, ...args: unknown[]): Promise<SaveTextResult> => {
    const window = trustedWindow(event, mainWindow());
    const { suggestedName, text } = parseSaveTextArguments(args);
    const choice = await dialog.showSaveDialog(window, { title: 'Save', defaultPath: suggestedName });
    if (choice.canceled || choice.filePath === undefined || choice.filePath === '') return { canceled: true };
    await writeFileAtomic(choice.filePath, [text]);
    return { canceled: false, fileName: basename(choice.filePath) };
  });

  ipcMain.handle(IPC_CHANNELS.saveWorkspace, async (event, ...args: unknown[]): Promise<SaveTextResult> => {
    const window = trustedWindow(event, mainWindow());
    const { suggestedName, bytes } = parseSaveWorkspaceArguments(args);
    const choice = await dialog.showSaveDialog(window, { title: 'Save workspace', defaultPath: suggestedName, filters: [{ name: 'Flowfence workspace', extensions: ['flowfence'] }] });
    if (choice.canceled || choice.filePath === undefined || choice.filePath === '') return { canceled: true };
    await writeBytesAtomic(choice.filePath, bytes);
    await opening.record([choice.filePath]);
    return { canceled: false, fileName: basename(choice.filePath) };
  });

  ipcMain.handle(IPC_CHANNELS.saveArchive, async (event, ...args: unknown[]): Promise<SaveTextResult> => {
    const window = trustedWindow(event, mainWindow());
    const { suggestedName, bytes } = parseSaveArchiveArguments(args);
    const choice = await dialog.showSaveDialog(window, { title: 'Save rule sets', defaultPath: suggestedName, filters: [{ name: 'Zip archive', extensions: ['zip'] }] });
    if (choice.canceled || choice.filePath === undefined || choice.filePath === '') return { canceled: true };
    await writeBytesAtomic(choice.filePath, bytes);
    return { canceled: false, fileName: basename(choice.filePath) };
  });

  ipcMain.handle(IPC_CHANNELS.autosave, async (event, ...args: unknown[]): Promise<void> => {
    trustedWindow(event, mainWindow());
    await autosave.save(parseAutosaveArguments(args));
  });

  ipcMain.handle(IPC_CHANNELS.recoverAutosave, async (event, ...args: unknown[]): Promise<RecoveredWork | null> => {
    trustedWindow(event, mainWindow());
    parseNoArguments('recoverAutosave', args);
    return autosave.recover();
  });

  ipcMain.handle(IPC_CHANNELS.discardAutosave, async (event, ...args: unknown[]): Promise<void> => {
    trustedWindow(event, mainWindow());
    parseNoArguments('discardAutosave', args);
    await autosave.discard();
  });

  ipcMain.handle(IPC_CHANNELS.takeLaunchFiles, async (event, ...args: unknown[]): Promise<OpenFilesResult> => {
    trustedWindow(event, mainWindow());
    parseNoArguments('takeLaunchFiles', args);
    return opening.takePending();
  });

  ipcMain.handle(IPC_CHANNELS.recentFiles, async (event, ...args: unknown[]): Promise<readonly RecentFileEntry[]> => {
    trustedWindow(event, mainWindow());
    parseNoArguments('recentFiles', args);
    return opening.list();
  });

  ipcMain.handle(IPC_CHANNELS.openRecent, async (event, ...args: unknown[]): Promise<OpenFilesResult> => {
    trustedWindow(event, mainWindow());
    return opening.openRecent(parseRecentIdArguments(args));
  });

  ipcMain.handle(IPC_CHANNELS.clearRecent, async (event, ...args: unknown[]): Promise<void> => {
    trustedWindow(event, mainWindow());
    parseNoArguments('clearRecent', args);
    await opening.clear();
  });
}

function trustedWindow(event: IpcMainInvokeEvent, window: BrowserWindow | null): BrowserWindow {
  const frame = event.senderFrame;
  if (window === null || frame === null || event.sender !== window.webContents || frame !== window.webContents.mainFrame || !isTrustedSenderUrl(frame.url)) {
    throw new Error('IPC refused: the sender is not the Flowfence page');
  }
  return window;
}
