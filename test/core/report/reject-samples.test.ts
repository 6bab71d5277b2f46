import { describe, expect, it } from 'vitest';
import { rejectSamples } from '../../../src/core/report/reject-samples';
import { runAnalyze, textFile } from '../../helpers/engine';

describe('reject samples', () => {
  it('gives each file\'s first rejected lines with their reasons, bounded per file', async () => {
    const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
    const good = '2 123456789012 eni-0a 10.0.0.1 10.0.0.2 40000 443 6 4 400 1767600000 1767600060 ACCEPT OK';
    const bad = (n: number) => Array.from({ length: n }, (_, index) => `2 123456789012 eni-0a not-an-ip 10.0.0.2 40000 443 6 4 400 1767600000 1767600060 ACCEPT OK ${index}`);
    const { db, summary } = await runAnalyze({ inputs: [textFile('a.log', [header, good, ...bad(5)].join('\n')), textFile('b.log', [header, ...bad(3), good].join('\n'))] });
    try {
      const samples = await rejectSamples(db, 4);
      expect(Object.keys(samples).sort()).toEqual(['a.log', 'b.log']);
      expect(samples['a.log']!.map((entry) => entry.line)).toEqual([3, 4, 5, 6]);
      expect(samples['b.log']!).toHaveLength(3);
      expect(samples['b.log']![0]!.reason.length).toBeGreaterThan(0);
      expect(summary.inputs.find((input) => input.path === 'a.log')!.rejected).toBe(5);
    } finally {
      await db.close();
    }
  });
});
