import { desktopApi } from './desktop';
import { downloadBlob, type SaveOutcome } from './save-text';

/** Saves a zip made in the page: the desktop shell's dialog and atomic write, or a browser download. */
export async function saveArchive(suggestedName: string, bytes: Uint8Array): Promise<SaveOutcome> {
  const desktop = desktopApi();
  if (desktop !== undefined) {
    const result = await desktop.saveArchive(suggestedName, bytes);
    return result.canceled ? { saved: false } : { saved: true, fileName: result.fileName };
  }
  downloadBlob(suggestedName, new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
  return { saved: true, fileName: suggestedName };
}
