import { canonicalIp } from '../net/ip';
import { protocolNumber } from '../flow/protocols';
import { RowError } from './row-error';

/**
 * Field parsers shared by every format. Each returns a clean value or throws a
 * RowError naming the field, so a parser body reads as a list of fields.
 */

/** Timestamps outside this window are impossible for flow data (ms since epoch). */
export const EARLIEST_MS = 0;
export const LATEST_MS = Date.UTC(2100, 0, 1);

export function ip(text: string | undefined, field: string): string {
  if (text === undefined || text === '' || text === '-') throw new RowError(field, 'missing address');
  const canonical = canonicalIp(text);
  if (canonical === null) throw new RowError(field, 'not an IPv4 or IPv6 address', text);
  return canonical;
}

/** Port 0–65535. */
export function port(text: string | undefined, field: string): number {
  if (text === undefined || text === '' || text === '-') throw new RowError(field, 'missing port');
  const value = decimalInteger(text);
  if (value === null || value > 65535) throw new RowError(field, 'not a port (0-65535)', text);
  return value;
}

/** A port that may be absent ('-' or empty) → -1. */
export function optionalPort(text: string | undefined, field: string): number {
  if (text === undefined || text === '' || text === '-') return -1;
  return port(text, field);
}

/** Non-negative counter (packets, bytes). Absent values ('-', '') count as 0. */
export function counter(text: string | undefined, field: string): number {
  if (text === undefined || text === '' || text === '-') return 0;
  const value = decimalInteger(text);
  if (value !== null) return value;
  // Exporters write "12" or "12.0"; Number() alone would also take "0x10", "1e3" or " ".
  if (/^-\d+(\.\d+)?$/.test(text)) throw new RowError(field, 'negative counter', text);
  if (/^\d+(\.0+)?$/.test(text)) return Number(text);
  throw new RowError(field, 'not a counter', text);
}

export function numericCounter(value: unknown, field: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RowError(field, 'not a counter', String(value));
    if (value < 0) throw new RowError(field, 'negative counter', String(value));
    return value;
  }
  if (typeof value === 'bigint') {
    if (value < 0n) throw new RowError(field, 'negative counter', String(value));
    return Number(value);
  }
  if (typeof value === 'string') return counter(value, field);
  throw new RowError(field, 'not a counter', String(value));
}

export function protocol(text: string | undefined, field: string): number {
  if (text === undefined || text === '' || text === '-') throw new RowError(field, 'missing protocol');
  const number = decimalInteger(text);
  if (number !== null && number <= 255) return number;
  const value = protocolNumber(text);
  if (value < 0) throw new RowError(field, 'unknown protocol', text);
  return value;
}

/** Epoch seconds with optional fraction ("1566848875", "1329843175.736107") → ms. */
export function epochSeconds(text: string | undefined, field: string): number {
  if (text === undefined || text === '' || text === '-') throw new RowError(field, 'missing timestamp');
  const whole = decimalInteger(text);
  if (whole !== null) return plausibleTime(whole * 1000, field, text);
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || !/^-?\d+(\.\d+)?$/.test(text)) throw new RowError(field, 'not a timestamp', text);
  return plausibleTime(seconds * 1000, field, text);
}

export function epochMillis(text: string | undefined, field: string): number {
  if (text === undefined || text === '' || text === '-') throw new RowError(field, 'missing timestamp');
  const whole = decimalInteger(text);
  if (whole !== null) return plausibleTime(whole, field, text);
  const ms = Number(text);
  if (!Number.isFinite(ms) || !/^-?\d+(\.\d+)?$/.test(text)) throw new RowError(field, 'not a timestamp', text);
  return plausibleTime(ms, field, text);
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * ISO 8601 / RFC 3339 with any number of fraction digits and offsets with or
 * without a colon ("-0400", as Suricata writes them). No offset means UTC.
 */
export function isoTime(text: string | undefined, field: string): number {
  if (text === undefined || text === '' || text === '-') throw new RowError(field, 'missing timestamp');
  const match = ISO.exec(text.trim());
  if (match === null) throw new RowError(field, 'not a timestamp', text);
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    throw new RowError(field, 'impossible timestamp', text);
  }
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(ms).getUTCDate() !== day) throw new RowError(field, 'impossible timestamp', text);
  if (fraction !== undefined) ms += Number(`0.${fraction}`) * 1000;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
    ms -= sign * offsetMinutes * 60_000;
  }
  return plausibleTime(ms, field, text);
}

/** Timestamp that may be epoch seconds, epoch milliseconds or ISO text. */
export function flexibleTime(value: unknown, field: string): number {
  if (typeof value === 'number') return plausibleTime(value > 1e11 ? value : value * 1000, field, value);
  if (typeof value === 'bigint') return flexibleTime(Number(value), field);
  if (value instanceof Date) return plausibleTime(value.getTime(), field, String(value));
  if (typeof value !== 'string') throw new RowError(field, 'missing timestamp');
  if (/^\d+(\.\d+)?$/.test(value)) {
    const number = Number(value);
    return plausibleTime(number > 1e11 ? number : number * 1000, field, value);
  }
  return isoTime(value, field);
}

/** `text` is what the row said; a number is turned into text only for the error (no string per record on the hot path). */
export function plausibleTime(ms: number, field: string, text: string | number): number {
  if (!Number.isFinite(ms) || ms < EARLIEST_MS || ms >= LATEST_MS) {
    throw new RowError(field, 'impossible timestamp', String(text));
  }
  return ms;
}

/** Rejects records whose end precedes their start (clock skew up to a second is tolerated). */
export function checkTimeOrder(startMs: number, endMs: number, field: string): void {
  if (endMs + 1000 < startMs) throw new RowError(field, 'ends before it starts', new Date(endMs).toISOString());
}

/** Plain decimal integer without sign, or null. Faster than Number() + checks on the hot path. */
export function decimalInteger(text: string): number | null {
  const length = text.length;
  if (length === 0 || length > 15) return null;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  return value;
}

/** Hexadecimal digits, with or without a 0x prefix ("1b", "0x0008"), or null. */
export function hexInteger(text: string): number | null {
  const digits = text.length > 2 && text.charCodeAt(0) === 48 && (text.charCodeAt(1) | 32) === 120 ? text.slice(2) : text;
  if (digits.length === 0 || digits.length > 12 || !/^[0-9a-f]+$/i.test(digits)) return null;
  return Number.parseInt(digits, 16);
}
