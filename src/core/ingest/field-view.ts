import { decimalInteger } from './values';

/**
 * Read access to the fields of one row, whether they were split from a text
 * line or arrive as values (Parquet). Text lines are not split into strings:
 * the view keeps field offsets, parses numbers straight from the characters
 * and only cuts out the fields a parser asks for as text.
 */
export interface FieldView {
  readonly count: number;
  /** The field's text; undefined past the last field. */
  text(index: number): string | undefined;
  /** The field as a plain unsigned decimal integer, or -1 when it is anything else. */
  uint(index: number): number;
  /** Whether the field is exactly `literal`. */
  is(index: number, literal: string): boolean;
}

/** Field offsets within a line, reused from line to line; subclasses read the fields. */
export abstract class OffsetFields {
  protected starts = new Int32Array(64);
  protected ends = new Int32Array(64);
  count = 0;

  /** True when some field is empty (doubled separators): the caller may prefer a looser split. */
  hasEmptyField(): boolean {
    for (let i = 0; i < this.count; i++) if (this.starts[i] === this.ends[i]) return true;
    return false;
  }

  protected addField(count: number, start: number, end: number): void {
    if (count === this.starts.length) {
      const starts = new Int32Array(count * 2);
      const ends = new Int32Array(count * 2);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    this.starts[count] = start;
    this.ends[count] = end;
  }
}

/** A view over a delimited line of text. */
export class DelimitedLine extends OffsetFields implements FieldView {
  private line = '';

  /** Splits on a single separator character; returns the number of fields. */
  set(line: string, separator: string): number {
    this.line = line;
    let count = 0;
    let start = 0;
    for (;;) {
      const end = line.indexOf(separator, start);
      this.addField(count, start, end < 0 ? line.length : end);
      count++;
      if (end < 0) break;
      start = end + 1;
    }
    this.count = count;
    return count;
  }

  text(index: number): string | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.line.slice(this.starts[index], this.ends[index]);
  }

  uint(index: number): number {
    if (index < 0 || index >= this.count) return -1;
    const start = this.starts[index]!;
    const end = this.ends[index]!;
    if (end === start || end - start > 15) return -1;
    let value = 0;
    for (let i = start; i < end; i++) {
      const digit = this.line.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return -1;
      value = value * 10 + digit;
    }
    return value;
  }

  is(index: number, literal: string): boolean {
    if (index < 0 || index >= this.count) return false;
    const start = this.starts[index]!;
    return this.ends[index]! - start === literal.length && this.line.startsWith(literal, start);
  }
}

/** A view over values already split (Parquet rows, loosely separated lines). */
export class ArrayFields implements FieldView {
  constructor(private values: readonly string[] = []) {}

  reset(values: readonly string[]): this {
    this.values = values;
    return this;
  }

  get count(): number {
    return this.values.length;
  }

  text(index: number): string | undefined {
    return index < 0 ? undefined : this.values[index];
  }

  uint(index: number): number {
    const text = this.text(index);
    return text === undefined ? -1 : (decimalInteger(text) ?? -1);
  }

  is(index: number, literal: string): boolean {
    return this.text(index) === literal;
  }
}
