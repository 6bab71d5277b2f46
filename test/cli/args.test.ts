import { describe, expect, it } from 'vitest';
import { parseTime, UsageError } from '../../src/cli/args';

describe('--train-until times', () => {
  it('reads ISO 8601 dates and times, as UTC unless a zone is given', () => {
    expect(parseTime('2026-01-21', '--t')).toBe(Date.UTC(2026, 0, 21));
    expect(parseTime('2026-01-21T06:30', '--t')).toBe(Date.UTC(2026, 0, 21, 6, 30));
    // A space instead of the T is read the same way, never in the machine's local time.
    expect(parseTime('2026-01-21 06:30:00', '--t')).toBe(Date.UTC(2026, 0, 21, 6, 30));
    expect(parseTime('2026-01-21T06:30:00Z', '--t')).toBe(Date.UTC(2026, 0, 21, 6, 30));
    expect(parseTime('2026-01-21T06:30:00+01:00', '--t')).toBe(Date.UTC(2026, 0, 21, 5, 30));
    expect(parseTime('2026-01-21 06:30-0200', '--t')).toBe(Date.UTC(2026, 0, 21, 8, 30));
  });

  it('refuses anything else with the option named', () => {
    for (const text of ['yesterday', '21/01/2026', '2026-01-21Tzz', '2026-13-40']) {
      expect(() => parseTime(text, '--train-until')).toThrow(UsageError);
      expect(() => parseTime(text, '--train-until')).toThrow(`--train-until: "${text}" is not a time`);
    }
  });
});
