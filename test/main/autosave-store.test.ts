import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AutosaveStore } from '../../src/main/autosave-store';

let folder: string | undefined;

afterEach(async () => {
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

describe('the autosave store', () => {
  it('has nothing to recover at first, keeps the latest work whole, and forgets it when discarded', async () => {
    folder = await mkdtemp(join(tmpdir(), 'flowfence-autosave-'));
    const store = new AutosaveStore(folder);
    expect(await store.recover()).toBeNull();
    await store.save(new Uint8Array([1, 2, 3]));
    await store.save(new Uint8Array([4, 5]));
    // No temporary file is left beside it after a completed save.
    expect(await readdir(dirname(store.path))).toEqual(['current.flowfence']);
    const recovered = await store.recover();
    expect(Array.from(recovered!.bytes)).toEqual([4, 5]);
    expect(Number.isNaN(Date.parse(recovered!.savedAt))).toBe(false);
    // Moved aside: the new session's autosaves do not overwrite it before the analyst decides.
    await store.save(new Uint8Array([7]));
    expect(Array.from(await readFile(store.recoveredPath))).toEqual([4, 5]);
    expect(Array.from(await readFile(store.path))).toEqual([7]);
    await store.discard();
    expect(await store.recover()).toBeNull();
    await store.discard();
  });
});
