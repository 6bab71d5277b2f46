import { applyCumulativeFlagsHint, applyPacketFlagsHint } from '../../flow/direction-hints';
import { Action, type ActionCode, type FlowRecord } from '../../flow/record';
import { RowError } from '../row-error';
import { isoTime, plausibleTime } from '../values';

/**
 * Helpers shared by the collector exports whose text is a header line plus
 * delimited rows (nfdump, pmacct, Argus). None of them quote fields, so a
 * plain split is exact and the fastest thing V8 offers.
 */

const SEPARATORS = ['\t', ',', ';', '|'] as const;

/** The separator a header line uses ('\t' before ',' because Argus tab files never contain commas). */
export function separatorOf(header: string): string | null {
  for (const separator of SEPARATORS) if (header.includes(separator)) return separator;
  return null;
}

/**
 * Column positions by name, matched exactly: names that differ only by case
 * belong to different tools (nfdump's srcAddr, Argus' SrcAddr).
 */
export class ColumnIndex {
  private readonly positions = new Map<string, number>();

  constructor(names: readonly string[]) {
    names.forEach((name, index) => {
      const key = name.trim();
      if (!this.positions.has(key)) this.positions.set(key, index);
    });
  }

  /** Position of the first of `aliases` present, or -1. */
  find(...aliases: readonly string[]): number {
    for (const alias of aliases) {
      const position = this.positions.get(alias);
      if (position !== undefined) return position;
    }
    return -1;
  }
}

/** The value at a column, undefined when the layout lacks it or it is empty or '-' (Parquet nulls). */
export function cell(values: readonly string[], index: number): string | undefined {
  if (index < 0) return undefined;
  const value = values[index];
  if (value === undefined) return undefined;
  const length = value.length;
  if (length === 0 || (length === 1 && value === '-')) return undefined;
  return value;
}

export function fieldCountError(count: number, expected: number): RowError {
  return new RowError('', `row has ${count} fields but the header names ${expected}`);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * "YYYY-MM-DD HH:MM:SS[.fraction]" or Argus' "YYYY/MM/DD …", read as UTC:
 * these collectors write local time without a zone, and the only safe reading
 * of a naive time is the one that does not depend on this machine. Parsed by
 * position because it runs once or twice per row on multi-million-row files;
 * anything else (ISO with 'T' and a zone, as Parquet writers produce) goes to
 * the general ISO parser.
 */
export function naiveDateTime(text: string, field: string): number {
  const length = text.length;
  const dateSep = text.charCodeAt(4);
  if (
    length < 19 ||
    (dateSep !== 45 /* - */ && dateSep !== 47) /* / */ ||
    text.charCodeAt(7) !== dateSep ||
    text.charCodeAt(10) !== 32 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    (length > 19 && (length === 20 || text.charCodeAt(19) !== 46)) /* . */
  ) {
    if (dateSep === 47) throw new RowError(field, 'not a timestamp', text);
    return isoTime(text, field);
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if ((year | month | day | hour | minute | second) < 0) throw new RowError(field, 'not a timestamp', text);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) {
    throw new RowError(field, 'impossible timestamp', text);
  }
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (length > 20) {
    let fraction = 0;
    let scale = 1;
    for (let i = 20; i < length; i++) {
      const digit = text.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) throw new RowError(field, 'not a timestamp', text);
      fraction = fraction * 10 + digit;
      scale *= 10;
    }
    ms += (fraction * 1000) / scale;
  }
  return plausibleTime(ms, field, text);
}

/** A non-negative duration in seconds ("0.220", "  63.8") → ms. */
export function durationMs(text: string, field: string): number {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) throw new RowError(field, 'not a duration in seconds', text);
  return seconds * 1000;
}

/**
 * TCP flags OR-ed over one unidirectional record. A single packet's flags
 * are that packet's, so SYN-ACK then names the server; over more packets only
 * a bare SYN is evidence (the client's later packets carry ACK too).
 */
export function applyRecordFlagsHint(record: FlowRecord, flags: number, packets: number): void {
  if (packets === 1) applyPacketFlagsHint(record, flags);
  else applyCumulativeFlagsHint(record, flags);
}

/** Router or exporter address as an observer; the unspecified address means "none recorded". */
export function isUnspecifiedAddress(canonical: string): boolean {
  return canonical === '0.0.0.0' || canonical === '::';
}

/**
 * NetFlow v9/IPFIX forwardingStatus (RFC 7270): the top two bits say
 * forwarded (01), dropped (10, e.g. 129 "ACL deny") or consumed (11).
 */
export function actionOfForwardingStatus(status: number): ActionCode {
  const kind = status >> 6;
  if (kind === 1) return Action.allow;
  if (kind === 2) return Action.deny;
  return Action.unknown;
}
