import { describe, expect, it } from 'vitest';
import { runRate } from '../../src/renderer/format/run-rate';

describe('the progress line figures', () => {
  it('gives rows, their rate and the time left once enough is done', () => {
    expect(runRate({ stage: 'ingest', fraction: 0.25, rows: 300_000 }, 3_000)).toBe('300,000 rows · 100,000 rows/s · about 9.0 s left');
    expect(runRate({ stage: 'discover', fraction: 0.9 }, 9_000)).toBe('about 1.0 s left');
  });

  it('says nothing it cannot know yet', () => {
    expect(runRate(null, 1000)).toBe('');
    expect(runRate({ stage: 'engine', fraction: 0 }, 500)).toBe('');
    expect(runRate({ stage: 'ingest', fraction: 0.02, rows: 10 }, 100)).toBe('10 rows · 100 rows/s');
  });
});
