import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  readonly openFiles: () => void;
}

/**
 * The application menu: only what a desktop user expects (open, quit, the
 * standard edit and window roles). Reload and DevTools are offered in
 * development builds only. Built from plain data so it is tested without Electron.
 */
export function buildMenuTemplate(platform: NodeJS.Platform, isPackaged: boolean, actions: MenuActions): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) template.push({ role: 'appMenu' });
  template.push({
    label: '&File',
    submenu: [
      { label: '&Open Flow Exports…', accelerator: 'CmdOrCtrl+O', click: () => actions.openFiles() },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({ role: 'editMenu' });
  const view: MenuItemConstructorOptions[] = [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }];
  if (!isPackaged) view.unshift({ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' });
  template.push({ label: '&View', submenu: view });
  template.push({ role: 'windowMenu' });
  return template;
}
