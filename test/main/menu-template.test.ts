import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate } from '../../src/main/menu-template';
import { SHORTCUTS } from '../../src/renderer/model/shortcuts';

const roles = (items: readonly MenuItemConstructorOptions[]): string[] =>
  items.flatMap((item) => [item.role ?? item.label ?? item.type ?? '?', ...(Array.isArray(item.submenu) ? roles(item.submenu) : [])].map(String));

describe('buildMenuTemplate', () => {
  it('offers Open with Ctrl/Cmd+O and calls the action', () => {
    let opened = 0;
    const template = buildMenuTemplate('linux', true, { openFiles: () => opened++, command: () => undefined });
    const file = template.find((item) => item.label === '&File');
    const open = (file?.submenu as MenuItemConstructorOptions[]).find((item) => item.accelerator === 'CmdOrCtrl+O');
    expect(open?.label).toMatch(/Open/);
    open?.click?.(undefined as never, undefined as never, undefined as never);
    expect(opened).toBe(1);
  });

  it('keeps reload and DevTools out of packaged builds', () => {
    expect(roles(buildMenuTemplate('linux', true, { openFiles: () => undefined, command: () => undefined }))).not.toContain('toggleDevTools');
    expect(roles(buildMenuTemplate('linux', true, { openFiles: () => undefined, command: () => undefined }))).not.toContain('reload');
    expect(roles(buildMenuTemplate('linux', false, { openFiles: () => undefined, command: () => undefined }))).toContain('toggleDevTools');
  });

  it('follows platform conventions for the app menu and quitting', () => {
    expect(roles(buildMenuTemplate('darwin', true, { openFiles: () => undefined, command: () => undefined }))[0]).toBe('appMenu');
    expect(roles(buildMenuTemplate('linux', true, { openFiles: () => undefined, command: () => undefined }))).toContain('quit');
    expect(roles(buildMenuTemplate('win32', true, { openFiles: () => undefined, command: () => undefined }))).not.toContain('appMenu');
  });

  it("sends the page's commands, each with the page's own shortcut", () => {
    const sent: string[] = [];
    const template = buildMenuTemplate('linux', true, { openFiles: () => undefined, command: (command) => sent.push(command) });
    const items = (list: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] => list.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
    const all = items(template);
    for (const item of all) item.click?.(undefined as never, undefined as never, undefined as never);
    expect(sent.sort()).toEqual(['redo', 'save-workspace', 'shortcuts', 'undo']);
    const pageKeys = new Set(SHORTCUTS.flatMap((shortcut) => shortcut.keys));
    for (const item of all) if (item.accelerator !== undefined) expect(pageKeys, String(item.label)).toContain(String(item.accelerator).replace('CmdOrCtrl+', 'Ctrl+'));
  });
});
