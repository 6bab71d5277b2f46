import { concatBytes } from '../byte-stream';

/** One piece of a file's decompressed content, in file order. */
export type RawPiece =
  /** Whole lines (only the file's last piece may end without a newline). */
  | { readonly kind: 'lines'; readonly bytes: Uint8Array }
  /**
   * One line too long to hold (far past the line limit): skipped here, its
   * length counted the way the line reader counts it, so it is rejected
   * exactly as a whole read rejects it.
   */
  | { readonly kind: 'overlong'; readonly length: number }
  /**
   * No place to cut (CutterSettings.cutBetween) in the bytes a piece may
   * hold: the file is read whole instead. Ends the pieces.
   */
  | { readonly kind: 'uncuttable' }
  /** Row groups `first` to `end` (exclusive) of an uncompressed Parquet file, which the parser reads from the file itself (parquet-pieces.ts). */
  | { readonly kind: 'row-groups'; readonly first: number; readonly end: number };

export interface CutterSettings {
  /** A piece is cut at the first line end past this many bytes. */
  readonly pieceBytes: number;
  /** The reader's line limit (ReadLimits.maxLineLength). */
  readonly maxLineLength: number;
  /** How the line reader measures a line: bytes (byte parsers) or UTF-16 characters (text parsers). */
  readonly measure: 'bytes' | 'characters';
  /** Where a piece may end (format.ts, LineSplit.cutBetween); absent: at any line end. */
  readonly cutBetween?: (firstByte: number) => boolean;
}

/**
 * With a cut rule, bytes held while looking for a place to cut, in pieces:
 * a file with no such place within them (a JSON export) is read whole
 * rather than held in memory here.
 */
const MAX_HELD_PIECES = 8;

const NEWLINE = 10;

/**
 * Cuts a byte stream into pieces of whole lines. A line is never held past
 * what proves it over the limit (the limit in bytes; three times it for
 * characters, as a UTF-8 character takes at most 3 bytes per UTF-16 unit),
 * so a hostile 200 MB line costs no memory here either. The stream's first
 * bytes must not carry a byte-order mark (the caller drops it).
 */
export class PieceCutter {
  private parts: Uint8Array[] = [];
  private partsBytes = 0;
  /** Bytes at the end of `parts` after the last newline: the line still open. */
  private tail = 0;
  private skipping = false;
  private skippedLength = 0;
  private decoder: InstanceType<typeof TextDecoder> | null = null;
  private readonly holdLimit: number;

  constructor(private readonly settings: CutterSettings) {
    this.holdLimit = settings.measure === 'bytes' ? settings.maxLineLength : 3 * settings.maxLineLength;
  }

  /** The pieces this chunk completes. */
  push(chunk: Uint8Array): RawPiece[] {
    const out: RawPiece[] = [];
    let start = 0;
    if (this.skipping) {
      const newline = chunk.indexOf(NEWLINE);
      if (newline < 0) {
        this.skip(chunk);
        return out;
      }
      this.skip(chunk.subarray(0, newline));
      out.push(this.endSkip());
      start = newline + 1;
      if (start >= chunk.length) return out;
    }
    const rest = start === 0 ? chunk : chunk.subarray(start);
    const lastNewline = rest.lastIndexOf(NEWLINE);
    this.parts.push(rest);
    this.partsBytes += rest.length;
    this.tail = lastNewline < 0 ? this.tail + rest.length : rest.length - lastNewline - 1;
    if (this.tail > this.holdLimit && this.settings.cutBetween !== undefined) {
      // Cutting around a line read as no line at all could leave a footer or object in two pieces.
      out.push({ kind: 'uncuttable' });
    } else if (this.tail > this.holdLimit) {
      const lines = this.takeLines();
      if (lines !== null) out.push(lines);
      // What is left is the start of the over-long line.
      const open = concatBytes(this.parts);
      this.parts = [];
      this.partsBytes = 0;
      this.tail = 0;
      this.skipping = true;
      this.skippedLength = 0;
      this.decoder = this.settings.measure === 'characters' ? new TextDecoder('utf-8', { ignoreBOM: true }) : null;
      this.skip(open);
    } else if (this.partsBytes - this.tail >= this.settings.pieceBytes && this.partsBytes >= this.nextCutAttempt) {
      const piece = this.settings.cutBetween === undefined ? this.takeLines() : this.takeCuttableLines(this.settings.cutBetween);
      if (piece !== null) {
        out.push(piece);
        this.nextCutAttempt = 0;
      } else if (this.partsBytes >= MAX_HELD_PIECES * this.settings.pieceBytes) out.push({ kind: 'uncuttable' });
      // Looked again only once the bytes held have doubled: the search and its copy stay linear.
      else this.nextCutAttempt = 2 * this.partsBytes;
    }
    return out;
  }

  /** Bytes held before looking again for a place to cut. */
  private nextCutAttempt = 0;

  /**
   * The lines before the last place where a piece may end: a line end
   * between two lines whose first bytes pass `cutBetween` (the next line's
   * first byte already held). Null when there is none.
   */
  private takeCuttableLines(cutBetween: (firstByte: number) => boolean): RawPiece | null {
    const all = concatBytes(this.parts);
    this.parts = [all];
    for (let newline = all.lastIndexOf(NEWLINE, all.length - 2); newline > 0; newline = all.lastIndexOf(NEWLINE, newline - 1)) {
      const lineStart = all.lastIndexOf(NEWLINE, newline - 1) + 1;
      if (lineStart < newline && cutBetween(all[lineStart]!) && cutBetween(all[newline + 1]!)) {
        const length = newline + 1;
        // A copy: the piece's buffer may be handed to another thread.
        this.parts = [all.slice(length)];
        this.partsBytes = all.length - length;
        return { kind: 'lines', bytes: all.subarray(0, length) };
      }
    }
    return null;
  }

  /** The last piece: complete lines and the final line without newline. */
  end(): RawPiece[] {
    if (this.skipping) return [this.endSkip()];
    if (this.partsBytes === 0) return [];
    const bytes = concatBytes(this.parts);
    this.parts = [];
    this.partsBytes = 0;
    this.tail = 0;
    return [{ kind: 'lines', bytes }];
  }

  /** After a read error: the complete lines held (the open line is lost, as in a whole read). */
  completeLines(): RawPiece[] {
    if (this.skipping) return [];
    const lines = this.takeLines();
    return lines === null ? [] : [lines];
  }

  private takeLines(): RawPiece | null {
    const length = this.partsBytes - this.tail;
    if (length === 0) return null;
    const all = concatBytes(this.parts);
    // A copy: the piece's buffer may be handed to another thread.
    this.parts = this.tail > 0 ? [all.slice(length)] : [];
    this.partsBytes = this.tail;
    return { kind: 'lines', bytes: all.subarray(0, length) };
  }

  private skip(bytes: Uint8Array): void {
    this.skippedLength += this.decoder === null ? bytes.length : this.decoder.decode(bytes, { stream: true }).length;
  }

  private endSkip(): RawPiece {
    if (this.decoder !== null) this.skippedLength += this.decoder.decode().length;
    const piece: RawPiece = { kind: 'overlong', length: this.skippedLength };
    this.skipping = false;
    this.skippedLength = 0;
    this.decoder = null;
    return piece;
  }
}
