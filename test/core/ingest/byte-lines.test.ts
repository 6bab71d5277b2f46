import { describe, expect, it } from 'vitest';
import { ByteFields, ByteLineSplitter, indexOfByte } from '../../../src/core/ingest/byte-lines';
import { ByteStringCache } from '../../../src/core/ingest/byte-strings';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array, start: number, end: number): string =>
  new TextDecoder().decode(bytes.subarray(start, end));

function splitLines(chunks: string[], maxLineLength = 1000): string[] {
  const seen: string[] = [];
  const splitter = new ByteLineSplitter(
    {
      line: (bytes, start, end, lineNo) => seen.push(`${lineNo}:${decode(bytes, start, end)}`),
      overlong: (lineNo, length) => seen.push(`${lineNo}:overlong ${length}`),
    },
    maxLineLength,
  );
  for (const chunk of chunks) splitter.push(encode(chunk));
  splitter.end();
  return seen;
}

describe('indexOfByte', () => {
  it('searches only inside [from, to)', () => {
    const bytes = encode('a,b,c');
    expect(indexOfByte(bytes, 44, 0, bytes.length)).toBe(1);
    expect(indexOfByte(bytes, 44, 2, bytes.length)).toBe(3);
    expect(indexOfByte(bytes, 44, 2, 3)).toBe(-1);
    expect(indexOfByte(bytes, 44, 4, bytes.length)).toBe(-1);
  });
});

describe('ByteLineSplitter', () => {
  it('joins lines split across chunks and strips CR', () => {
    expect(splitLines(['one\r\ntw', 'o\nthr', 'ee'])).toEqual(['1:one', '2:two', '3:three']);
  });

  it('reports an overlong line once, even when it spans chunks, and goes on', () => {
    expect(splitLines(['ok\n' + 'x'.repeat(8), 'x'.repeat(8) + '\nnext\n'], 10)).toEqual([
      '1:ok',
      '2:overlong 16',
      '3:next',
    ]);
  });
});

describe('ByteFields', () => {
  it('splits one line on a separator without reading past its end', () => {
    const bytes = encode('x|a,b,,c|y');
    const fields = new ByteFields(new ByteStringCache());
    expect(fields.set(bytes, 2, 8, 44)).toBe(4);
    expect([0, 1, 2, 3].map((index) => fields.text(index))).toEqual(['a', 'b', '', 'c']);
    expect(fields.text(4)).toBeUndefined();
  });
});
