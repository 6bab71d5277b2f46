import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeBytesAtomic } from '../core/node/atomic-write';
import type { RecoveredWork } from '../shared/ipc';

/**
 * The one autosaved workspace in the app's data folder: replaced whole at
 * every autosave (writeBytesAtomic: the old or the new file, never half),
 * offered back at the next start if the app stopped before the work was
 * saved or discarded, and removed once it is.
 */
export class AutosaveStore {
  readonly path: string;

  constructor(dataFolder: string) {
    this.path = join(dataFolder, 'autosave', 'current.flowfence');
  }

  save(bytes: Uint8Array): Promise<void> {
    return writeBytesAtomic(this.path, bytes);
  }

  async recover(): Promise<RecoveredWork | null> {
    try {
      const [bytes, info] = await Promise.all([readFile(this.path), stat(this.path)]);
      return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), savedAt: info.mtime.toISOString() };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  discard(): Promise<void> {
    return rm(this.path, { force: true });
  }
}
