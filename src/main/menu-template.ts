import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../shared/ipc';

export interface MenuActions {
  readonly openFiles: () => void;
  /** A page command (undo, redo, save…): the page carries it out as it does its keyboard shortcut. */
  readonly command: (command: MenuCommand) => void;
  /** Reopens a File › Open Recent entry, by its id. */
  readonly openRecent: (id: string) => void;
  readonly clearRecent: () => void;
}

/** A File › Open Recent entry: its id and its label (made safe by `recentMenuLabel`). */
export interface RecentMenuItem {
  readonly id: string;
  readonly label: string;
}

/**
 * The application menu: only what a desktop user expects (open, save the
 * workspace, quit, undo and redo of the analyst's edits, the standard
 * clipboard and window roles, the shortcuts list). Accelerators are the
 * page's own shortcuts (renderer/model/shortcuts.ts), so menu and keyboard
 * do the same. Undo and redo are the page's: in a text field the page
 * leaves them to the field. Reload and DevTools are offered in development
 * builds only. Built from plain data so it is tested without Electron.
 */
export function buildMenuTemplate(platform: NodeJS.Platform, isPackaged: boolean, actions: MenuActions, recent: readonly RecentMenuItem[] = []): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) template.push({ role: 'appMenu' });
  template.push({
    label: '&File',
    submenu: [
      { label: '&Open Flow Exports or Workspace…', accelerator: 'CmdOrCtrl+O', click: () => actions.openFiles() },
      { label: 'Open &Recent', submenu: recentSubmenu(recent, actions) },
      { label: '&Save Workspace…', accelerator: 'CmdOrCtrl+S', click: () => actions.command('save-workspace') },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({
    label: '&Edit',
    submenu: [
      { label: '&Undo', accelerator: 'CmdOrCtrl+Z', click: () => actions.command('undo') },
      { label: '&Redo', accelerator: 'CmdOrCtrl+Shift+Z', click: () => actions.command('redo') },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  });
  const view: MenuItemConstructorOptions[] = [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }];
  if (!isPackaged) view.unshift({ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' });
  template.push({ label: '&View', submenu: view });
  template.push({ role: 'windowMenu' });
  template.push({ role: 'help', submenu: [{ label: '&Keyboard Shortcuts', click: () => actions.command('shortcuts') }] });
  return template;
}

function recentSubmenu(recent: readonly RecentMenuItem[], actions: MenuActions): MenuItemConstructorOptions[] {
  if (recent.length === 0) return [{ label: 'No Recent Files', enabled: false }];
  return [
    ...recent.map((item): MenuItemConstructorOptions => ({ label: item.label, click: () => actions.openRecent(item.id) })),
    { type: 'separator' },
    { label: '&Clear Recent Files', click: () => actions.clearRecent() },
  ];
}
