import { describe, expect, it } from 'vitest';
import { captureWindow } from '../../../src/core/discover/anomalies/capture-window';
import type { AnomalyEdge } from '../../../src/core/discover/anomalies';
import { PlausibleTimes } from '../../../src/core/flow/plausible-time';
import { runAnalyze, textFile } from '../../helpers/engine';

const NOW = Date.UTC(2026, 11, 3, 12);
const DAY = 86_400_000;

describe('PlausibleTimes', () => {
  it('counts nothing for times from 2000 to a day after now, or unknown', () => {
    const times = new PlausibleTimes(NOW);
    for (const startMs of [Date.UTC(2000, 0, 1), Date.UTC(2026, 0, 5), NOW + DAY, NaN]) times.check({ startMs, endMs: startMs });
    expect(times.implausible).toBe(0);
    expect(times.warning()).toBeNull();
  });

  it('counts a row when either time cannot be right, and says what happens to them', () => {
    const times = new PlausibleTimes(NOW);
    times.check({ startMs: 0, endMs: 60_000 });
    times.check({ startMs: Date.UTC(2026, 0, 5), endMs: Date.UTC(2076, 0, 5) });
    expect(times.implausible).toBe(2);
    expect(times.warning()).toBe(
      '2 rows carry times that cannot be right (before 2000-01-01 or after 2026-12-04): kept as they are, but the anomaly baselines leave them out when other times are plausible',
    );
  });
});

describe('captureWindow and implausible times', () => {
  const edge = (client: string, firstMs: number, lastMs: number): AnomalyEdge => ({ client, server: '198.51.100.1', proto: 6, port: 443, action: 1, flows: 1, bytes: 1, firstMs, lastMs });

  it('leaves out rows stamped 1970 when the capture has real times', () => {
    const week = [edge('10.0.0.1', Date.UTC(2026, 0, 5), Date.UTC(2026, 0, 12)), edge('10.0.0.2', 0, 60_000)];
    const window = captureWindow(week, NOW)!;
    expect(window.startMs).toBe(Date.UTC(2026, 0, 5));
    expect(window.endMs).toBe(Date.UTC(2026, 0, 12));
    expect(window.activeSince.has('10.0.0.2')).toBe(false);
  });

  it('keeps relative times (a replayed capture starting at 0) when there are no others', () => {
    const window = captureWindow([edge('10.0.0.1', 0, 3_600_000), edge('10.0.0.2', 1_000, 7_200_000)], NOW)!;
    expect(window).toMatchObject({ startMs: 0, endMs: 7_200_000 });
  });
});

describe('implausible times in an export', () => {
  it('are counted in the file\u2019s warnings; the rows are accepted as they are', async () => {
    const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
    const good = `2 123456789012 eni-1 10.0.0.5 10.0.0.9 50000 443 6 10 1000 ${Date.UTC(2026, 0, 5, 10) / 1000} ${Date.UTC(2026, 0, 5, 10, 1) / 1000} ACCEPT OK`;
    const epoch = '2 123456789012 eni-1 10.0.0.6 10.0.0.9 50001 443 6 10 1000 0 60 ACCEPT OK';
    const { summary } = await runAnalyze({ inputs: [textFile('flows.log', `${header}\n${good}\n${epoch}\n`)] });
    expect(summary.inputs[0]).toMatchObject({ read: 2, accepted: 2, rejected: 0 });
    expect(summary.inputs[0]!.warnings).toEqual([expect.stringMatching(/^1 row carries times that cannot be right \(before 2000-01-01 or after \d{4}-\d\d-\d\d\)/)]);
    expect(summary.edges).toBe(2);
  });
});
