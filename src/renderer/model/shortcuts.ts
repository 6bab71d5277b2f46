/**
 * The page's keyboard shortcuts, in one list: the hook that handles them
 * and the list the app shows both read it, so the two cannot disagree.
 * Ctrl stands for Cmd on a Mac.
 */
export type ShortcutCommand = 'open' | 'save-workspace' | 'cancel' | 'undo' | 'redo' | 'shortcuts';

export interface Shortcut {
  readonly command: ShortcutCommand;
  readonly keys: readonly string[];
  readonly does: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { command: 'open', keys: ['Ctrl+O'], does: 'Open flow exports and inventories, or a saved workspace' },
  { command: 'save-workspace', keys: ['Ctrl+S'], does: 'Save the workspace (the analysis and every edit)' },
  { command: 'cancel', keys: ['Escape'], does: 'Cancel the running analysis, or close a form' },
  { command: 'undo', keys: ['Ctrl+Z'], does: 'Undo the last edit (regrouping, decision, map move)' },
  { command: 'redo', keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], does: 'Redo the edit last undone' },
  { command: 'shortcuts', keys: ['?'], does: 'Show this list' },
];

export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
  /** In a text field the browser's own undo and typing win: only Ctrl+O, Ctrl+S and Escape apply there. */
  readonly inTextField: boolean;
}

export function commandOf(press: KeyPress): ShortcutCommand | null {
  const ctrl = press.ctrlKey || press.metaKey;
  const key = press.key.toLowerCase();
  if (press.key === 'Escape') return 'cancel';
  if (press.altKey) return null;
  if (ctrl && !press.shiftKey && key === 'o') return 'open';
  if (ctrl && !press.shiftKey && key === 's') return 'save-workspace';
  if (press.inTextField) return null;
  if (ctrl && !press.shiftKey && key === 'z') return 'undo';
  if (ctrl && ((press.shiftKey && key === 'z') || (!press.shiftKey && key === 'y'))) return 'redo';
  if (!ctrl && press.key === '?') return 'shortcuts';
  return null;
}
