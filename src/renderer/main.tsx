import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AnalysisController } from './analysis/analysis-controller';
import { WorkbenchController } from './analysis/workbench-controller';
import { WorkspaceController } from './analysis/workspace-controller';
import { desktopApi } from './platform/desktop';
import { saveWorkspaceFile } from './platform/save-bytes';
import { App } from './components/App';
import { EngineClient } from './engine/engine-client';
import { useAppStore } from './store/app-store';
import './styles.css';

const engine = new EngineClient();
// DuckDB compiles in the worker while the user is still choosing files.
engine.warmUp();
const controller = new AnalysisController(engine, useAppStore);
const workbench = new WorkbenchController(engine, useAppStore);
const workspace = new WorkspaceController(workbench, useAppStore, saveWorkspaceFile, desktopApi());
workbench.onChanged = () => workspace.changed();
// A replaced worker starts empty: the page must not go on showing work the engine no longer holds.
engine.onRestart = (reason) => {
  const state = useAppStore.getState();
  if (state.view === null) return;
  state.resultCleared();
  state.workbenchCleared();
  state.noticeShown({ tone: 'error', text: `The engine stopped (${reason.message}); the work on screen was lost with it. Open your last saved workspace${desktopApi() === undefined ? '' : ' or the autosave offered at the next start'}.` });
};

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App controller={controller} workbench={workbench} workspace={workspace} />
  </StrictMode>,
);
