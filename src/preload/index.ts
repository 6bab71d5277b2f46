import { contextBridge, ipcRenderer } from 'electron';
import { createDesktopApi } from './desktop-api';

// Runs sandboxed and context-isolated: the page sees `window.flowfence` and nothing of Node or Electron.
contextBridge.exposeInMainWorld('flowfence', createDesktopApi(ipcRenderer));
