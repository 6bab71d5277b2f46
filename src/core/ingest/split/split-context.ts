import type { FlowRecord } from '../../flow/record';
import type { LineParser } from '../format';
import { FormatError } from '../row-error';
import type { CutterSettings } from './piece-cutter';

/**
 * The lines every piece's parser reads before its own (format.ts, LineSplit):
 * the file's prologue, then each later line containing the format's marker
 * that the parser reads as no row (a repeated header, Zeek's #-lines).
 *
 * Such lines act as assignments (a header sets the columns, #separator
 * starts a new log), so reading one again at its later place makes an
 * earlier identical copy redundant: keeping only the last copy, and
 * dropping everything before a line that resets the parser, keeps the
 * context as short as the state it stands for.
 */
export class SplitContext {
  private lines: readonly string[] = [];
  /** Changes whenever the lines do: equal versions of one file mean the same parser state. */
  version = 0;
  private readonly encoder = new TextEncoder();
  private readonly marker: Uint8Array | null;

  constructor(
    private readonly parser: LineParser,
    private readonly record: FlowRecord,
    marker: string | undefined,
    /** A context line starting with this resets the parser ('' for every one); absent: none does. */
    private readonly reset: string | undefined,
    /** Lines over the reader's limit are rejected unread, here too. */
    private readonly limits: Pick<CutterSettings, 'maxLineLength' | 'measure'>,
  ) {
    this.marker = marker === undefined || marker === '' ? null : this.encoder.encode(marker);
  }

  /** The lines as they stand (never changed in place: a piece keeps the array it was given). */
  get current(): readonly string[] {
    return this.lines;
  }

  private prologueKept: string[] = [];
  /** The text reader drops a byte-order mark once more at the file's start (line-reader.ts). */
  private prologueDecoder = new TextDecoder('utf-8');

  /**
   * Reads the prologue from the file's first bytes (whole lines, in order,
   * over as many calls as needed): every line up to the first the parser
   * accepts, keeping those it does not. Returns where the accepted line
   * ends, or -1 when these bytes hold none (read on). A FormatError (a
   * file-level problem) is thrown on.
   */
  readPrologue(bytes: Uint8Array): number {
    let start = 0;
    while (start < bytes.length) {
      let newline = bytes.indexOf(10, start);
      const lineEnd = newline < 0 ? bytes.length : newline;
      if (newline < 0) newline = bytes.length;
      const text = lineText(this.prologueDecoder, bytes, start, lineEnd, this.limits);
      this.prologueDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
      if (text !== null && this.read(text, true) === 'accepted') {
        this.lines = this.prologueKept;
        this.version++;
        return newline + 1;
      }
      if (text !== null) this.prologueKept.push(text);
      start = newline + 1;
    }
    return -1;
  }

  /** Finds the marker's lines in whole lines [from, bytes.length) and adds those the parser reads as no row. */
  scan(bytes: Uint8Array, from = 0): void {
    const marker = this.marker;
    if (marker === null) return;
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    let at = from;
    for (;;) {
      const hit = bytes.indexOf(marker[0]!, at);
      if (hit < 0) return;
      if (!matches(bytes, hit, marker)) {
        at = hit + 1;
        continue;
      }
      const lineStart = Math.max(from, bytes.lastIndexOf(10, hit) + 1);
      let lineEnd = bytes.indexOf(10, hit);
      if (lineEnd < 0) lineEnd = bytes.length;
      const text = lineText(decoder, bytes, lineStart, lineEnd, this.limits);
      if (text !== null && this.read(text, false) === 'no row') this.add(text);
      at = lineEnd + 1;
    }
  }

  /** A FormatError in the prologue is the file's: thrown on, so that the file is read whole and fails as usual. */
  private read(text: string, prologue: boolean): 'accepted' | 'no row' | 'rejected' {
    this.record.reset();
    try {
      return this.parser.parseLine(text, 0, this.record) ? 'accepted' : 'no row';
    } catch (error) {
      if (prologue && error instanceof FormatError) throw error;
      return 'rejected';
    }
  }

  private add(text: string): void {
    this.version++;
    if (this.reset !== undefined && text.startsWith(this.reset)) {
      this.lines = [text];
      return;
    }
    this.lines = [...this.lines.filter((line) => line !== text), text];
  }
}

function matches(bytes: Uint8Array, at: number, marker: Uint8Array): boolean {
  if (at + marker.length > bytes.length) return false;
  for (let i = 1; i < marker.length; i++) if (bytes[at + i] !== marker[i]) return false;
  return true;
}

/** A line's text as the line reader gives it (decoded, without its carriage return), or null for one it rejects unread as too long. */
function lineText(
  decoder: InstanceType<typeof TextDecoder>,
  bytes: Uint8Array,
  start: number,
  end: number,
  limits: Pick<CutterSettings, 'maxLineLength' | 'measure'>,
): string | null {
  if (limits.measure === 'bytes' && end - start > limits.maxLineLength) return null;
  const text = decoder.decode(bytes.subarray(start, end));
  if (limits.measure === 'characters' && text.length > limits.maxLineLength) return null;
  return text.length > 0 && text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
}
