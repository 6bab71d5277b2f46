import { useEffect, useState } from 'react';
import type { RecentFileEntry } from '../../shared/ipc';
import { formatUtc } from '../format/numbers';
import { desktopApi } from '../platform/desktop';
import { ipcErrorMessage, openFromDesktop, type DesktopOpenHandlers } from '../platform/desktop-open';
import { useAppStore } from '../store/app-store';
import { selectIsBusy, selectSummary } from '../store/selectors';

/** How an entry reads: its first file (and how many more come with it). */
export function recentEntryLabel(entry: RecentFileEntry): string {
  const first = entry.names[0] ?? '';
  return entry.names.length > 1 ? `${first} + ${entry.names.length - 1} more` : first;
}

/**
 * In the desktop app, before anything is open: the workspaces and sets of
 * exports opened lately, newest first, each reopened with one click (the
 * same list as File › Open Recent).
 */
export function RecentFilesList(handlers: DesktopOpenHandlers) {
  const desktop = desktopApi();
  const busy = useAppStore(selectIsBusy);
  const hasResult = useAppStore(selectSummary) !== null;
  const [entries, setEntries] = useState<readonly RecentFileEntry[]>([]);
  useEffect(() => {
    if (desktop === undefined) return;
    let live = true;
    const load = () =>
      desktop.recentFiles().then(
        (list) => {
          if (live) setEntries(list);
        },
        () => undefined,
      );
    void load();
    const unsubscribe = desktop.onRecentFilesChanged(() => void load());
    return () => {
      live = false;
      unsubscribe();
    };
  }, [desktop]);
  if (desktop === undefined || entries.length === 0 || hasResult) return null;
  return (
    <section className="recent-files" aria-labelledby="recent-files-title">
      <h2 id="recent-files-title">Recent</h2>
      <ul>
        {entries.map((entry) => (
          <li key={entry.id}>
            <button type="button" className="link-button" disabled={busy} title={entry.names.join('\n')} onClick={() => void openFromDesktop(() => desktop.openRecent(entry.id), handlers)}>
              {recentEntryLabel(entry)}
            </button>
            <span className="muted"> {formatUtc(entry.openedAt)}</span>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => void desktop.clearRecent().catch((error: unknown) => useAppStore.getState().noticeShown({ tone: 'error', text: `Could not clear the recent files: ${ipcErrorMessage(error)}` }))}
      >
        Clear recent files
      </button>
    </section>
  );
}
