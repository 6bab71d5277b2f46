/**
 * The contract between the renderer and the Electron shell. The preload script
 * exposes exactly these named functions (checked with `satisfies`); the main
 * process answers them on the channels below and validates every argument,
 * because a compromised renderer can send anything.
 */

export const IPC_CHANNELS = {
  openFiles: 'flowfence:open-files',
  saveText: 'flowfence:save-text',
  /** Main → renderer: the File › Open… menu item was chosen. */
  openFilesRequested: 'flowfence:open-files-requested',
} as const;

/** A file the user picked in the native dialog, read by the main process. */
export interface OpenedFile {
  /** The file's base name (the renderer never learns full paths). */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export type OpenFilesResult =
  | { readonly canceled: true }
  | { readonly canceled: false; readonly files: readonly OpenedFile[] };

/** The saved file's base name on success (the page never needs the full path). */
export type SaveTextResult = { readonly canceled: true } | { readonly canceled: false; readonly fileName: string };

/** `window.flowfence` in the desktop app; absent in a plain browser. */
export interface FlowfenceDesktopApi {
  /** Shows the native open dialog and returns the chosen files' bytes. */
  openFiles(): Promise<OpenFilesResult>;
  /** Asks where to save `text` (suggesting `suggestedName`) and writes it atomically. */
  saveText(suggestedName: string, text: string): Promise<SaveTextResult>;
  /** Calls `listener` when the menu asks to open files; returns the unsubscribe function. */
  onOpenFilesRequested(listener: () => void): () => void;
}
