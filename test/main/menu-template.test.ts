import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate } from '../../src/main/menu-template';

const roles = (items: readonly MenuItemConstructorOptions[]): string[] =>
  items.flatMap((item) => [item.role ?? item.label ?? item.type ?? '?', ...(Array.isArray(item.submenu) ? roles(item.submenu) : [])].map(String));

describe('buildMenuTemplate', () => {
  it('offers Open with Ctrl/Cmd+O and calls the action', () => {
    let opened = 0;
    const template = buildMenuTemplate('linux', true, { openFiles: () => opened++ });
    const file = template.find((item) => item.label === '&File');
    const open = (file?.submenu as MenuItemConstructorOptions[]).find((item) => item.accelerator === 'CmdOrCtrl+O');
    expect(open?.label).toMatch(/Open/);
    open?.click?.(undefined as never, undefined as never, undefined as never);
    expect(opened).toBe(1);
  });

  it('keeps reload and DevTools out of packaged builds', () => {
    expect(roles(buildMenuTemplate('linux', true, { openFiles: () => undefined }))).not.toContain('toggleDevTools');
    expect(roles(buildMenuTemplate('linux', true, { openFiles: () => undefined }))).not.toContain('reload');
    expect(roles(buildMenuTemplate('linux', false, { openFiles: () => undefined }))).toContain('toggleDevTools');
  });

  it('follows platform conventions for the app menu and quitting', () => {
    expect(roles(buildMenuTemplate('darwin', true, { openFiles: () => undefined }))[0]).toBe('appMenu');
    expect(roles(buildMenuTemplate('linux', true, { openFiles: () => undefined }))).toContain('quit');
    expect(roles(buildMenuTemplate('win32', true, { openFiles: () => undefined }))).not.toContain('appMenu');
  });
});
