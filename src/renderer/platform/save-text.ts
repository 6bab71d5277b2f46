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
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = suggestedName;
    link.click();
  } finally {
    // The download has started by now; the URL is no longer needed.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
  return { saved: true, fileName: suggestedName };
}
