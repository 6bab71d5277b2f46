import { useEffect } from 'react';
import type { MenuCommand } from '../../shared/ipc';
import { desktopApi } from '../platform/desktop';

/**
 * In the desktop app, the menu's page commands (undo, redo, save, the
 * shortcuts list) run the same handlers as the keyboard shortcuts. Undo and
 * redo in a text field are the field's own, as with the keyboard.
 */
export function useMenuCommands(handlers: Readonly<Record<MenuCommand, () => void>>): void {
  useEffect(() => {
    const desktop = desktopApi();
    if (desktop === undefined) return;
    return desktop.onMenuCommand((command) => {
      if ((command === 'undo' || command === 'redo') && isEditing(document.activeElement)) {
        document.execCommand(command);
        return;
      }
      handlers[command]();
    });
  }, [handlers]);
}

function isEditing(element: Element | null): boolean {
  if (!(element instanceof HTMLElement)) return false;
  if (element.isContentEditable || element instanceof HTMLTextAreaElement) return true;
  return element instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'range', 'file'].includes(element.type);
}
