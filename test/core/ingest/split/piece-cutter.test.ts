import { describe, expect, it } from 'vitest';
import { PieceCutter, type RawPiece } from '../../../../src/core/ingest/split/piece-cutter';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const isDigit = (byte: number): boolean => byte >= 48 && byte <= 57;

/** Every piece the cutter makes of `text`, fed `chunk` bytes at a time, as text (or its kind). */
function cut(text: string, pieceBytes: number, chunk: number, cutBetween?: (byte: number) => boolean): string[] {
  const cutter = new PieceCutter({ pieceBytes, maxLineLength: 1 << 20, measure: 'bytes', ...(cutBetween === undefined ? {} : { cutBetween }) });
  const bytes = encode(text);
  const pieces: RawPiece[] = [];
  for (let at = 0; at < bytes.length; at += chunk) pieces.push(...cutter.push(bytes.subarray(at, at + chunk)));
  pieces.push(...cutter.end());
  return pieces.map((piece) => (piece.kind === 'lines' ? new TextDecoder().decode(piece.bytes) : piece.kind));
}

describe('cutting a stream into pieces', () => {
  const text = 'h1\n1 a\n2 b\nSummary\nflows\n3 totals\n4 c\n5 d\n6 e\n';

  it('cuts at any line end past the piece size, keeping every byte in order', () => {
    const pieces = cut(text, 8, 3);
    expect(pieces.join('')).toBe(text);
    expect(pieces.length).toBeGreaterThan(3);
  });

  it('with a rule, ends pieces only between two lines that pass it: never inside a footer', () => {
    for (const chunk of [1, 2, 5, 64]) {
      const pieces = cut(text, 6, chunk, isDigit);
      expect(pieces.join('')).toBe(text);
      expect(pieces.length).toBeGreaterThan(1);
      for (const piece of pieces.slice(0, -1)) {
        const lines = piece.split('\n');
        // The piece's last line and the next piece's first both start with a digit.
        expect(isDigit(lines[lines.length - 2]!.charCodeAt(0))).toBe(true);
      }
      for (const piece of pieces.slice(1)) expect(isDigit(piece.charCodeAt(0))).toBe(true);
      expect(pieces.some((piece) => piece.includes('Summary\nflows\n3 totals'))).toBe(true);
    }
  });

  it('says so when no place to cut comes within eight pieces of bytes', () => {
    const json = `[\n${Array.from({ length: 40 }, (_, i) => `  { "n": ${i} },`).join('\n')}\n]\n`;
    expect(cut(json, 10, 7, isDigit)).toContain('uncuttable');
    expect(cut(json, 10_000, 7, isDigit)).toEqual([json]);
  });
});
