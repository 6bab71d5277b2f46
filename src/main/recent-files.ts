import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../core/node/atomic-write';
import type { RecentFileEntry } from '../shared/ipc';

/** One thing the analyst opened: a workspace, or the set of exports analysed together. */
export interface RecentOpen {
  /** Absolute paths, sorted (the same set opened in another order is the same entry). */
  readonly paths: readonly string[];
  /** ISO 8601. */
  readonly openedAt: string;
}

/** As many as a File › Open Recent menu shows before it stops being a glance. */
export const MAX_RECENT_OPENS = 10;
/** More paths than any one analysis opens; a longer list in the file is damage, not history. */
const MAX_PATHS_PER_OPEN = 1000;

/**
 * The recently opened files, newest first, kept in the app's data folder
 * (`recent.json`, written atomically). A set of exports opened together is
 * one entry, because reopening it must analyse the same set again. The page
 * sees names and an opaque id, never the full paths. A damaged list is
 * forgotten rather than refused: losing the history must not stop the app.
 */
export class RecentFiles {
  readonly path: string;
  private entries: RecentOpen[] | null = null;
  /** Writes one after another, so the file always holds the latest list. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    dataFolder: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.path = join(dataFolder, 'recent.json');
  }

  async list(): Promise<readonly RecentOpen[]> {
    if (this.entries === null) this.entries = await this.load();
    return this.entries;
  }

  /** Records an open (moving an earlier open of the same set to the top) and returns the new list. */
  async add(paths: readonly string[]): Promise<readonly RecentOpen[]> {
    const sorted = [...new Set(paths)].sort();
    if (sorted.length === 0) return this.list();
    const key = recentId(sorted);
    const rest = (await this.list()).filter((entry) => recentId(entry.paths) !== key);
    return this.store([{ paths: sorted, openedAt: this.now().toISOString() }, ...rest].slice(0, MAX_RECENT_OPENS));
  }

  async find(id: string): Promise<RecentOpen | undefined> {
    return (await this.list()).find((entry) => recentId(entry.paths) === id);
  }

  async remove(id: string): Promise<readonly RecentOpen[]> {
    return this.store((await this.list()).filter((entry) => recentId(entry.paths) !== id));
  }

  async clear(): Promise<readonly RecentOpen[]> {
    return this.store([]);
  }

  private async store(entries: RecentOpen[]): Promise<readonly RecentOpen[]> {
    this.entries = entries;
    const text = `${JSON.stringify({ version: 1, entries }, null, 2)}\n`;
    const run = this.chain.then(() => writeFileAtomic(this.path, [text]));
    this.chain = run.catch(() => undefined);
    await run;
    return entries;
  }

  private async load(): Promise<RecentOpen[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    try {
      return parseRecentList(JSON.parse(text) as unknown);
    } catch {
      return [];
    }
  }
}

/** The entries of a `recent.json`, keeping only well-formed ones. */
export function parseRecentList(value: unknown): RecentOpen[] {
  if (typeof value !== 'object' || value === null || (value as { version?: unknown }).version !== 1) return [];
  const entries = (value as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) return [];
  const kept: RecentOpen[] = [];
  for (const entry of entries.slice(0, MAX_RECENT_OPENS) as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { paths, openedAt } = entry as { paths?: unknown; openedAt?: unknown };
    if (!Array.isArray(paths) || paths.length === 0 || paths.length > MAX_PATHS_PER_OPEN) continue;
    if (!paths.every((path) => typeof path === 'string' && path.length > 0)) continue;
    if (typeof openedAt !== 'string' || Number.isNaN(Date.parse(openedAt))) continue;
    kept.push({ paths: [...(paths as string[])].sort(), openedAt });
  }
  return kept;
}

/** An opaque, stable id for an entry: the page names entries by it without learning their paths. */
export function recentId(paths: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify([...paths].sort())).digest('hex').slice(0, 16);
}

/** What the page shows of an entry: base names only. */
export function describeRecent(entry: RecentOpen): RecentFileEntry {
  return { id: recentId(entry.paths), names: entry.paths.map((path) => basename(path)), openedAt: entry.openedAt };
}

/**
 * A menu label for an entry: its first file's name (and how many more), with
 * control characters dropped and `&` doubled so that a file name cannot
 * invent a mnemonic or break the menu.
 */
export function recentMenuLabel(entry: RecentOpen): string {
  const names = entry.paths.map((path) => basename(path));
  const first = names[0] ?? '';
  const shown = first.length > 60 ? `${first.slice(0, 57)}…` : first;
  const label = names.length > 1 ? `${shown} + ${names.length - 1} more` : shown;
  // eslint-disable-next-line no-control-regex
  return label.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '').replace(/&/g, '&&');
}
