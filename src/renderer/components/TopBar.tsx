import { useAppStore } from '../store/app-store';
import { selectIsBusy, selectSummary } from '../store/selectors';
import { saveText } from '../platform/save-text';

interface TopBarProps {
  readonly onOpen: () => void;
  readonly onSaveWorkspace: () => void;
  readonly onShortcuts: () => void;
}

export function TopBar({ onOpen, onSaveWorkspace, onShortcuts }: TopBarProps) {
  const hasWork = useAppStore((state) => state.view !== null);
  const busy = useAppStore(selectIsBusy);
  const summary = useAppStore(selectSummary);
  const noticeShown = useAppStore((state) => state.noticeShown);

  const saveSummary = async () => {
    if (summary === null) return;
    try {
      const outcome = await saveText('flowfence-summary.json', `${JSON.stringify(summary, null, 2)}\n`, 'application/json');
      if (outcome.saved) noticeShown({ tone: 'info', text: `Saved ${outcome.fileName}` });
    } catch (error) {
      noticeShown({ tone: 'error', text: `Could not save the summary: ${error instanceof Error ? error.message : String(error)}` });
    }
  };

  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Flowfence</span>
        <span className="brand-section">Segmentation workbench</span>
      </div>
      <div className="topbar-actions">
        <button type="button" className="button primary" onClick={onOpen} disabled={busy} aria-keyshortcuts="Control+O">
          Open files…
        </button>
        <button type="button" className="button" onClick={onSaveWorkspace} disabled={busy || !hasWork} aria-keyshortcuts="Control+S">
          Save workspace…
        </button>
        <button type="button" className="button" onClick={() => void saveSummary()} disabled={busy || summary === null}>
          Save summary
        </button>
        <button type="button" className="button" onClick={onShortcuts} aria-keyshortcuts="Shift+?">
          Shortcuts
        </button>
      </div>
    </header>
  );
}
