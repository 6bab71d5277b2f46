// The harness's summaries beside the targets: the engine's shortfall below the structural ceiling, the pods of fully listed runs.
import { describe, expect, it } from 'vitest';
import { listedPodsLine, shortfallLine, type RunOutcome } from './report';

// Only the fields shortfallLine reads; the rest of a ScenarioResult does not matter here.
const run = (runId: string, ariServers: number, ariCeiling: number): RunOutcome => ({ runId, ariServers, ariCeiling }) as unknown as RunOutcome;

describe('shortfallLine', () => {
  it('names the run furthest below its ceiling', () => {
    const line = shortfallLine([run('a', 0.9, 0.95), run('b', 0.7, 0.9), run('c', 1, 0.6)]);
    expect(line).toContain('0.200 (b, ceiling 0.900)');
  });

  it('does not report a negative shortfall when every run reaches its ceiling', () => {
    const line = shortfallLine([run('a', 1, 0.683), run('b', 0.826, 0.683)]);
    expect(line).toMatch(/^No run falls below its structural ceiling/);
    expect(line).not.toContain('-');
  });

  it('leaves failed runs out, and says nothing without a finished run', () => {
    const failed = { runId: 'f', generator: 'g', labelCoverage: 0, error: 'boom' } as RunOutcome;
    expect(shortfallLine([failed])).toBe('');
  });
});

describe('listedPodsLine', () => {
  const pods = (runId: string, ariServers: number): RunOutcome => ({ runId, generator: runId.split('/')[0], ariServers, ariCeiling: 1 }) as unknown as RunOutcome;

  it('takes the worst of the topology runs that list every pod, and only those', () => {
    const line = listedPodsLine([
      pods('topology:a/seed1/labels50-all-listed', 1),
      pods('topology:b/seed1/labels50-all-listed', 0.97),
      // The mesh-pods runs are pods too (the same topologies, another traffic model and export).
      pods('mesh:b/seed1/labels50-all-listed', 0.96),
      pods('topology:b/seed2/labels50', 0.7),
      pods('hospital/seed1/labels50-all-listed', 0.5),
    ]);
    expect(line).toContain('(3 runs, one per topology and traffic model): worst ARI 0.960 (mesh:b/seed1/labels50-all-listed)');
  });

  it('says nothing without such a run', () => {
    expect(listedPodsLine([pods('topology:b/seed2/labels50', 0.7)])).toBe('');
  });
});
