// When each desktop is switched on: most working days from 07:00–09:00 to
// 16:00–19:00, an odd weekend hour, days off at random. Every desktop works
// on the first replay day (Thursday) and on at least three training days, so
// everything its user does shows on both sides of the split.

import { DAYS, HOURS, TRAIN_DAYS, isWeekend } from './calendar';
import type { Estate } from './estate';
import type { Rng } from './random';

/** Per desktop, per hour of the capture: 0 off, 1 on, 2 the hour it was switched on (logon burst). */
export type DeskCalendar = ReadonlyMap<string, Uint8Array>;

const MIN_TRAINING_DAYS = 3;

export function buildDeskCalendar(estate: Estate, rng: Rng): DeskCalendar {
  const calendar = new Map<string, Uint8Array>();
  for (const desk of estate.workstations()) {
    const r = rng.fork(desk.ip);
    const hours = new Uint8Array(HOURS);
    const working: boolean[] = [];
    for (let day = 0; day < DAYS; day++) working.push(isWeekend(day) ? false : r.chance(0.9));
    working[TRAIN_DAYS] = true;
    const trainingWeekdays = Array.from({ length: TRAIN_DAYS }, (_, d) => d).filter((d) => !isWeekend(d));
    for (const day of r.shuffle(trainingWeekdays)) {
      if (working.slice(0, TRAIN_DAYS).filter(Boolean).length >= MIN_TRAINING_DAYS) break;
      working[day] = true;
    }
    for (let day = 0; day < DAYS; day++) {
      let from = -1;
      let to = -1;
      if (working[day]) {
        from = r.pick([7, 8, 8, 8, 9]);
        to = r.pick([16, 17, 17, 18, 19]);
      } else if (isWeekend(day) && r.chance(0.08)) {
        from = r.int(9, 14);
        to = from + r.int(1, 3);
      }
      for (let h = from; h >= 0 && h < to; h++) hours[day * 24 + h] = h === from ? 2 : 1;
    }
    calendar.set(desk.ip, hours);
  }
  return calendar;
}
