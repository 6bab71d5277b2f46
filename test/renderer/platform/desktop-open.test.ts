import { describe, expect, it } from 'vitest';
import { recentEntryLabel } from '../../../src/renderer/components/RecentFilesList';
import { ipcErrorMessage, openFromDesktop } from '../../../src/renderer/platform/desktop-open';

describe('opening files the desktop shell read', () => {
  it('hands the files to the page in a stable order, and nothing when the request was canceled', async () => {
    const opened: string[][] = [];
    const handlers = { onFiles: (files: { path: string }[]) => opened.push(files.map((file) => file.path)), onError: (message: string) => opened.push([`error: ${message}`]) };
    await openFromDesktop(async () => ({ canceled: false, files: [{ name: 'b.log', bytes: new Uint8Array([1]) }, { name: 'a.log', bytes: new Uint8Array([2]) }] }), handlers);
    await openFromDesktop(async () => ({ canceled: true }), handlers);
    expect(opened).toEqual([['a.log', 'b.log']]);
  });

  it("shows the main process's message without Electron's IPC prefix", async () => {
    const errors: string[] = [];
    await openFromDesktop(
      () => Promise.reject(new Error("Error invoking remote method 'flowfence:open-recent': RecentEntryGoneError: gone.flowfence no longer exists")),
      { onFiles: () => undefined, onError: (message) => errors.push(message) },
    );
    expect(errors).toEqual(['gone.flowfence no longer exists']);
    expect(ipcErrorMessage(new Error("Error invoking remote method 'x': Error: disk full"))).toBe('disk full');
    expect(ipcErrorMessage('plain')).toBe('plain');
  });

  it('labels a recent entry by its first file and how many more', () => {
    expect(recentEntryLabel({ id: '0123456789abcdef', names: ['shop.flowfence'], openedAt: '2026-12-03T09:00:00Z' })).toBe('shop.flowfence');
    expect(recentEntryLabel({ id: '0123456789abcdef', names: ['a.log', 'b.log', 'c.log'], openedAt: '2026-12-03T09:00:00Z' })).toBe('a.log + 2 more');
  });
});
