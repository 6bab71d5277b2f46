/**
 * Why one row was rejected. `field` and `problem` form the summary key that is
 * counted per file (so the key never contains the offending value); `value`
 * goes into the detailed reason written to rejects.csv.
 */
export class RowError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
    readonly value?: string,
  ) {
    super(describeRowError(field, problem, value));
    this.name = 'RowError';
  }

  get summary(): string {
    return this.field ? `${this.field}: ${this.problem}` : this.problem;
  }
}

const VALUE_PREVIEW = 80;

export function previewValue(value: string): string {
  const shown = value.length > VALUE_PREVIEW ? `${value.slice(0, VALUE_PREVIEW)}…` : value;
  // Control characters would break CSV consumers and terminals.
  // eslint-disable-next-line no-control-regex
  return shown.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function describeRowError(field: string, problem: string, value?: string): string {
  const head = field ? `${field}: ${problem}` : problem;
  return value === undefined ? head : `${head} (got "${previewValue(value)}")`;
}

/**
 * A problem with the file's structure that makes the rest of it unreadable
 * (a header that lacks the mapped columns, a layout no row can fit). The
 * file stops with this message; rows read before it stay counted.
 */
export class FormatError extends Error {
  override readonly name = 'FormatError';

  constructor(
    message: string,
    /** Where in the file, when known: its line and the problem without the line (a split file's pieces renumber it). */
    readonly at?: { readonly line: number; readonly problem: string },
  ) {
    super(message);
  }
}
