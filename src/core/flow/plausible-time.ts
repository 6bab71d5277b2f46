/**
 * Flow times that cannot be right: before 2000 (an epoch of 0, seconds
 * read as milliseconds, a clock never set) or more than a day after the
 * run (a clock set years ahead). Captures replayed with relative times
 * (starting at 0) are consistent among themselves and keep them; mixed
 * into real times, such rows would stretch the capture window over decades
 * and make every destination "first seen" after a baseline that ended in
 * the 1980s. The reader counts them per file, and the anomaly baselines
 * leave them out whenever the capture also has plausible times.
 */
export const EARLIEST_PLAUSIBLE_MS = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

/** The latest plausible time for a run now: a day ahead, for clocks in other time zones. */
export const latestPlausibleMs = (nowMs: number = Date.now()): number => nowMs + DAY_MS;

export const isPlausibleTime = (ms: number, latestMs: number): boolean => ms >= EARLIEST_PLAUSIBLE_MS && ms <= latestMs;

/** Counts the rows of one file whose times cannot be right. */
export class PlausibleTimes {
  implausible = 0;
  private readonly latestMs: number;

  constructor(nowMs: number = Date.now()) {
    this.latestMs = latestPlausibleMs(nowMs);
  }

  check(record: { readonly startMs: number; readonly endMs: number }): void {
    const bad = (ms: number): boolean => !Number.isNaN(ms) && !isPlausibleTime(ms, this.latestMs);
    if (bad(record.startMs) || bad(record.endMs)) this.implausible++;
  }

  /** The report's warning, or null when every time was plausible. */
  warning(): string | null {
    if (this.implausible === 0) return null;
    const latest = new Date(this.latestMs).toISOString().slice(0, 10);
    const rows = this.implausible === 1 ? '1 row carries' : `${this.implausible} rows carry`;
    return `${rows} times that cannot be right (before 2000-01-01 or after ${latest}): kept as they are, but the anomaly baselines leave them out when other times are plausible`;
  }
}
