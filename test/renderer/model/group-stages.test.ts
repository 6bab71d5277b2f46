import { describe, expect, it } from 'vitest';
import type { PolicyGroup } from '../../../src/core/policy/policy-model';
import { groupStages, stageText } from '../../../src/renderer/model/group-stages';

const group = (id: string, kind: PolicyGroup['kind'], stage?: PolicyGroup['stage']): PolicyGroup => ({ id, name: id, kind, members: [], match: null, labels: {}, ...(stage === undefined ? {} : { stage }) });
const DECISION = { by: 'ana', at: '2026-12-04T10:00:00.000Z', why: 'watch', ticket: null };

describe('the stages the page draws', () => {
  it('gives every internal group a stage (enforce until decided) and the others none', () => {
    const stages = groupStages([
      group('g1', 'application'),
      group('g2', 'clients', { stage: 'observe', services: [], canary: true, override: false, decision: DECISION }),
      group('internal', 'all-internal'),
      group('ext:198.51.100.0/24', 'external'),
    ]);
    expect([...stages.keys()]).toEqual(['g1', 'g2']);
    expect(stages.get('g1')).toEqual({ stage: 'enforce', services: [], canary: false, override: false });
    expect(stages.get('g2')).toEqual({ stage: 'observe', services: [], canary: true, override: false });
  });

  it('names at most three services of a selective stage on its badge, and every one when asked', () => {
    const selective = { stage: 'selective' as const, services: ['tcp/22', 'tcp/443', 'tcp/5432', 'udp/53', 'udp/123'], canary: false, override: false };
    expect(stageText(selective)).toBe('selective: tcp/22, tcp/443, tcp/5432 +2');
    expect(stageText(selective, true)).toBe('selective: tcp/22, tcp/443, tcp/5432, udp/53, udp/123');
    expect(stageText({ ...selective, stage: 'observe', services: [] })).toBe('observe');
  });
});
