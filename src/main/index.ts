import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, Menu, session } from 'electron';
import { IPC_CHANNELS } from '../shared/ipc';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { AutosaveStore } from './autosave-store';
import { FileOpening } from './file-opening';
import { registerIpcHandlers } from './ipc-handlers';
import { filesFromCommandLine } from './launch-files';
import { createMainWindow } from './main-window';
import { buildMenuTemplate } from './menu-template';
import { PendingOpens } from './pending-opens';
import { RecentFiles, recentId, recentMenuLabel, type RecentOpen } from './recent-files';
import { hardenSession } from './session-hardening';
import { hardenAllWebContents } from './web-contents-hardening';

// The build lays out dist/main, dist/preload and dist/renderer side by side.
const RENDERER_ROOT = fileURLToPath(new URL('../renderer/', import.meta.url));
const PRELOAD_SCRIPT = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));

let mainWindow: BrowserWindow | null = null;
/** Files the OS asks the app to open, kept from the first moment (macOS sends `open-file` before `ready`). */
const pendingOpens = new PendingOpens();
let fileOpening: FileOpening | null = null;
const isDefaultApp = process.defaultApp === true;

// Before `ready`: every renderer sandboxed, the app:// scheme privileged.
app.enableSandbox();
registerAppScheme();
hardenAllWebContents(app);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  pendingOpens.add(filesFromCommandLine(process.argv, { isDefaultApp, workingDirectory: process.cwd() }));
  app.on('will-finish-launching', () => {
    app.on('open-file', (event, path) => {
      event.preventDefault();
      openRequested([path]);
    });
  });
  // A second launch (opening a .flowfence from the file manager while the app runs) hands its files over and quits.
  app.on('second-instance', (_event, argv, workingDirectory) => {
    openRequested(filesFromCommandLine(argv, { isDefaultApp, workingDirectory }));
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  void app.whenReady().then(start);
}

/** Before the page is up the files wait; the page takes them when it starts. */
function openRequested(paths: readonly string[]): void {
  if (fileOpening === null) pendingOpens.add(paths);
  else fileOpening.request(paths);
}

function start(): void {
  hardenSession(session.defaultSession);
  serveRenderer(RENDERER_ROOT);
  const recent = new RecentFiles(app.getPath('userData'));
  const opening = new FileOpening(recent, pendingOpens, {
    filesWaiting: () => mainWindow?.webContents.send(IPC_CHANNELS.launchFilesWaiting),
    recentChanged: (entries) => {
      installMenu(entries);
      mainWindow?.webContents.send(IPC_CHANNELS.recentFilesChanged);
    },
    addOsRecentDocument: (path) => app.addRecentDocument(path),
    clearOsRecentDocuments: () => app.clearRecentDocuments(),
  });
  fileOpening = opening;
  registerIpcHandlers(() => mainWindow, new AutosaveStore(app.getPath('userData')), opening);
  installMenu([]);
  // An unreadable list leaves the menu without recent entries; it must not stop the app.
  void recent.list().then(installMenu, () => undefined);
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

/** The application menu, rebuilt whenever the recent files change. */
function installMenu(recent: readonly RecentOpen[]): void {
  const items = recent.map((entry) => ({ id: recentId(entry.paths), label: recentMenuLabel(entry) }));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate(
        process.platform,
        app.isPackaged,
        {
          openFiles: () => mainWindow?.webContents.send(IPC_CHANNELS.openFilesRequested),
          command: (command) => mainWindow?.webContents.send(IPC_CHANNELS.menuCommand, command),
          openRecent: (id) => mainWindow?.webContents.send(IPC_CHANNELS.openRecentRequested, id),
          clearRecent: () => {
            fileOpening?.clear().catch((error: unknown) => dialog.showErrorBox('Could not clear the recent files', error instanceof Error ? error.message : String(error)));
          },
        },
        items,
      ),
    ),
  );
}
