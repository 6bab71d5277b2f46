// The harness's summary of the engine's shortfall below the structural ceiling.
import { describe, expect, it } from 'vitest';
import { shortfallLine, type RunOutcome } from './report';

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
