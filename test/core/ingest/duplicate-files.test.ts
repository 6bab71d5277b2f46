import { describe, expect, it } from 'vitest';
import { duplicateFiles } from '../../../src/core/ingest/duplicate-files';
import { memoryInputFile, type InputFile } from '../../../src/core/ingest/source';
import { sha256OfStream } from '../../../src/core/policy/canonical-json';

const file = (path: string, text: string): InputFile => memoryInputFile(path, new TextEncoder().encode(text));

describe('duplicateFiles', () => {
  it('finds copies by content, hashing only files of equal size, and keeps the path that sorts first', async () => {
    const hashed: string[] = [];
    const digest = (input: InputFile) => {
      hashed.push(input.path);
      return sha256OfStream(input.open());
    };
    const files = [file('b/flows.log', 'aaaa'), file('other.log', 'abcdefgh'), file('a/copy.log', 'aaaa'), file('same-size.log', 'bbbb'), file('c/copy2.log', 'aaaa')];
    const copies = await duplicateFiles(files, digest);
    expect([...copies].sort()).toEqual([
      [0, 2],
      [4, 2],
    ]);
    expect(hashed.sort()).toEqual(['a/copy.log', 'b/flows.log', 'c/copy2.log', 'same-size.log']);
  });

  it('finds none among distinct files, and hashes nothing when every size differs', async () => {
    let calls = 0;
    const copies = await duplicateFiles([file('x', 'a'), file('y', 'bb'), file('z', 'ccc')], (input) => {
      calls++;
      return sha256OfStream(input.open());
    });
    expect(copies.size).toBe(0);
    expect(calls).toBe(0);
  });
});
