import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeRecent, MAX_RECENT_OPENS, parseRecentList, RecentFiles, recentId, recentMenuLabel } from '../../src/main/recent-files';

let folder: string | undefined;

afterEach(async () => {
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

/** A clock that moves one minute per reading, so each open has its own time. */
function ticking(): () => Date {
  let minute = 0;
  return () => new Date(Date.UTC(2026, 11, 3, 9, minute++));
}

describe('the recent files list', () => {
  it('keeps opens newest first, one entry per set of files whatever their order, and survives a restart', async () => {
    folder = await mkdtemp(join(tmpdir(), 'flowfence-recent-'));
    const recent = new RecentFiles(folder, ticking());
    expect(await recent.list()).toEqual([]);
    await recent.add(['/data/b.log', '/data/a.log']);
    await recent.add(['/work/shop.flowfence']);
    await recent.add(['/data/a.log', '/data/b.log']);
    const list = await recent.list();
    expect(list.map((entry) => entry.paths)).toEqual([['/data/a.log', '/data/b.log'], ['/work/shop.flowfence']]);
    expect(list[0]!.openedAt).toBe('2026-12-03T09:02:00.000Z');
    // Written atomically: no temporary file beside it; a new instance (the next start) reads the same list.
    expect(await readdir(folder)).toEqual(['recent.json']);
    expect(await new RecentFiles(folder).list()).toEqual(list);
  });

  it(`keeps the ${MAX_RECENT_OPENS} newest`, async () => {
    folder = await mkdtemp(join(tmpdir(), 'flowfence-recent-'));
    const recent = new RecentFiles(folder, ticking());
    for (let index = 0; index < MAX_RECENT_OPENS + 3; index++) await recent.add([`/work/${index}.flowfence`]);
    const paths = (await recent.list()).map((entry) => entry.paths[0]);
    expect(paths).toHaveLength(MAX_RECENT_OPENS);
    expect(paths[0]).toBe(`/work/${MAX_RECENT_OPENS + 2}.flowfence`);
    expect(paths).not.toContain('/work/2.flowfence');
  });

  it('removes one entry by its id, and clears all', async () => {
    folder = await mkdtemp(join(tmpdir(), 'flowfence-recent-'));
    const recent = new RecentFiles(folder, ticking());
    await recent.add(['/a.flowfence']);
    await recent.add(['/b.flowfence']);
    expect((await recent.remove(recentId(['/a.flowfence']))).map((entry) => entry.paths)).toEqual([['/b.flowfence']]);
    expect(await recent.find(recentId(['/b.flowfence']))).toBeDefined();
    await recent.clear();
    expect(await new RecentFiles(folder).list()).toEqual([]);
  });

  it('forgets a damaged list instead of refusing to start, and keeps only well-formed entries', async () => {
    folder = await mkdtemp(join(tmpdir(), 'flowfence-recent-'));
    await writeFile(join(folder, 'recent.json'), '{"version":1,"entries":[{"paths":["/a"],"openedAt":"2026-');
    const recent = new RecentFiles(folder, ticking());
    expect(await recent.list()).toEqual([]);
    await recent.add(['/b']);
    expect(JSON.parse(await readFile(join(folder, 'recent.json'), 'utf8')).entries).toHaveLength(1);
    expect(
      parseRecentList({
        version: 1,
        entries: [
          { paths: ['/ok'], openedAt: '2026-12-03T09:00:00Z' },
          { paths: [], openedAt: '2026-12-03T09:00:00Z' },
          { paths: [42], openedAt: '2026-12-03T09:00:00Z' },
          { paths: ['/x'], openedAt: 'yesterday' },
          null,
        ],
      }).map((entry) => entry.paths),
    ).toEqual([['/ok']]);
    expect(parseRecentList({ version: 2, entries: [] })).toEqual([]);
    expect(parseRecentList([])).toEqual([]);
  });

  it('shows the page base names and an opaque id, never a folder', () => {
    const entry = { paths: ['/home/analyst/clients/acme/b.log', '/home/analyst/clients/acme/a.log'], openedAt: '2026-12-03T09:00:00.000Z' };
    const shown = describeRecent(entry);
    expect(shown.names).toEqual(['b.log', 'a.log']);
    expect(shown.id).toMatch(/^[0-9a-f]{16}$/);
    expect(shown.id).toBe(recentId([...entry.paths].reverse()));
    expect(JSON.stringify(shown)).not.toContain('acme');
  });

  it('makes hostile file names safe as menu labels', () => {
    const label = (names: string[]) => recentMenuLabel({ paths: names.map((name) => `/x/${name}`), openedAt: '2026-12-03T09:00:00Z' });
    expect(label(['R&D flows.csv'])).toBe('R&&D flows.csv');
    expect(label(['evil\u0007\u001b[31m\u2028name.log'])).toBe('evil[31mname.log');
    expect(label(['a.log', 'b.log', 'c.log'])).toBe('a.log + 2 more');
    expect(label(['x'.repeat(200)])).toHaveLength(58);
  });
});
