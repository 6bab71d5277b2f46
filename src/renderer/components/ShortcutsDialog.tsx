import { useEffect, useRef } from 'react';
import { SHORTCUTS } from '../model/shortcuts';

/** The keyboard shortcuts, in a modal dialog (Escape or the button closes it). */
export function ShortcutsDialog({ open, onClose }: { readonly open: boolean; readonly onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="shortcuts-dialog" aria-labelledby="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      {open && (
        <table className="data-table">
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.command}>
                <th scope="row">
                  {shortcut.keys.map((keys, index) => (
                    <span key={keys}>
                      {index > 0 && ' or '}
                      <kbd>{keys}</kbd>
                    </span>
                  ))}
                </th>
                <td>{shortcut.does}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">
                <kbd>Tab</kbd>, <kbd>←</kbd> <kbd>→</kbd>
              </th>
              <td>Move between controls; the arrow keys move between the views&apos; tabs</td>
            </tr>
            <tr>
              <th scope="row">
                <kbd>Enter</kbd>
              </th>
              <td>In the map&apos;s search, select and zoom to the first group found</td>
            </tr>
          </tbody>
        </table>
      )}
      <form method="dialog">
        <button type="submit">Close</button>
      </form>
    </dialog>
  );
}
