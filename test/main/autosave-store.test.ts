import { mkdtemp, readdir, rm } from 'node:fs/promises';
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
    const recovered = await store.recover();
    expect(Array.from(recovered!.bytes)).toEqual([4, 5]);
    expect(Number.isNaN(Date.parse(recovered!.savedAt))).toBe(false);
    // No temporary file is left beside it after a completed save.
    expect(await readdir(dirname(store.path))).toEqual(['current.flowfence']);
    await store.discard();
    expect(await store.recover()).toBeNull();
    await store.discard();
  });
});
