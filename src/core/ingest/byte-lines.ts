import { OffsetFields, type FieldView } from './field-view';
import type { ByteStringCache } from './byte-strings';

/**
 * Lines of a byte stream, found without decoding it: for ASCII-delimited
 * formats the parser reads fields straight from the bytes. A line split
 * across chunks is joined in a carry buffer; a line longer than the limit is
 * reported once and skipped to its end without being held.
 */
export interface ByteLineSink {
  line(bytes: Uint8Array, start: number, end: number, lineNo: number): void;
  overlong(lineNo: number, length: number): void;
  /**
   * Optional fast path: handles the line starting at `start` whole, finding
   * its end itself (one pass instead of one for the newline and one for the
   * fields), and returns the index of its newline, which lies before
   * `bound`; or -1 to have the line found and handed to line() as usual.
   */
  plain?(bytes: Uint8Array, start: number, bound: number): number;
}

const NEWLINE = 10;
const CR = 13;

export class ByteLineSplitter {
  private carry = new Uint8Array(4096);
  private carried = 0;
  private skipping = false;
  private skipped = 0;
  private lineNo = 0;

  constructor(
    private readonly sink: ByteLineSink,
    private readonly maxLineLength: number,
  ) {}

  get linesSeen(): number {
    return this.lineNo;
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    const plain = this.sink.plain !== undefined;
    while (start < chunk.length) {
      if (plain && !this.skipping && this.carried === 0) {
        // The bound keeps an over-long line out of the fast path: it is reported, not read.
        const newline = this.sink.plain!(chunk, start, Math.min(chunk.length, start + this.maxLineLength + 1));
        if (newline >= 0) {
          this.lineNo++;
          start = newline + 1;
          continue;
        }
      }
      const newline = indexOfByte(chunk, NEWLINE, start, chunk.length);
      if (newline < 0) {
        this.hold(chunk, start, chunk.length);
        return;
      }
      if (this.skipping || this.carried > 0) {
        this.hold(chunk, start, newline);
        this.finishCarried();
      } else {
        this.emit(chunk, start, newline);
      }
      start = newline + 1;
    }
  }

  end(): void {
    if (this.skipping || this.carried > 0) this.finishCarried();
  }

  private emit(bytes: Uint8Array, start: number, end: number): void {
    this.lineNo++;
    if (end - start > this.maxLineLength) {
      this.sink.overlong(this.lineNo, end - start);
      return;
    }
    this.sink.line(bytes, start, end > start && bytes[end - 1] === CR ? end - 1 : end, this.lineNo);
  }

  private hold(chunk: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (this.skipping) {
      this.skipped += length;
      return;
    }
    if (this.carried + length > this.maxLineLength) {
      this.skipping = true;
      this.skipped = this.carried + length;
      this.carried = 0;
      return;
    }
    if (this.carried + length > this.carry.length) {
      let size = this.carry.length;
      while (size < this.carried + length) size *= 2;
      const bigger = new Uint8Array(size);
      bigger.set(this.carry.subarray(0, this.carried));
      this.carry = bigger;
    }
    this.carry.set(chunk.subarray(start, end), this.carried);
    this.carried += length;
  }

  private finishCarried(): void {
    if (this.skipping) {
      this.lineNo++;
      this.skipping = false;
      this.sink.overlong(this.lineNo, this.skipped);
      this.skipped = 0;
      return;
    }
    const length = this.carried;
    this.carried = 0;
    this.emit(this.carry, 0, length);
  }
}

/** A FieldView over one line of bytes split on a single ASCII separator. */
export class ByteFields extends OffsetFields implements FieldView {
  private bytes: Uint8Array = new Uint8Array(0);

  constructor(private readonly strings: ByteStringCache) {
    super();
  }

  set(bytes: Uint8Array, start: number, end: number, separator: number): number {
    this.bytes = bytes;
    let count = 0;
    let fieldStart = start;
    for (;;) {
      let separatorAt = indexOfByte(bytes, separator, fieldStart, end);
      if (separatorAt < 0) separatorAt = end;
      this.addField(count, fieldStart, separatorAt);
      count++;
      if (separatorAt >= end) break;
      fieldStart = separatorAt + 1;
    }
    this.count = count;
    return count;
  }

  text(index: number): string | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.strings.get(this.bytes, this.starts[index]!, this.ends[index]!);
  }

  uint(index: number): number {
    if (index < 0 || index >= this.count) return -1;
    return decimalBytes(this.bytes, this.starts[index]!, this.ends[index]!);
  }

  is(index: number, literal: string): boolean {
    if (index < 0 || index >= this.count) return false;
    const start = this.starts[index]!;
    if (this.ends[index]! - start !== literal.length) return false;
    for (let i = 0; i < literal.length; i++) if (this.bytes[start + i] !== literal.charCodeAt(i)) return false;
    return true;
  }
}

/**
 * The first `value` in bytes[from, to), or -1. A plain loop: short runs are
 * the rule here (a field, a line), and Buffer#indexOf pays a call into C++
 * per search while V8 compiles this to a tight scan.
 */
export function indexOfByte(bytes: Uint8Array, value: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (bytes[i] === value) return i;
  return -1;
}

/** Plain decimal digits in bytes[start, end), at most 15 (exact in a double), or -1. */
export function decimalBytes(bytes: Uint8Array, start: number, end: number): number {
  if (end === start || end - start > 15) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = bytes[i]! - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
