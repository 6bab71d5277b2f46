import type { OpenFilesResult } from '../../shared/ipc';
import type { EngineInputFile } from '../engine/protocol';
import { filesFromBytes } from '../files/picked-files';

export interface DesktopOpenHandlers {
  readonly onFiles: (files: EngineInputFile[]) => void;
  readonly onError: (message: string) => void;
}

/** Runs one of the desktop shell's open requests and hands what it read to the page (or its error, stripped of Electron's IPC prefix). */
export async function openFromDesktop(request: () => Promise<OpenFilesResult>, handlers: DesktopOpenHandlers): Promise<void> {
  try {
    const result = await request();
    if (!result.canceled) handlers.onFiles(filesFromBytes(result.files));
  } catch (error) {
    handlers.onError(ipcErrorMessage(error));
  }
}

/** Electron prefixes a rejected invoke's message with "Error invoking remote method '…': Error: "; the analyst needs the rest. */
export function ipcErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, '');
}
