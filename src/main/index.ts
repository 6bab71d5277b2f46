import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, Menu, session } from 'electron';
import { IPC_CHANNELS } from '../shared/ipc';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { AutosaveStore } from './autosave-store';
import { registerIpcHandlers } from './ipc-handlers';
import { createMainWindow } from './main-window';
import { buildMenuTemplate } from './menu-template';
import { hardenSession } from './session-hardening';
import { hardenAllWebContents } from './web-contents-hardening';

// The build lays out dist/main, dist/preload and dist/renderer side by side.
const RENDERER_ROOT = fileURLToPath(new URL('../renderer/', import.meta.url));
const PRELOAD_SCRIPT = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));

let mainWindow: BrowserWindow | null = null;

// Before `ready`: every renderer sandboxed, the app:// scheme privileged.
app.enableSandbox();
registerAppScheme();
hardenAllWebContents(app);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  void app.whenReady().then(start);
}

function start(): void {
  hardenSession(session.defaultSession);
  serveRenderer(RENDERER_ROOT);
  registerIpcHandlers(() => mainWindow, new AutosaveStore(app.getPath('userData')));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate(process.platform, app.isPackaged, {
        openFiles: () => mainWindow?.webContents.send(IPC_CHANNELS.openFilesRequested),
        command: (command) => mainWindow?.webContents.send(IPC_CHANNELS.menuCommand, command),
      }),
    ),
  );
  openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
}

function openWindow(): void {
  mainWindow = createMainWindow(PRELOAD_SCRIPT, app.isPackaged);
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}
