import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate } from '../../src/main/menu-template';
import { SHORTCUTS } from '../../src/renderer/model/shortcuts';

const roles = (items: readonly MenuItemConstructorOptions[]): string[] =>
  items.flatMap((item) => [item.role ?? item.label ?? item.type ?? '?', ...(Array.isArray(item.submenu) ? roles(item.submenu) : [])].map(String));

const noActions = { openFiles: () => undefined, command: () => undefined, openRecent: () => undefined, clearRecent: () => undefined };
const flatten = (list: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] => list.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
const click = (item: MenuItemConstructorOptions | undefined) => item?.click?.(undefined as never, undefined as never, undefined as never);

describe('buildMenuTemplate', () => {
  it('offers Open with Ctrl/Cmd+O and calls the action', () => {
    let opened = 0;
    const template = buildMenuTemplate('linux', true, { ...noActions, openFiles: () => opened++ });
    const file = template.find((item) => item.label === '&File');
    const open = (file?.submenu as MenuItemConstructorOptions[]).find((item) => item.accelerator === 'CmdOrCtrl+O');
    expect(open?.label).toMatch(/Open/);
    open?.click?.(undefined as never, undefined as never, undefined as never);
    expect(opened).toBe(1);
  });

  it('keeps reload and DevTools out of packaged builds', () => {
    expect(roles(buildMenuTemplate('linux', true, noActions))).not.toContain('toggleDevTools');
    expect(roles(buildMenuTemplate('linux', true, noActions))).not.toContain('reload');
    expect(roles(buildMenuTemplate('linux', false, noActions))).toContain('toggleDevTools');
  });

  it('follows platform conventions for the app menu and quitting', () => {
    expect(roles(buildMenuTemplate('darwin', true, noActions))[0]).toBe('appMenu');
    expect(roles(buildMenuTemplate('linux', true, noActions))).toContain('quit');
    expect(roles(buildMenuTemplate('win32', true, noActions))).not.toContain('appMenu');
  });

  it("sends the page's commands, each with the page's own shortcut", () => {
    const sent: string[] = [];
    const template = buildMenuTemplate('linux', true, { ...noActions, command: (command) => sent.push(command) });
    const items = (list: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] => list.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
    const all = items(template);
    for (const item of all) item.click?.(undefined as never, undefined as never, undefined as never);
    expect(sent.sort()).toEqual(['redo', 'save-workspace', 'shortcuts', 'undo']);
    const pageKeys = new Set(SHORTCUTS.flatMap((shortcut) => shortcut.keys));
    for (const item of all) if (item.accelerator !== undefined) expect(pageKeys, String(item.label)).toContain(String(item.accelerator).replace('CmdOrCtrl+', 'Ctrl+'));
  });

  it('lists recent opens under File › Open Recent, each reopening its own entry, with Clear at the end', () => {
    const opened: string[] = [];
    let cleared = 0;
    const template = buildMenuTemplate('linux', true, { ...noActions, openRecent: (id) => opened.push(id), clearRecent: () => cleared++ }, [
      { id: 'aaaaaaaaaaaaaaaa', label: 'shop.flowfence' },
      { id: 'bbbbbbbbbbbbbbbb', label: 'vpc-1.log.gz + 2 more' },
    ]);
    const recent = flatten(template).find((item) => item.label === 'Open &Recent')?.submenu as MenuItemConstructorOptions[];
    expect(recent.map((item) => item.label ?? item.type)).toEqual(['shop.flowfence', 'vpc-1.log.gz + 2 more', 'separator', '&Clear Recent Files']);
    click(recent[1]);
    click(recent[3]);
    expect(opened).toEqual(['bbbbbbbbbbbbbbbb']);
    expect(cleared).toBe(1);
  });

  it('says so, disabled, when nothing was opened yet', () => {
    const recent = flatten(buildMenuTemplate('win32', true, noActions)).find((item) => item.label === 'Open &Recent')?.submenu as MenuItemConstructorOptions[];
    expect(recent).toEqual([{ label: 'No Recent Files', enabled: false }]);
  });
});
