import { describe, expect, it } from 'vitest';
import { obsColumnRows, packObsRows } from '../../../src/core/ingest/obs-compact';
import { OBS, OBS_STRIDE } from '../../../src/core/ingest/obs-table';
import { dayPartitions } from '../../../src/core/model/hourly-edges';

/** Compact rows whose only meaningful field is the hour (what dayPartitions reads). */
function batchOfHours(hours: readonly number[]) {
  const data = new Float64Array(hours.length * OBS_STRIDE);
  hours.forEach((hour, row) => {
    data[row * OBS_STRIDE + OBS.hour] = hour;
    data[row * OBS_STRIDE + OBS.firstMs] = Number.NaN;
    data[row * OBS_STRIDE + OBS.lastMs] = Number.NaN;
  });
  return obsColumnRows(packObsRows({ length: hours.length, data }));
}

const DAY = 24;

describe('day partitions', () => {
  it('list every row of every batch under its day, in row order, when days come back after other days', () => {
    // Batch 0: runs of days 0, 2, 0 again (a day reappearing after another), then 1.
    const first = batchOfHours([5, 6, 2 * DAY, 2 * DAY + 23, 7, 0, DAY + 3]);
    // Batch 1: day 2 only; batch 2: empty.
    const second = batchOfHours([2 * DAY + 1, 2 * DAY + 1]);
    const empty = batchOfHours([]);
    const days = dayPartitions([first, second, empty]);
    expect(days.map(({ day, rowsOf }) => [day, rowsOf.map((rows) => Array.from(rows))])).toEqual([
      [0, [[0, 1, 4, 5], [], []]],
      [1, [[6], [], []]],
      [2, [[2, 3], [0, 1], []]],
    ]);
  });

  it('put hours before the epoch (negative) on their own days, ascending', () => {
    const days = dayPartitions([batchOfHours([-1, -DAY, -DAY - 1, 0])]);
    expect(days.map(({ day, rowsOf }) => [day, Array.from(rowsOf[0]!)])).toEqual([
      [-2, [2]],
      [-1, [0, 1]],
      [0, [3]],
    ]);
  });
});
