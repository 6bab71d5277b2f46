import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileOpening, RecentEntryGoneError, type FileOpeningEvents } from '../../src/main/file-opening';
import { PendingOpens } from '../../src/main/pending-opens';
import { RecentFiles, recentId, type RecentOpen } from '../../src/main/recent-files';

let folder: string | undefined;

afterEach(async () => {
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

/** Real files in a temporary folder, a real recent list, and a record of what the shell was told. */
async function setUp() {
  folder = await mkdtemp(join(tmpdir(), 'flowfence-opening-'));
  const dataFolder = join(folder, 'userData');
  const said: string[] = [];
  const menus: (readonly RecentOpen[])[] = [];
  const events: FileOpeningEvents = {
    filesWaiting: () => said.push('waiting'),
    recentChanged: (entries) => menus.push(entries),
    addOsRecentDocument: (path) => said.push(`os+ ${path}`),
    clearOsRecentDocuments: () => said.push('os clear'),
  };
  const recent = new RecentFiles(dataFolder);
  const opening = new FileOpening(recent, new PendingOpens(), events);
  const file = async (name: string, text: string) => {
    const path = join(folder!, name);
    await writeFile(path, text);
    return path;
  };
  return { opening, recent, said, menus, file };
}

describe('opening files from the desktop shell', () => {
  it('hands files the OS asked for to the page when it takes them, as one set, and records them as recent', async () => {
    const { opening, said, menus, file } = await setUp();
    expect(await opening.takePending()).toEqual({ canceled: true });
    const a = await file('a.log', 'first');
    const b = await file('b.log', 'second');
    // Finder sends one open-file per file: both wait, the page is told each time, and takes them together.
    opening.request([b]);
    opening.request([a, b]);
    expect(said).toEqual(['waiting', 'waiting']);
    const result = await opening.takePending();
    expect(result.canceled).toBe(false);
    if (result.canceled) return;
    expect(result.files.map((entry) => [entry.name, new TextDecoder().decode(entry.bytes)])).toEqual([
      ['b.log', 'second'],
      ['a.log', 'first'],
    ]);
    expect(await opening.takePending()).toEqual({ canceled: true });
    expect(menus.at(-1)?.map((entry) => entry.paths)).toEqual([[a, b]]);
    expect(said).toContain(`os+ ${a}`);
    const listed = await opening.list();
    expect(listed.map((entry) => entry.names)).toEqual([['a.log', 'b.log']]);
  });

  it('reopens a recent entry by its id, and drops an entry whose file is gone with an error naming it', async () => {
    const { opening, menus, file } = await setUp();
    const kept = await file('kept.flowfence', 'workspace');
    const gone = await file('gone.flowfence', 'workspace');
    await opening.record([gone]);
    await opening.record([kept]);
    const again = await opening.openRecent(recentId([kept]));
    expect(again.canceled ? [] : again.files.map((entry) => entry.name)).toEqual(['kept.flowfence']);
    await rm(gone);
    await expect(opening.openRecent(recentId([gone]))).rejects.toThrow(new RecentEntryGoneError('gone.flowfence no longer exists; the entry was removed from the recent files.'));
    expect((await opening.list()).map((entry) => entry.names)).toEqual([['kept.flowfence']]);
    expect(menus.at(-1)?.map((entry) => entry.paths)).toEqual([[kept]]);
    await expect(opening.openRecent(recentId([gone]))).rejects.toThrow(/no longer in the recent files/);
  });

  it('records nothing when reading fails for another reason', async () => {
    const { opening } = await setUp();
    const notAFile = join(folder!, 'a-folder');
    await mkdir(notAFile);
    await expect(opening.open([notAFile])).rejects.toThrow(/not a regular file/);
    expect(await opening.list()).toEqual([]);
  });

  it('clears the recent list and the OS list', async () => {
    const { opening, said, file } = await setUp();
    await opening.record([await file('w.flowfence', 'w')]);
    await opening.clear();
    expect(await opening.list()).toEqual([]);
    expect(said.at(-1)).toBe('os clear');
  });
});
