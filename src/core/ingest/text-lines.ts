/**
 * Splits decoded text chunks into lines without ever holding more than
 * `maxLineLength` characters of one line: a longer line is reported once as
 * overlong and skipped to its end, so a single 200 MB line costs no memory.
 */
export interface LineSink {
  line(text: string, lineNo: number): void;
  overlong(lineNo: number, length: number): void;
}

export class LineSplitter {
  private carry = '';
  private skipping = false;
  private skippedLength = 0;
  private lineNo = 0;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLineLength: number,
  ) {}

  get linesSeen(): number {
    return this.lineNo;
  }

  push(chunk: string): void {
    let start = 0;
    const length = chunk.length;
    while (start < length) {
      const newline = chunk.indexOf('\n', start);
      if (newline < 0) {
        this.hold(chunk, start, length);
        return;
      }
      this.finishLine(chunk, start, newline);
      start = newline + 1;
    }
  }

  end(): void {
    if (this.skipping || this.carry.length > 0) this.finishLine('', 0, 0);
  }

  private hold(chunk: string, start: number, end: number): void {
    if (this.skipping) {
      this.skippedLength += end - start;
      return;
    }
    if (this.carry.length + (end - start) > this.maxLineLength) {
      this.skipping = true;
      this.skippedLength = this.carry.length + (end - start);
      this.carry = '';
      return;
    }
    this.carry += chunk.slice(start, end);
  }

  private finishLine(chunk: string, start: number, end: number): void {
    this.lineNo++;
    if (this.skipping) {
      const total = this.skippedLength + (end - start);
      this.skipping = false;
      this.skippedLength = 0;
      this.sink.overlong(this.lineNo, total);
      return;
    }
    let text = this.carry.length > 0 ? this.carry + chunk.slice(start, end) : chunk.slice(start, end);
    this.carry = '';
    if (text.length > this.maxLineLength) {
      this.sink.overlong(this.lineNo, text.length);
      return;
    }
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    this.sink.line(text, this.lineNo);
  }
}
