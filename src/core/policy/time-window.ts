import { HOURS_PER_WEEK } from './policy-input';
import type { TimeWindow } from './policy-model';

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Whether an hour of the week (0 = Sunday 00:00 UTC) falls inside the window. */
export function inWindow(window: TimeWindow, hourOfWeek: number): boolean {
  const day = Math.floor(hourOfWeek / 24);
  const hour = hourOfWeek % 24;
  return window.days.includes(day) && hour >= window.fromHour && hour < window.toHour;
}

/** The hours of the week a window covers, as a lookup table. */
export function windowMask(window: TimeWindow): Uint8Array {
  const mask = new Uint8Array(HOURS_PER_WEEK);
  for (let how = 0; how < HOURS_PER_WEEK; how++) mask[how] = inWindow(window, how) ? 1 : 0;
  return mask;
}

/** "Mon–Fri 08:00–18:00 UTC". */
export function describeWindow(window: TimeWindow): string {
  const days = [...window.days].sort((a, b) => a - b);
  const contiguous = days.every((day, index) => index === 0 || day === days[index - 1]! + 1);
  const dayText = days.length === 0 ? 'no day' : contiguous && days.length > 2 ? `${DAY_NAMES[days[0]!]}–${DAY_NAMES[days[days.length - 1]!]}` : days.map((day) => DAY_NAMES[day]).join(',');
  const hh = (hour: number): string => `${String(hour).padStart(2, '0')}:00`;
  return `${dayText} ${hh(window.fromHour)}–${hh(window.toHour)} ${window.timezone}`;
}
