import { readFile, rename, rm, stat } from 'node:fs/promises';
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
  /** Work found at start, moved aside so the new session's autosaves cannot overwrite it before the analyst decides. */
  readonly recoveredPath: string;
  /** Saves one after another: a slow large save finishing last never replaces a newer one. */
  private chain: Promise<void> = Promise.resolve();

  constructor(dataFolder: string) {
    this.path = join(dataFolder, 'autosave', 'current.flowfence');
    this.recoveredPath = join(dataFolder, 'autosave', 'recovered.flowfence');
  }

  save(bytes: Uint8Array): Promise<void> {
    const run = this.chain.then(() => writeBytesAtomic(this.path, bytes));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** The work autosaved before the last stop, moved aside (and kept there until discarded), or what was moved aside before. */
  async recover(): Promise<RecoveredWork | null> {
    try {
      await rename(this.path, this.recoveredPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    try {
      const [bytes, info] = await Promise.all([readFile(this.recoveredPath), stat(this.recoveredPath)]);
      return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), savedAt: info.mtime.toISOString() };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Forgets recovered work the analyst declined or reopened, and the current autosave once the work is saved. */
  async discard(): Promise<void> {
    await this.chain;
    await Promise.all([rm(this.path, { force: true }), rm(this.recoveredPath, { force: true })]);
  }
}
