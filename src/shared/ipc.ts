/**
 * The contract between the renderer and the Electron shell. The preload script
 * exposes exactly these named functions (checked with `satisfies`); the main
 * process answers them on the channels below and validates every argument,
 * because a compromised renderer can send anything.
 */

export const IPC_CHANNELS = {
  openFiles: 'flowfence:open-files',
  saveText: 'flowfence:save-text',
  saveWorkspace: 'flowfence:save-workspace',
  saveArchive: 'flowfence:save-archive',
  autosave: 'flowfence:autosave',
  recoverAutosave: 'flowfence:recover-autosave',
  discardAutosave: 'flowfence:discard-autosave',
  takeLaunchFiles: 'flowfence:take-launch-files',
  recentFiles: 'flowfence:recent-files',
  openRecent: 'flowfence:open-recent',
  clearRecent: 'flowfence:clear-recent',
  /** Main → renderer: the File › Open… menu item was chosen. */
  openFilesRequested: 'flowfence:open-files-requested',
  /** Main → renderer: a menu item for a page command (MENU_COMMANDS) was chosen. */
  menuCommand: 'flowfence:menu-command',
  /** Main → renderer: files the OS asked the app to open are waiting (take them with takeLaunchFiles). */
  launchFilesWaiting: 'flowfence:launch-files-waiting',
  /** Main → renderer: File › Open Recent was chosen, with the entry's id (the page opens it with openRecent). */
  openRecentRequested: 'flowfence:open-recent-requested',
  /** Main → renderer: the recent files list changed. */
  recentFilesChanged: 'flowfence:recent-files-changed',
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

/** Page commands the menu offers, each also a keyboard shortcut of the page. */
export const MENU_COMMANDS = ['undo', 'redo', 'save-workspace', 'shortcuts'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** Work autosaved before the app last stopped, offered back when it starts. */
export interface RecoveredWork {
  readonly bytes: Uint8Array;
  /** When it was written (ISO 8601). */
  readonly savedAt: string;
}

/** The shape of a recent entry's id (`recentId` in the main process). */
export const RECENT_ID_PATTERN = /^[0-9a-f]{16}$/;

/** A recently opened workspace or set of exports, as the page sees it: names, never paths. */
export interface RecentFileEntry {
  /** Opaque and stable: the page hands it back to reopen the entry. */
  readonly id: string;
  readonly names: readonly string[];
  /** ISO 8601. */
  readonly openedAt: string;
}

/** `window.flowfence` in the desktop app; absent in a plain browser. */
export interface FlowfenceDesktopApi {
  /** Shows the native open dialog and returns the chosen files' bytes. */
  openFiles(): Promise<OpenFilesResult>;
  /** Asks where to save `text` (suggesting `suggestedName`) and writes it atomically. */
  saveText(suggestedName: string, text: string): Promise<SaveTextResult>;
  /** Asks where to save a workspace file and writes it atomically (temporary file, fsync, rename). */
  saveWorkspace(suggestedName: string, bytes: Uint8Array): Promise<SaveTextResult>;
  /** Asks where to save a zip the page made (the rule sets of an export) and writes it atomically. */
  saveArchive(suggestedName: string, bytes: Uint8Array): Promise<SaveTextResult>;
  /** Keeps the current work in the app's data folder, atomically, for recovery after a crash. */
  autosave(bytes: Uint8Array): Promise<void>;
  /** The autosaved work, if the app stopped without the work being saved or discarded. */
  recoverAutosave(): Promise<RecoveredWork | null>;
  /** Forgets the autosaved work (saved, or declined). */
  discardAutosave(): Promise<void>;
  /**
   * Files the OS asked the app to open (a `.flowfence` or exports opened with
   * the app, File › Open Recent), read by the main process; `canceled` when
   * none are waiting.
   */
  takeLaunchFiles(): Promise<OpenFilesResult>;
  /** The recently opened workspaces and sets of exports, newest first. */
  recentFiles(): Promise<readonly RecentFileEntry[]>;
  /** Reads the files of a recent entry again (an entry whose files are gone is dropped, with an error saying so). */
  openRecent(id: string): Promise<OpenFilesResult>;
  clearRecent(): Promise<void>;
  /** Calls `listener` when files the OS asked the app to open are waiting; returns the unsubscribe function. */
  onLaunchFilesWaiting(listener: () => void): () => void;
  /** Calls `listener` with the id of the entry chosen in File › Open Recent; returns the unsubscribe function. */
  onOpenRecentRequested(listener: (id: string) => void): () => void;
  /** Calls `listener` when the recent files list changed; returns the unsubscribe function. */
  onRecentFilesChanged(listener: () => void): () => void;
  /** Calls `listener` when the menu asks to open files; returns the unsubscribe function. */
  onOpenFilesRequested(listener: () => void): () => void;
  /** Calls `listener` with each page command chosen in the menu; returns the unsubscribe function. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}
