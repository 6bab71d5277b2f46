// Time for the hospital scenario: where the sensor is (its UTC offset, by
// seed), when the capture starts (local midnight of a weekday in early March
// 2026, a week with no daylight-saving change anywhere in the list), and how
// Suricata prints instants: local time with microseconds and an offset with
// no colon, "2026-03-02T07:14:33.123456+0100". Times inside the generator
// are integer microseconds since the epoch (exact below 2^53).
import type { Rand } from './random';

export const US_PER_SECOND = 1_000_000;
export const US_PER_MINUTE = 60 * US_PER_SECOND;
export const US_PER_HOUR = 60 * US_PER_MINUTE;
export const DAYS = 3;
export const TRAIN_HOURS = 48;

export interface Zone {
  /** An IANA name for the report only. */
  readonly name: string;
  /** Whole hours east of UTC (whole hours keep the train/replay split on an hour boundary). */
  readonly offsetHours: number;
}

// Standard (winter) offsets in the first week of March 2026: the US changes
// on 8 March, Europe on 29 March; Brisbane and Phoenix never do.
const ZONES: readonly Zone[] = [
  { name: 'Europe/London', offsetHours: 0 },
  { name: 'Europe/Berlin', offsetHours: 1 },
  { name: 'Europe/Helsinki', offsetHours: 2 },
  { name: 'America/New_York', offsetHours: -5 },
  { name: 'America/Chicago', offsetHours: -6 },
  { name: 'America/Phoenix', offsetHours: -7 },
  { name: 'Australia/Brisbane', offsetHours: 10 },
];

export interface Calendar {
  readonly zone: Zone;
  /** Capture start, local midnight, in µs since the epoch. */
  readonly startUs: number;
  readonly endUs: number;
  readonly trainUntilUs: number;
}

export function chooseCalendar(rand: Rand): Calendar {
  const zone = rand.pick(ZONES);
  // 2 March 2026 is a Monday: start on Monday, Tuesday or Wednesday so that all three days are working days.
  const day = rand.int(2, 4);
  const startUs = (Date.UTC(2026, 2, day) - zone.offsetHours * 3_600_000) * 1000;
  return { zone, startUs, endUs: startUs + DAYS * 24 * US_PER_HOUR, trainUntilUs: startUs + TRAIN_HOURS * US_PER_HOUR };
}

/** Local wall-clock fields of an instant. */
function localParts(us: number, zone: Zone): { date: Date; micros: number } {
  const shifted = Math.floor(us / 1000) + zone.offsetHours * 3_600_000;
  return { date: new Date(shifted), micros: ((us % 1000) + 1000) % 1000 };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function offsetText(zone: Zone): string {
  const sign = zone.offsetHours < 0 ? '-' : '+';
  return `${sign}${pad(Math.abs(zone.offsetHours))}00`;
}

/** Suricata's timestamp format: local time, microseconds, "+0100". */
export function suricataTime(us: number, zone: Zone): string {
  const { date, micros } = localParts(us, zone);
  const fraction = pad(date.getUTCMilliseconds(), 3) + pad(micros, 3);
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${fraction}${offsetText(zone)}`
  );
}

/** The local date "YYYY-MM-DD" of an instant (the daily log rotation happens at local midnight). */
export function localDate(us: number, zone: Zone): string {
  const { date } = localParts(us, zone);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** The local hour of day (0–23) of an instant. */
export function localHour(us: number, zone: Zone): number {
  return localParts(us, zone).date.getUTCHours();
}
