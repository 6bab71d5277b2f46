import { desktopApi } from './desktop';

export type SaveOutcome = { readonly saved: true; readonly fileName: string } | { readonly saved: false };

/**
 * Saves text the way the host allows: through the desktop shell's native
 * dialog and atomic write, or as a browser download (no network involved:
 * the bytes come from a local object URL).
 */
export async function saveText(suggestedName: string, text: string, mimeType: string): Promise<SaveOutcome> {
  const desktop = desktopApi();
  if (desktop !== undefined) {
    const result = await desktop.saveText(suggestedName, text);
    return result.canceled ? { saved: false } : { saved: true, fileName: result.fileName };
  }
  downloadBlob(suggestedName, new Blob([text], { type: mimeType }));
  return { saved: true, fileName: suggestedName };
}

/** A browser download of bytes made here (no network involved: the URL is a local object URL, revoked once the download started). */
export function downloadBlob(suggestedName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = suggestedName;
    link.click();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
