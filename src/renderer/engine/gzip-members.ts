/**
 * Cuts a byte stream into pieces so that every place a gzip member could start
 * (the magic bytes 1f 8b 08) begins a new piece. Chromium's DecompressionStream
 * decodes one gzip member and then fails with "junk after end" on the next, and
 * it may drop output it decoded in the same chunk as the junk. Fed piece by
 * piece, a member that ends where the next one starts ends exactly at a piece
 * boundary: all its output is delivered before the next piece is rejected, and
 * the caller knows where the next member starts. A false start (the magic
 * inside compressed data, about once per 16 MiB) only costs an extra piece.
 */
export interface Piece {
  readonly bytes: Uint8Array;
  /** The piece begins with the gzip magic: a member may start here. */
  readonly mayStartMember: boolean;
}

const MAGIC_0 = 0x1f;
const MAGIC_1 = 0x8b;
const DEFLATE = 0x08;

export async function* splitAtMemberStarts(input: AsyncIterable<Uint8Array>): AsyncGenerator<Piece> {
  // Up to two bytes that could be the beginning of a magic spanning two chunks.
  let held: Uint8Array | null = null;
  for await (const incoming of input) {
    if (incoming.byteLength === 0) continue;
    const chunk: Uint8Array = held === null ? incoming : concat(held, incoming);
    held = null;
    const keep = possibleMagicPrefixLength(chunk);
    const usable = chunk.byteLength - keep;
    let start = 0;
    for (const at of magicOffsets(chunk, usable)) {
      if (at > start) yield { bytes: chunk.subarray(start, at), mayStartMember: isMagicAt(chunk, start) };
      start = at;
    }
    if (usable > start) yield { bytes: chunk.subarray(start, usable), mayStartMember: isMagicAt(chunk, start) };
    if (keep > 0) held = chunk.slice(usable);
  }
  if (held !== null) yield { bytes: held, mayStartMember: false };
}

/** Offsets of complete magics that start before `limit`. */
function* magicOffsets(chunk: Uint8Array, limit: number): Generator<number> {
  let from = 0;
  while (from < limit) {
    const at = chunk.indexOf(MAGIC_0, from);
    if (at < 0 || at >= limit) return;
    if (isMagicAt(chunk, at)) yield at;
    from = at + 1;
  }
}

function isMagicAt(chunk: Uint8Array, at: number): boolean {
  return chunk[at] === MAGIC_0 && chunk[at + 1] === MAGIC_1 && chunk[at + 2] === DEFLATE;
}

/** How many trailing bytes might be the first one or two bytes of a magic continued in the next chunk. */
function possibleMagicPrefixLength(chunk: Uint8Array): number {
  const n = chunk.byteLength;
  if (n >= 2 && chunk[n - 2] === MAGIC_0 && chunk[n - 1] === MAGIC_1) return 2;
  if (n >= 1 && chunk[n - 1] === MAGIC_0) return 1;
  return 0;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}
