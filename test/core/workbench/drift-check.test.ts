import { describe, expect, it } from 'vitest';
import { openNodeDuckDb } from '../../../src/core/node/duckdb-wasm-node';
import { expandInputPaths, fileInput } from '../../../src/core/node/fs-input';
import { nodeIngestHost } from '../../../src/core/node/gunzip';
import { driftCheck } from '../../../src/core/workbench/drift-check';
import { Workbench } from '../../../src/core/workbench/workbench';
import { analyseDemo, DEMO_FOLDER } from '../../helpers/demo-analysis';

describe('the drift check of the workbench', () => {
  it('replays exports against the policy as the work has it: the same flows give the replay\'s blocked edges', async () => {
    const analysis = await analyseDemo();
    const bench = Workbench.of(analysis);
    const rule = bench.view().policy.rules.find((candidate) => candidate.jit === null && candidate.window === null && candidate.evidence.flows > 0)!;
    bench.edit({ kind: 'rules', rules: [rule.id], decision: 'rejected', reason: 'closing it' });
    const db = await openNodeDuckDb();
    try {
      const inputs = await Promise.all((await expandInputPaths([DEMO_FOLDER])).map((path) => fileInput(path)));
      const drift = await driftCheck({ db, host: nodeIngestHost }, bench.policy(), inputs);
      expect(drift.blockedTotal).toBe(bench.view().simulation.escapedEdges);
      expect(drift.blocked.some((edge) => edge.reason.includes(`rule ${rule.id} was rejected`))).toBe(true);
      expect(drift.newHosts).toEqual([]);
      expect(drift.inputs.map((input) => input.accepted).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });
});
