import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from '../shared/app-origin';

/**
 * The one window. The page runs sandboxed, isolated from the preload script,
 * without Node, with web security on; it reaches the shell only through the
 * preload script's named functions.
 */
export function createMainWindow(preloadPath: string, isPackaged: boolean): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 760,
    minHeight: 520,
    show: false,
    title: 'Flowfence',
    backgroundColor: '#0e1116',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: !isPackaged,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
