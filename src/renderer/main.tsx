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

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App controller={controller} workbench={workbench} workspace={workspace} />
  </StrictMode>,
);
