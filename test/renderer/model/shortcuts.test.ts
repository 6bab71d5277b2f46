import { describe, expect, it } from 'vitest';
import { commandOf, SHORTCUTS, type KeyPress } from '../../../src/renderer/model/shortcuts';

const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, inTextField: false, ...extra });

describe('keyboard shortcuts', () => {
  it('maps the listed keys to their commands, Cmd standing for Ctrl', () => {
    expect(commandOf(press('o', { ctrlKey: true }))).toBe('open');
    expect(commandOf(press('s', { metaKey: true, inTextField: true }))).toBe('save-workspace');
    expect(commandOf(press('z', { metaKey: true }))).toBe('undo');
    expect(commandOf(press('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(commandOf(press('y', { ctrlKey: true }))).toBe('redo');
    expect(commandOf(press('?', { shiftKey: true }))).toBe('shortcuts');
    expect(commandOf(press('Escape'))).toBe('cancel');
    expect(commandOf(press('z', { ctrlKey: true, altKey: true }))).toBeNull();
  });

  it('leaves undo and typing to a text field, but still opens and cancels from one', () => {
    expect(commandOf(press('z', { ctrlKey: true, inTextField: true }))).toBeNull();
    expect(commandOf(press('?', { inTextField: true }))).toBeNull();
    expect(commandOf(press('o', { ctrlKey: true, inTextField: true }))).toBe('open');
    expect(commandOf(press('Escape', { inTextField: true }))).toBe('cancel');
  });

  it('lists every command once', () => {
    expect(new Set(SHORTCUTS.map((shortcut) => shortcut.command)).size).toBe(SHORTCUTS.length);
  });
});
