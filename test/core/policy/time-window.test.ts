import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_SETTINGS, type TimeWindow } from '../../../src/core/policy/policy-model';
import { describeWindow, inWindow, windowMask } from '../../../src/core/policy/time-window';
import { how } from './fixtures';

const business = DEFAULT_POLICY_SETTINGS.businessHours;
const window = (days: number[], fromHour: number, toHour: number): TimeWindow => ({ days, fromHour, toHour, timezone: 'UTC' });

describe('inWindow', () => {
  it('takes hour 0 as Sunday 00:00 and the end hour as exclusive', () => {
    expect(inWindow(business, how(1, 8))).toBe(true); // Monday 08:00
    expect(inWindow(business, how(1, 7))).toBe(false); // Monday 07:00
    expect(inWindow(business, how(1, 17))).toBe(true); // Monday 17:00
    expect(inWindow(business, how(1, 18))).toBe(false); // Monday 18:00, end excluded
    expect(inWindow(business, how(5, 17))).toBe(true); // Friday 17:00
    expect(inWindow(business, how(6, 10))).toBe(false); // Saturday
    expect(inWindow(business, how(0, 10))).toBe(false); // Sunday
    expect(inWindow(business, 0)).toBe(false);
    expect(inWindow(business, 167)).toBe(false);
  });

  it('covers a whole day with 0–24', () => {
    const sunday = window([0], 0, 24);
    expect(inWindow(sunday, 0)).toBe(true);
    expect(inWindow(sunday, 23)).toBe(true);
    expect(inWindow(sunday, 24)).toBe(false);
  });
});

describe('windowMask', () => {
  it('marks the 50 business hours of the week and nothing else', () => {
    const mask = windowMask(business);
    expect(mask).toHaveLength(168);
    expect(mask.reduce((sum, value) => sum + value, 0)).toBe(50);
    const marked = [...mask.keys()].filter((k) => mask[k] === 1);
    expect(marked.slice(0, 11)).toEqual([32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 56]);
    expect(marked[marked.length - 1]).toBe(how(5, 17));
  });

  it('is empty for a window without days', () => {
    expect(windowMask(window([], 0, 24)).every((value) => value === 0)).toBe(true);
  });
});

describe('describeWindow', () => {
  it('names a contiguous run of more than two days as a span', () => {
    expect(describeWindow(business)).toBe('Mon–Fri 08:00–18:00 UTC');
    expect(describeWindow(window([5, 3, 4], 0, 24))).toBe('Wed–Fri 00:00–24:00 UTC');
  });

  it('lists two days or non-contiguous days', () => {
    expect(describeWindow(window([2, 3], 9, 17))).toBe('Tue,Wed 09:00–17:00 UTC');
    expect(describeWindow(window([6, 0], 9, 17))).toBe('Sun,Sat 09:00–17:00 UTC');
    expect(describeWindow(window([1, 3, 5], 9, 17))).toBe('Mon,Wed,Fri 09:00–17:00 UTC');
  });

  it('says "no day" for an empty list', () => {
    expect(describeWindow(window([], 8, 18))).toBe('no day 08:00–18:00 UTC');
  });
});
