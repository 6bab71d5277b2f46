import { useCallback, useMemo, useRef, useState } from 'react';
import type { AnalysisController } from '../analysis/analysis-controller';
import type { WorkbenchController } from '../analysis/workbench-controller';
import type { WorkspaceController } from '../analysis/workspace-controller';
import { useMenuCommands } from '../hooks/use-menu-commands';
import type { EngineInputFile } from '../engine/protocol';
import { useDesktopOpen } from '../hooks/use-desktop-open';
import { useKeyboardShortcuts } from '../hooks/use-keyboard-shortcuts';
import { usePageDropGuard } from '../hooks/use-page-drop-guard';
import { useAppStore } from '../store/app-store';
import { DropZone } from './DropZone';
import { FileInput } from './FileInput';
import { NoticeLine } from './NoticeLine';
import { RecentFilesList } from './RecentFilesList';
import { RecoveryBanner } from './RecoveryBanner';
import { ResultsView } from './ResultsView';
import { RunPanel } from './RunPanel';
import { ShortcutsDialog } from './ShortcutsDialog';
import { TopBar } from './TopBar';
import { AnalysisContext } from './analysis-context';
import { WorkbenchContext } from './workbench-context';

export function App(props: { readonly controller: AnalysisController; readonly workbench: WorkbenchController; readonly workspace: WorkspaceController }) {
  const { controller, workbench, workspace } = props;
  const fileInput = useRef<HTMLInputElement>(null);
  const noticeShown = useAppStore((state) => state.noticeShown);

  const open = useCallback(() => {
    if (useAppStore.getState().run.status === 'idle') fileInput.current?.click();
  }, []);
  const analyse = useCallback((files: EngineInputFile[]) => controller.start(files), [controller]);
  const cancel = useCallback(() => controller.cancel(), [controller]);
  const openFailed = useCallback((message: string) => noticeShown({ tone: 'error', text: `Could not open the files: ${message}` }), [noticeShown]);

  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const handlers = useMemo(
    () => ({
      open,
      cancel,
      undo: () => void workbench.undo(),
      redo: () => void workbench.redo(),
      'save-workspace': () => void workspace.saveAs(),
      shortcuts: () => setShortcutsOpen(true),
    }),
    [open, cancel, workbench, workspace],
  );
  useKeyboardShortcuts(handlers);
  useMenuCommands(handlers);
  usePageDropGuard();
  const desktopOpen = useMemo(() => ({ onFiles: analyse, onError: openFailed }), [analyse, openFailed]);
  useDesktopOpen(desktopOpen);

  return (
    <AnalysisContext.Provider value={controller}>
      <WorkbenchContext.Provider value={workbench}>
        <div className="app">
          <TopBar onOpen={open} onSaveWorkspace={handlers['save-workspace']} onShortcuts={handlers.shortcuts} />
          <main className="workspace">
            <FileInput ref={fileInput} onFiles={analyse} />
            <DropZone onFiles={analyse} onOpen={open} />
            <RecentFilesList {...desktopOpen} />
            <RecoveryBanner workspace={workspace} onOpen={analyse} />
            <NoticeLine />
            <RunPanel onCancel={cancel} />
            <ResultsView />
          </main>
          <footer className="statusbar">
            <span>Offline: the engine runs on this machine, in a background worker.</span>
          </footer>
          <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
        </div>
      </WorkbenchContext.Provider>
    </AnalysisContext.Provider>
  );
}
