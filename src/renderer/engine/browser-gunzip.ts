import type { IngestHost } from '../../core/ingest/source';
import { splitAtMemberStarts, type Piece } from './gzip-members';

/**
 * gunzip for the engine worker on the browser's native DecompressionStream:
 * streaming, off the UI thread, and strict. A truncated or corrupt member
 * rejects (the stream fails on close), and every member of a multi-member
 * file is decoded: Chromium stops after the first member, so each further
 * member gets a fresh decoder (see gzip-members.ts for how the boundary is found).
 */
export const browserIngestHost: IngestHost = {
  gunzip: (input) => gunzipMembers(input),
};

export async function* gunzipMembers(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const pieces = splitAtMemberStarts(input)[Symbol.asyncIterator]();
  try {
    let first = await pieces.next();
    while (!first.done) {
      const member = new MemberDecoder(first.value, pieces);
      yield* member.output();
      const next = member.nextMemberStart();
      if (next === null) return;
      first = { done: false, value: next };
    }
  } finally {
    await pieces.return?.(undefined);
  }
}

type FeedOutcome =
  | { readonly kind: 'finished' }
  /** The decoder refused `piece`; `bytesBefore` ends with the last bytes it accepted. */
  | { readonly kind: 'refused'; readonly piece: Piece; readonly error: unknown; readonly bytesBefore: Uint8Array }
  /** Reading the input or closing the decoder failed (a truncated member fails on close). */
  | { readonly kind: 'failed'; readonly error: unknown };

/** One DecompressionStream over one member, fed piece by piece. */
class MemberDecoder {
  private readonly stream = new DecompressionStream('gzip');
  private outputBytes = 0;
  private nextStart: Piece | null = null;

  constructor(
    private readonly first: Piece,
    private readonly pieces: AsyncIterator<Piece>,
  ) {}

  async *output(): AsyncGenerator<Uint8Array> {
    const reader = this.stream.readable.getReader();
    const feeding = this.feed();
    try {
      for (;;) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (readError) {
          this.nextStart = this.memberBoundary(await feeding, readError);
          return;
        }
        if (result.done) return;
        this.outputBytes += result.value.byteLength;
        yield result.value;
      }
    } finally {
      reader.releaseLock();
      // Stopped early (the consumer gave up): let the feeder fail fast and drop the decoder.
      await this.stream.readable.cancel().catch(() => undefined);
      await feeding;
    }
  }

  /** Where the next member begins, after output() ended; null at the end of the input. */
  nextMemberStart(): Piece | null {
    return this.nextStart;
  }

  /**
   * Writes pieces one at a time, waiting for each: the decoder only takes a
   * piece once everything decoded from the previous one has been read, so a
   * rejected piece never costs output.
   */
  private async feed(): Promise<FeedOutcome> {
    const writer = this.stream.writable.getWriter();
    let piece: Piece = this.first;
    let lastBytes: Uint8Array = new Uint8Array(0);
    for (;;) {
      try {
        // DecompressionStream takes BufferSource; the chunks are never views of a SharedArrayBuffer.
        await writer.write(piece.bytes as Uint8Array<ArrayBuffer>);
      } catch (error) {
        return { kind: 'refused', piece, error: decoderError(error), bytesBefore: lastBytes };
      }
      lastBytes = tail(lastBytes, piece.bytes, 8);
      let next: IteratorResult<Piece>;
      try {
        next = await this.pieces.next();
      } catch (error) {
        // Reading the file failed: fail the decoder too, so the reader stops waiting.
        await writer.abort(error).catch(() => undefined);
        return { kind: 'failed', error };
      }
      if (next.done) break;
      piece = next.value;
    }
    try {
      // An empty write is only taken once everything decoded so far has been
      // read; only then close, since a truncated member fails on close and a
      // failing stream discards the output still queued.
      await writer.write(new Uint8Array(0));
      await writer.close();
      return { kind: 'finished' };
    } catch (error) {
      return { kind: 'failed', error: decoderError(error) };
    }
  }

  /**
   * The decoder failed. That is the end of this member, not an error, when it
   * refused a piece that starts with the gzip magic right after a complete
   * member: the 4 bytes before the piece are the member's ISIZE trailer and
   * match what was decoded (the decoder has already checked the CRC).
   * Anything else (truncation, corruption, trailing junk) is the file's error.
   */
  private memberBoundary(outcome: FeedOutcome, readError: unknown): Piece {
    if (outcome.kind === 'refused' && outcome.piece !== this.first && outcome.piece.mayStartMember && isizeMatches(outcome.bytesBefore, this.outputBytes)) {
      return outcome.piece;
    }
    throw outcome.kind === 'finished' ? readError : outcome.error;
  }
}

/** The last `keep` bytes of `previous` followed by `bytes`. */
function tail(previous: Uint8Array, bytes: Uint8Array, keep: number): Uint8Array {
  if (bytes.byteLength >= keep) return bytes.slice(bytes.byteLength - keep);
  const joined = new Uint8Array(Math.min(keep, previous.byteLength + bytes.byteLength));
  const fromPrevious = joined.byteLength - bytes.byteLength;
  joined.set(previous.subarray(previous.byteLength - fromPrevious), 0);
  joined.set(bytes, fromPrevious);
  return joined;
}

/** gzip's trailer ends with ISIZE: the member's uncompressed length mod 2^32, little-endian. */
function isizeMatches(bytesBefore: Uint8Array, outputBytes: number): boolean {
  if (bytesBefore.byteLength < 4) return false;
  const at = bytesBefore.byteLength - 4;
  const isize = (bytesBefore[at]! | (bytesBefore[at + 1]! << 8) | (bytesBefore[at + 2]! << 16) | (bytesBefore[at + 3]! << 24)) >>> 0;
  return isize === outputBytes % 2 ** 32;
}

/** The decoder's complaint in words the engine's error report recognises as a gzip problem. */
function decoderError(error: unknown): Error {
  const message = error instanceof Error || error instanceof DOMException ? error.message : String(error);
  // Chromium prefixes "Failed to execute 'write' on 'WritableStreamDefaultWriter': ".
  const reason = message.replace(/^Failed to execute '[^']*' on '[^']*': /, '');
  return new Error(`gzip decompression failed: ${reason}`, { cause: error });
}
