import { describe, expect, it } from 'vitest';
import { stageReport } from './stage-report';

describe('stageReport', () => {
  const truth = new Map([
    ['10.0.0.1', 'line1|plc'],
    ['10.0.0.2', 'line1|plc'],
    ['10.0.0.3', 'line2|plc'],
    ['10.0.0.4', 'line2|plc'],
  ]);
  const truthOf = (ip: string) => truth.get(ip);

  it('says which true groups a stage split and which found groups mix true ones, and skips stages that changed neither', () => {
    const lines = stageReport(
      [
        { stage: 'cut', groups: [['10.0.0.1'], ['10.0.0.2'], ['10.0.0.3', '10.0.0.4']] },
        // Another grouping, the same account: not printed.
        { stage: 'idle replicas', groups: [['10.0.0.2'], ['10.0.0.1'], ['10.0.0.4', '10.0.0.3']] },
        { stage: 'role equivalence', groups: [['10.0.0.1', '10.0.0.2', '10.0.0.3'], ['10.0.0.4']] },
        { stage: 'labels apart', groups: [['10.0.0.1', '10.0.0.2'], ['10.0.0.3', '10.0.0.4']] },
      ],
      truthOf,
    );
    expect(lines).toEqual([
      'cut: 3 groups',
      '  splits line1|plc into 1 + 1',
      'role equivalence: 2 groups',
      '  mixes line1|plc ×2, line2|plc ×1',
      '  splits line2|plc into 1 + 1',
      'labels apart: 2 groups, every true group whole and apart',
    ]);
  });

  it('leaves hosts without a true group out of the account', () => {
    expect(stageReport([{ stage: 'cut', groups: [['10.0.0.1', '10.0.0.2', '192.0.2.7']] }], truthOf)).toEqual(['cut: 1 groups, every true group whole and apart']);
  });
});
