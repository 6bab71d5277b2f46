import { useCallback, useRef } from 'react';
import type { AnalysisController } from '../analysis/analysis-controller';
import type { EngineInputFile } from '../engine/protocol';
import { useDesktopMenu } from '../hooks/use-desktop-menu';
import { useKeyboardShortcuts } from '../hooks/use-keyboard-shortcuts';
import { usePageDropGuard } from '../hooks/use-page-drop-guard';
import { useAppStore } from '../store/app-store';
import { DropZone } from './DropZone';
import { FileInput } from './FileInput';
import { NoticeLine } from './NoticeLine';
import { ResultsView } from './ResultsView';
import { RunPanel } from './RunPanel';
import { TopBar } from './TopBar';

export function App({ controller }: { readonly controller: AnalysisController }) {
  const fileInput = useRef<HTMLInputElement>(null);
  const noticeShown = useAppStore((state) => state.noticeShown);

  const open = useCallback(() => {
    if (useAppStore.getState().run.status === 'idle') fileInput.current?.click();
  }, []);
  const analyse = useCallback((files: EngineInputFile[]) => controller.start(files), [controller]);
  const cancel = useCallback(() => controller.cancel(), [controller]);
  const openFailed = useCallback((message: string) => noticeShown({ tone: 'error', text: `Could not open the files: ${message}` }), [noticeShown]);

  useKeyboardShortcuts(open, cancel);
  usePageDropGuard();
  useDesktopMenu(analyse, openFailed);

  return (
    <div className="app">
      <TopBar onOpen={open} />
      <main className="workspace">
        <FileInput ref={fileInput} onFiles={analyse} />
        <DropZone onFiles={analyse} onOpen={open} />
        <NoticeLine />
        <RunPanel onCancel={cancel} />
        <ResultsView />
      </main>
      <footer className="statusbar">
        <span>Offline: the engine runs on this machine, in a background worker.</span>
      </footer>
    </div>
  );
}
