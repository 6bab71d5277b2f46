// The plant's clock. The process runs 24/7 in three shifts; office-like
// work (engineering, remote administration, business users reading the
// historian mirror) happens only in the day shift on working days. The
// plant keeps local time in its own zone (by seed), while the NetFlow
// collector runs in UTC, as the sample exports were made (TZ=UTC): every
// timestamp in the files is UTC, only the rhythm of the traffic is local.
// The capture is three days from midnight UTC, learn on the first two.
import type { Dice } from './random';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const DAYS = 3;
export const TRAIN_HOURS = 48;

/** Zones with no daylight-saving change in early March 2026 (offsets in minutes east of UTC). */
const ZONES: readonly { readonly name: string; readonly offsetMin: number }[] = [
  { name: 'America/Chicago', offsetMin: -360 },
  { name: 'America/New_York', offsetMin: -300 },
  { name: 'America/Sao_Paulo', offsetMin: -180 },
  { name: 'Europe/Lisbon', offsetMin: 0 },
  { name: 'Europe/Berlin', offsetMin: 60 },
  { name: 'Asia/Kolkata', offsetMin: 330 },
  { name: 'Asia/Shanghai', offsetMin: 480 },
];

/** Shift changes, local hour of day. */
const SHIFT_CHANGES = [6, 14, 22] as const;
/** The day shift of the office staff, local hours [from, to). */
const OFFICE: readonly [number, number] = [7, 16.5];

export interface Calendar {
  readonly startMs: number;
  readonly endMs: number;
  readonly trainUntilMs: number;
  readonly zone: string;
  readonly offsetMin: number;
  /** Office hours of each local working day that overlap the capture: [from, to) in ms. */
  readonly officeWindows: readonly (readonly [number, number])[];
  /** Every shift change (ms) from a day before the capture to its end. */
  readonly shiftChanges: readonly number[];
}

export function buildCalendar(seed: number, dice: Dice): Calendar {
  // 2 March 2026 was a Monday: seeds start the capture on Monday to Wednesday, so the replayed day is a working day
  // too and the day shift's rare work (engineering, administration) can show up on both sides of the split.
  const startMs = Date.UTC(2026, 2, 2) + (seed % 3) * DAY;
  const endMs = startMs + DAYS * DAY;
  const { name, offsetMin } = dice.one(ZONES);
  const local = (ms: number): Date => new Date(ms + offsetMin * MINUTE);
  const workday = (ms: number): boolean => {
    const weekday = local(ms).getUTCDay();
    return weekday >= 1 && weekday <= 5;
  };
  // Local midnights from the day before the capture to the day after.
  const firstLocalMidnight = Math.floor((startMs + offsetMin * MINUTE) / DAY) * DAY - offsetMin * MINUTE - DAY;
  const officeWindows: (readonly [number, number])[] = [];
  const shiftChanges: number[] = [];
  for (let midnight = firstLocalMidnight; midnight < endMs + DAY; midnight += DAY) {
    for (const hour of SHIFT_CHANGES) shiftChanges.push(midnight + hour * HOUR);
    const from = midnight + OFFICE[0] * HOUR;
    const to = midnight + OFFICE[1] * HOUR;
    if (workday(from) && to > startMs && from < endMs) officeWindows.push([Math.max(from, startMs), Math.min(to, endMs)]);
  }
  return {
    startMs,
    endMs,
    trainUntilMs: startMs + TRAIN_HOURS * HOUR,
    zone: name,
    offsetMin,
    officeWindows,
    shiftChanges: shiftChanges.filter((ms) => ms > startMs - DAY && ms < endMs),
  };
}
