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
    expect(Object.keys(createDesktopApi(recordingIpc().port)).sort()).toEqual(['onOpenFilesRequested', 'openFiles', 'saveText']);
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
});
