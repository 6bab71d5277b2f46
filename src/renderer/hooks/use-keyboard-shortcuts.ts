import { useEffect } from 'react';
import { commandOf, type ShortcutCommand } from '../model/shortcuts';

/**
 * The page's shortcuts (model/shortcuts.ts). In the desktop app the menu
 * owns Ctrl/Cmd+O; in a browser the page takes it, and a key press counts as
 * the user gesture the file dialog needs.
 */
export function useKeyboardShortcuts(handlers: Readonly<Record<ShortcutCommand, () => void>>): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const command = commandOf({ ...pick(event), inTextField: isTextField(event.target) });
      if (command === null) return;
      if (command !== 'cancel') event.preventDefault();
      handlers[command]();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [handlers]);
}

function pick(event: KeyboardEvent) {
  return { key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey, shiftKey: event.shiftKey, altKey: event.altKey };
}

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'range'].includes(target.type);
}
