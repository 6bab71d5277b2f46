import { describe, expect, it } from 'vitest';
import type { FlowfenceDesktopApi, OpenFilesResult } from '../../../src/shared/ipc';
import { BUSY_OPEN_MESSAGE, connectDesktopOpenRoutes } from '../../../src/renderer/platform/desktop-open-routes';
import { createAppStore } from '../../../src/renderer/store/app-store';

/**
 * The desktop shell as the page sees it (window.flowfence), in memory: it
 * records what the page asked for, answers with files named after the
 * request, and lets the test send the shell's notifications.
 */
function inMemoryShell() {
  const asked: string[] = [];
  type Listener = (...args: unknown[]) => void;
  const listeners = new Map<string, Set<Listener>>();
  const on =
    <A extends unknown[]>(name: string) =>
    (listener: (...args: A) => void) => {
      const set = listeners.get(name) ?? listeners.set(name, new Set()).get(name)!;
      const stored = listener as unknown as Listener;
      set.add(stored);
      return () => void set.delete(stored);
    };
  const answer = (what: string): Promise<OpenFilesResult> => {
    asked.push(what);
    return Promise.resolve(what === 'take' && asked.filter((entry) => entry === 'take').length > 2 ? { canceled: true } : { canceled: false, files: [{ name: `${what}.flowfence`, bytes: new Uint8Array([1]) }] });
  };
  const api: FlowfenceDesktopApi = {
    openFiles: () => answer('dialog'),
    saveText: () => Promise.resolve({ canceled: true }),
    saveWorkspace: () => Promise.resolve({ canceled: true }),
    saveArchive: () => Promise.resolve({ canceled: true }),
    autosave: () => Promise.resolve(),
    recoverAutosave: () => Promise.resolve(null),
    discardAutosave: () => Promise.resolve(),
    takeLaunchFiles: () => answer('take'),
    recentFiles: () => Promise.resolve([]),
    openRecent: (id) => answer(`recent-${id}`),
    clearRecent: () => Promise.resolve(),
    onLaunchFilesWaiting: on('launch'),
    onRecentFilesChanged: on('recent-changed'),
    onOpenRecentRequested: on<[string]>('open-recent'),
    onOpenFilesRequested: on('open'),
    onMenuCommand: on('command'),
  };
  const send = (name: string, ...args: unknown[]) => listeners.get(name)?.forEach((listener) => listener(...args));
  const listening = () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0);
  return { api, asked, send, listening };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function connect() {
  const shell = inMemoryShell();
  const store = createAppStore();
  const opened: string[] = [];
  const errors: string[] = [];
  const disconnect = connectDesktopOpenRoutes(shell.api, store, { onFiles: (files) => opened.push(...files.map((file) => file.path)), onError: (message) => errors.push(message) });
  return { shell, store, opened, errors, disconnect };
}

describe("the desktop shell's ways of opening files", () => {
  it('opens the files the app was started with as soon as the page connects', async () => {
    const { opened, shell } = connect();
    await settle();
    expect(shell.asked).toEqual(['take']);
    expect(opened).toEqual(['take.flowfence']);
  });

  it('keeps files the OS sends during an analysis waiting until the analysis ends', async () => {
    const { shell, store, opened } = connect();
    await settle();
    store.getState().runStarted(1, 0);
    shell.send('launch');
    await settle();
    expect(shell.asked).toEqual(['take']);
    store.getState().runProgressed({ stage: 'engine', fraction: 0.5 });
    await settle();
    expect(shell.asked).toEqual(['take']);
    store.getState().runEnded({ kind: 'none' });
    await settle();
    expect(shell.asked).toEqual(['take', 'take']);
    expect(opened).toEqual(['take.flowfence', 'take.flowfence']);
    // Taken once: the run ending again does not ask again.
    store.getState().runStarted(1, 0);
    store.getState().runEnded({ kind: 'none' });
    await settle();
    expect(shell.asked).toEqual(['take', 'take']);
  });

  it('opens File › Open… and File › Open Recent when idle, and says why not during a run', async () => {
    const { shell, store, opened, errors } = connect();
    await settle();
    shell.send('open');
    shell.send('open-recent', '0123456789abcdef');
    await settle();
    expect(opened.slice(1)).toEqual(['dialog.flowfence', 'recent-0123456789abcdef.flowfence']);
    store.getState().runStarted(1, 0);
    shell.send('open');
    shell.send('open-recent', '0123456789abcdef');
    await settle();
    expect(errors).toEqual([BUSY_OPEN_MESSAGE, BUSY_OPEN_MESSAGE]);
    expect(shell.asked).toEqual(['take', 'dialog', 'recent-0123456789abcdef']);
  });

  it('stops listening when disconnected', async () => {
    const { shell, store, disconnect } = connect();
    await settle();
    disconnect();
    expect(shell.listening()).toBe(0);
    shell.send('launch');
    store.getState().runStarted(1, 0);
    store.getState().runEnded({ kind: 'none' });
    await settle();
    expect(shell.asked).toEqual(['take']);
  });
});
