import { useEffect } from 'react';

/**
 * Escape cancels a running analysis; Ctrl/Cmd+O opens files. (In the desktop
 * app the menu owns Ctrl/Cmd+O; in a browser the page takes it, and a key
 * press counts as the user gesture the file dialog needs.)
 */
export function useKeyboardShortcuts(onOpen: () => void, onCancel: () => void): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        onCancel();
      } else if ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'o') {
        event.preventDefault();
        onOpen();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [onOpen, onCancel]);
}
