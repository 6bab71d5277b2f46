// The capture's time frame: two weeks from Monday 2026-03-02 00:00 UTC. The
// first ten days train, the last four are replayed (Thursday to Sunday), so
// the replay holds two working days and a weekend.

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const START_MS = Date.UTC(2026, 2, 2);
export const DAYS = 14;
export const HOURS = DAYS * 24;
export const TRAIN_DAYS = 10;
export const TRAIN_UNTIL_MS = START_MS + TRAIN_DAYS * DAY_MS;
export const END_MS = START_MS + DAYS * DAY_MS;
/** First hour index of the replay. */
export const REPLAY_FIRST_HOUR = TRAIN_DAYS * 24;

export const hourStartMs = (hour: number): number => START_MS + hour * HOUR_MS;
export const dayOf = (hour: number): number => Math.floor(hour / 24);
export const hourOfDay = (hour: number): number => hour % 24;
/** Day 0 is a Monday, so days 5, 6, 12 and 13 are the weekends. */
export const isWeekend = (day: number): boolean => day % 7 >= 5;
export const isTrainHour = (hour: number): boolean => hour < REPLAY_FIRST_HOUR;
/** Office hours in UTC (the company works on Western European time, close enough in March). */
export const isOfficeHour = (hour: number): boolean => !isWeekend(dayOf(hour)) && hourOfDay(hour) >= 8 && hourOfDay(hour) < 18;
/** An instant given as day index, hour of day and minute, for planted events. */
export const at = (day: number, hour: number, minute = 0): number => START_MS + day * DAY_MS + hour * HOUR_MS + minute * 60_000;
