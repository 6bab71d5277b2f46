import { basename } from 'node:path';
import type { OpenFilesResult, RecentFileEntry } from '../shared/ipc';
import type { PendingOpens } from './pending-opens';
import { readPickedFiles } from './read-picked-files';
import { describeRecent, type RecentFiles, type RecentOpen } from './recent-files';

/** What opening files changes outside this class: the page, the menu, the OS's own recent documents. */
export interface FileOpeningEvents {
  /** Files are waiting for the page to take them. */
  readonly filesWaiting: () => void;
  readonly recentChanged: (entries: readonly RecentOpen[]) => void;
  /** The OS's list (macOS Dock menu, Windows jump list). */
  readonly addOsRecentDocument: (path: string) => void;
  readonly clearOsRecentDocuments: () => void;
}

export class RecentEntryGoneError extends Error {
  override readonly name = 'RecentEntryGoneError';
}

/**
 * Every route by which files reach the page from the main process (the Open
 * dialog, a file opened with the app, File › Open Recent, the page's recent
 * list) reads them the same way and records them as recently opened, so the
 * recent list holds exactly what was opened, and nothing that failed.
 */
export class FileOpening {
  constructor(
    private readonly recent: RecentFiles,
    private readonly pending: PendingOpens,
    private readonly events: FileOpeningEvents,
    private readonly read: (paths: readonly string[]) => Promise<{ name: string; bytes: Uint8Array }[]> = readPickedFiles,
  ) {}

  /** The OS (or the menu) asks for these files: they wait for the page, which is told. */
  request(paths: readonly string[]): void {
    if (paths.length === 0) return;
    this.pending.add(paths);
    this.events.filesWaiting();
  }

  async takePending(): Promise<OpenFilesResult> {
    const paths = this.pending.take();
    if (paths.length === 0) return { canceled: true };
    return this.open(paths);
  }

  /** Reads the files and records them as one recent open. */
  async open(paths: readonly string[]): Promise<OpenFilesResult> {
    const files = await this.read(paths);
    await this.record(paths);
    return { canceled: false, files };
  }

  /** Reopens a recent entry; an entry whose files are gone is dropped, and the error names the missing file. */
  async openRecent(id: string): Promise<OpenFilesResult> {
    const entry = await this.recent.find(id);
    if (entry === undefined) throw new RecentEntryGoneError('That entry is no longer in the recent files.');
    try {
      return await this.open(entry.paths);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      this.events.recentChanged(await this.recent.remove(id));
      const missing = (error as NodeJS.ErrnoException).path;
      throw new RecentEntryGoneError(`${missing === undefined ? 'A file of that entry' : basename(missing)} no longer exists; the entry was removed from the recent files.`);
    }
  }

  /** A workspace just saved is recent too. */
  async record(paths: readonly string[]): Promise<void> {
    const entries = await this.recent.add(paths);
    for (const path of paths) this.events.addOsRecentDocument(path);
    this.events.recentChanged(entries);
  }

  async list(): Promise<readonly RecentFileEntry[]> {
    return (await this.recent.list()).map(describeRecent);
  }

  async clear(): Promise<void> {
    this.events.recentChanged(await this.recent.clear());
    this.events.clearOsRecentDocuments();
  }
}
