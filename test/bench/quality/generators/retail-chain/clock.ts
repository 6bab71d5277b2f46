// Time for the retail-chain scenario. The capture runs three UTC days from
// Monday 30 March 2026 00:00 UTC: the day after Europe's spring change,
// three weeks after the United States' and a week before Australia's, so no
// clock in any region moves during it. It straddles the month end (31 March)
// on purpose: the month-end reporting runs on the last day (training) and is
// re-run on the first (replay). Times inside the generator are integer
// milliseconds since the epoch, the resolution NetFlow v9 exporters report.
//
// The collector (nfacctd) runs in UTC, as most Linux collectors do, and
// prints timestamps the way pmacct does without timestamps_rfc3339:
// "2026-03-30 14:07:33.123000" (microseconds, here always whole milliseconds
// because NetFlow v9 has no finer grain). Shops, however, live by their own
// wall clocks: opening hours and night jobs follow each shop's time zone.

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const CAPTURE_START = Date.UTC(2026, 2, 30);
export const CAPTURE_DAYS = 3;
export const CAPTURE_END = CAPTURE_START + CAPTURE_DAYS * DAY;
/** Learn on the first two days, replay the third. */
export const TRAIN_UNTIL = CAPTURE_START + 2 * DAY;

/** A time zone as its UTC offset during the capture (minutes east of UTC; Adelaide's half hour included). */
export interface Zone {
  readonly name: string;
  readonly offsetMinutes: number;
}

/** The local wall-clock hour of an instant, with its fraction (14.5 is half past two in the afternoon). */
export function localHour(ms: number, zone: Zone): number {
  const local = ms + zone.offsetMinutes * MINUTE;
  return (((local % DAY) + DAY) % DAY) / HOUR;
}

/** The local calendar day of an instant, as days since the epoch (a key that changes at local midnight). */
export function localDay(ms: number, zone: Zone): number {
  return Math.floor((ms + zone.offsetMinutes * MINUTE) / DAY);
}

/** Local weekday, 0 Sunday … 6 Saturday. */
export function localWeekday(ms: number, zone: Zone): number {
  return new Date(ms + zone.offsetMinutes * MINUTE).getUTCDay();
}

/** The instant of local wall-clock `hour` (fractional) on local day `day` (from localDay). */
export function atLocal(day: number, hour: number, zone: Zone): number {
  return Math.round(day * DAY + hour * HOUR - zone.offsetMinutes * MINUTE);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const TWO = Array.from({ length: 60 }, (_, i) => pad(i));
const THREE = Array.from({ length: 1000 }, (_, i) => pad(i, 3));
const datePrefixes = new Map<number, string>();

/** "YYYY-MM-DD " of a UTC day (days since the epoch), cached: half a million records share three of them. */
function datePrefix(day: number): string {
  let prefix = datePrefixes.get(day);
  if (prefix === undefined) {
    const d = new Date(day * DAY);
    prefix = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} `;
    datePrefixes.set(day, prefix);
  }
  return prefix;
}

/** pmacct's compose_timestamp() with microseconds, collector in UTC. */
export function pmacctTime(ms: number): string {
  const day = Math.floor(ms / DAY);
  let rest = ms - day * DAY;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / MINUTE);
  rest -= minutes * MINUTE;
  const seconds = Math.floor(rest / SECOND);
  return `${datePrefix(day)}${TWO[hours]}:${TWO[minutes]}:${TWO[seconds]}.${THREE[rest - seconds * SECOND]}000`;
}

/** The %Y%m%d the print plugin expands in print_output_file at the moment of a purge. */
export function fileDate(ms: number): string {
  return datePrefix(Math.floor(ms / DAY)).slice(0, 10).replaceAll('-', '');
}
