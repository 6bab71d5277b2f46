import { desktopApi } from './desktop';
import { downloadBlob, type SaveOutcome } from './save-text';

/** The parts of the File System Access API used here (not yet in TypeScript's DOM library). */
interface FileSystemAccess {
  showSaveFilePicker(options: {
    suggestedName: string;
    types: readonly { description: string; accept: Record<string, readonly string[]> }[];
  }): Promise<{ name: string; createWritable(): Promise<{ write(data: Uint8Array): Promise<void>; close(): Promise<void> }> }>;
}

/**
 * Saves a workspace file the best way the host offers: the desktop shell's
 * dialog and atomic write; in a browser, the File System Access save
 * picker where there is one (the file is written in place, whole when the
 * writable closes); otherwise a download.
 */
export async function saveWorkspaceFile(suggestedName: string, bytes: Uint8Array): Promise<SaveOutcome> {
  const desktop = desktopApi();
  if (desktop !== undefined) {
    const result = await desktop.saveWorkspace(suggestedName, bytes);
    return result.canceled ? { saved: false } : { saved: true, fileName: result.fileName };
  }
  const access = window as unknown as Partial<FileSystemAccess>;
  if (typeof access.showSaveFilePicker === 'function') {
    let handle;
    try {
      handle = await access.showSaveFilePicker({ suggestedName, types: [{ description: 'Flowfence workspace', accept: { 'application/zip': ['.flowfence'] } }] });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return { saved: false };
      throw error;
    }
    const writable = await handle.createWritable();
    await writable.write(bytes);
    await writable.close();
    return { saved: true, fileName: handle.name };
  }
  downloadBlob(suggestedName, new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
  return { saved: true, fileName: suggestedName };
}
