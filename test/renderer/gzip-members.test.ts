import { describe, expect, it } from 'vitest';
import { splitAtMemberStarts, type Piece } from '../../src/renderer/engine/gzip-members';

async function* chunks(...parts: number[][]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new Uint8Array(part);
}

async function pieces(source: AsyncIterable<Uint8Array>): Promise<{ bytes: number[]; start: boolean }[]> {
  const out: { bytes: number[]; start: boolean }[] = [];
  for await (const piece of splitAtMemberStarts(source) as AsyncIterable<Piece>) out.push({ bytes: [...piece.bytes], start: piece.mayStartMember });
  return out;
}

const MAGIC = [0x1f, 0x8b, 0x08];

describe('splitAtMemberStarts', () => {
  it('passes bytes through unchanged and in order', async () => {
    const result = await pieces(chunks([1, 2, 3], [4, 5], [6]));
    expect(result.flatMap((piece) => piece.bytes)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.every((piece) => !piece.start)).toBe(true);
  });

  it('starts a piece at every gzip magic inside a chunk', async () => {
    const result = await pieces(chunks([...MAGIC, 9, 9, ...MAGIC, 7]));
    expect(result).toEqual([
      { bytes: [...MAGIC, 9, 9], start: true },
      { bytes: [...MAGIC, 7], start: true },
    ]);
  });

  it('finds a magic split across chunks, one or two bytes before the boundary', async () => {
    for (const cut of [1, 2]) {
      const stream = [5, 5, ...MAGIC, 6];
      const result = await pieces(chunks(stream.slice(0, 2 + cut), stream.slice(2 + cut)));
      expect(result.flatMap((piece) => piece.bytes), `cut ${cut}`).toEqual(stream);
      expect(result.find((piece) => piece.start)?.bytes, `cut ${cut}`).toEqual([...MAGIC, 6]);
    }
  });

  it('ignores near-misses: 1f 8b without the deflate method, a lone 1f', async () => {
    const result = await pieces(chunks([0x1f, 0x8b, 0x09, 0x1f, 0x00, 0x1f]));
    expect(result.flatMap((piece) => piece.bytes)).toEqual([0x1f, 0x8b, 0x09, 0x1f, 0x00, 0x1f]);
    expect(result.some((piece) => piece.start)).toBe(false);
  });

  it('skips empty chunks', async () => {
    expect(await pieces(chunks([], [1], []))).toEqual([{ bytes: [1], start: false }]);
  });
});
