import { describe, expect, it } from 'vitest';
import { createDesktopApi, type IpcRendererPort } from '../../src/preload/desktop-api';
import { IPC_CHANNELS } from '../../src/shared/ipc';

/**
 * An in-memory stand-in for ipcRenderer, the Electron module boundary: it
 * records invocations and dispatches events the way ipcRenderer does.
 */
function recordingIpc() {
  const invocations: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const port = {
    invoke: (channel: string, ...args: unknown[]) => {
      invocations.push({ channel, args });
      return Promise.resolve({ canceled: true });
    },
    on(channel: string, listener: (...args: unknown[]) => void) {
      (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(listener);
      return port;
    },
    removeListener(channel: string, listener: (...args: unknown[]) => void) {
      listeners.get(channel)?.delete(listener);
      return port;
    },
  };
  const emit = (channel: string, ...args: unknown[]) => listeners.get(channel)?.forEach((listener) => listener(...args));
  return { port: port as unknown as IpcRendererPort, invocations, emit, listenerCount: (channel: string) => listeners.get(channel)?.size ?? 0 };
}

describe('the preload API', () => {
  it('exposes exactly the named functions of the contract', () => {
    expect(Object.keys(createDesktopApi(recordingIpc().port)).sort()).toEqual([
      'autosave',
      'clearRecent',
      'discardAutosave',
      'onLaunchFilesWaiting',
      'onMenuCommand',
      'onOpenFilesRequested',
      'onOpenRecentRequested',
      'onRecentFilesChanged',
      'openFiles',
      'openRecent',
      'recentFiles',
      'recoverAutosave',
      'saveArchive',
      'saveText',
      'saveWorkspace',
      'takeLaunchFiles',
    ]);
  });

  it('maps each function to its own channel with its own arguments', async () => {
    const ipc = recordingIpc();
    const api = createDesktopApi(ipc.port);
    await api.openFiles();
    await api.saveText('summary.json', '{}');
    expect(ipc.invocations).toEqual([
      { channel: IPC_CHANNELS.openFiles, args: [] },
      { channel: IPC_CHANNELS.saveText, args: ['summary.json', '{}'] },
    ]);
  });

  it('passes strings only, whatever the page hands over', async () => {
    const ipc = recordingIpc();
    await createDesktopApi(ipc.port).saveText({ toString: () => 'x.json' } as unknown as string, 42 as unknown as string);
    expect(ipc.invocations[0]?.args).toEqual(['x.json', '42']);
  });

  it('forwards menu requests without the IPC event, and unsubscribes', () => {
    const ipc = recordingIpc();
    const received: unknown[][] = [];
    const unsubscribe = createDesktopApi(ipc.port).onOpenFilesRequested((...args: unknown[]) => received.push(args));
    ipc.emit(IPC_CHANNELS.openFilesRequested, { sender: 'the IPC event' });
    expect(received).toEqual([[]]);
    unsubscribe();
    expect(ipc.listenerCount(IPC_CHANNELS.openFilesRequested)).toBe(0);
    ipc.emit(IPC_CHANNELS.openFilesRequested, {});
    expect(received).toHaveLength(1);
  });

  it('sends workspace bytes as bytes on their own channels, and refuses anything else', async () => {
    const ipc = recordingIpc();
    const api = createDesktopApi(ipc.port);
    const buffer = new Uint8Array([9, 1, 2, 3, 9]);
    await api.saveWorkspace('work.flowfence', buffer.subarray(1, 4));
    await api.autosave(buffer);
    await api.recoverAutosave();
    await api.discardAutosave();
    await api.saveArchive('rule-sets.zip', buffer.subarray(0, 2));
    expect(ipc.invocations.map((entry) => entry.channel)).toEqual([IPC_CHANNELS.saveWorkspace, IPC_CHANNELS.autosave, IPC_CHANNELS.recoverAutosave, IPC_CHANNELS.discardAutosave, IPC_CHANNELS.saveArchive]);
    expect(ipc.invocations[4]!.args).toEqual(['rule-sets.zip', new Uint8Array([9, 1])]);
    // A view on a larger buffer goes as its own bytes only.
    expect(ipc.invocations[0]!.args).toEqual(['work.flowfence', new Uint8Array([1, 2, 3])]);
    expect((ipc.invocations[0]!.args[1] as Uint8Array).buffer.byteLength).toBe(3);
    expect(() => api.autosave('not bytes' as unknown as Uint8Array)).toThrow(/workspace bytes/);
  });

  it('passes only known menu commands to the page, never the IPC event', () => {
    const ipc = recordingIpc();
    const received: unknown[][] = [];
    const stop = createDesktopApi(ipc.port).onMenuCommand((...args) => received.push(args));
    ipc.emit(IPC_CHANNELS.menuCommand, { sender: 'event' }, 'undo');
    ipc.emit(IPC_CHANNELS.menuCommand, { sender: 'event' }, 'format-disk');
    expect(received).toEqual([['undo']]);
    stop();
    expect(ipc.listenerCount(IPC_CHANNELS.menuCommand)).toBe(0);
  });

  it('asks for recent files and launch files on their own channels, the recent id as a string', async () => {
    const ipc = recordingIpc();
    const api = createDesktopApi(ipc.port);
    await api.takeLaunchFiles();
    await api.recentFiles();
    await api.openRecent({ toString: () => '0123456789abcdef' } as unknown as string);
    await api.clearRecent();
    expect(ipc.invocations).toEqual([
      { channel: IPC_CHANNELS.takeLaunchFiles, args: [] },
      { channel: IPC_CHANNELS.recentFiles, args: [] },
      { channel: IPC_CHANNELS.openRecent, args: ['0123456789abcdef'] },
      { channel: IPC_CHANNELS.clearRecent, args: [] },
    ]);
  });

  it('forwards Open Recent with a well-formed id only, and the notifications without the IPC event', () => {
    const ipc = recordingIpc();
    const api = createDesktopApi(ipc.port);
    const ids: unknown[][] = [];
    const notified: unknown[][] = [];
    const stops = [
      api.onOpenRecentRequested((...args) => ids.push(args)),
      api.onLaunchFilesWaiting((...args: unknown[]) => notified.push(['launch', ...args])),
      api.onRecentFilesChanged((...args: unknown[]) => notified.push(['recent', ...args])),
    ];
    ipc.emit(IPC_CHANNELS.openRecentRequested, { sender: 'event' }, '0123456789abcdef');
    ipc.emit(IPC_CHANNELS.openRecentRequested, { sender: 'event' }, '../../etc/passwd');
    ipc.emit(IPC_CHANNELS.openRecentRequested, { sender: 'event' }, 42);
    ipc.emit(IPC_CHANNELS.launchFilesWaiting, { sender: 'event' });
    ipc.emit(IPC_CHANNELS.recentFilesChanged, { sender: 'event' });
    expect(ids).toEqual([['0123456789abcdef']]);
    expect(notified).toEqual([['launch'], ['recent']]);
    for (const stop of stops) stop();
    for (const channel of [IPC_CHANNELS.openRecentRequested, IPC_CHANNELS.launchFilesWaiting, IPC_CHANNELS.recentFilesChanged]) expect(ipc.listenerCount(channel)).toBe(0);
  });
});
