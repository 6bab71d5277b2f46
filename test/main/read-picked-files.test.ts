import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PickedFilesTooLargeError, readPickedFiles } from '../../src/main/read-picked-files';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'flowfence-picked-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('readPickedFiles', () => {
  it('returns each file by base name with its exact bytes', async () => {
    await writeFile(join(folder, 'a.log'), 'first\n');
    await writeFile(join(folder, 'b.log.gz'), new Uint8Array([0x1f, 0x8b, 0x08, 0x00]));
    const files = await readPickedFiles([join(folder, 'a.log'), join(folder, 'b.log.gz')]);
    expect(files.map((file) => file.name)).toEqual(['a.log', 'b.log.gz']);
    expect(new TextDecoder().decode(files[0]!.bytes)).toBe('first\n');
    expect([...files[1]!.bytes]).toEqual([0x1f, 0x8b, 0x08, 0x00]);
  });

  it('refuses more bytes than the cap, pointing to drag and drop', async () => {
    await writeFile(join(folder, 'big.log'), 'x'.repeat(2048));
    await expect(readPickedFiles([join(folder, 'big.log')], 1024)).rejects.toThrow(PickedFilesTooLargeError);
    await expect(readPickedFiles([join(folder, 'big.log')], 1024)).rejects.toThrow(/Drop the files/);
  });

  it('refuses folders and missing files', async () => {
    await mkdir(join(folder, 'sub'));
    await expect(readPickedFiles([join(folder, 'sub')])).rejects.toThrow(/not a regular file/);
    await expect(readPickedFiles([join(folder, 'missing.log')])).rejects.toThrow(/ENOENT/);
  });
});
