import { describe, expect, it } from 'vitest';
import { DEFAULT_STAGE_SETTING } from '../../../src/core/policy/enforcement-stage';
import { stageRequestOf } from '../../../src/renderer/model/stage-request';

const SIGNER = { by: 'ana', why: 'watch first', ticket: 'CHG-1' };

describe('the stage request the inspector sends', () => {
  it('names only what the analyst changed, so core keeps the rest (an override is used up by a stage change unless asked again)', () => {
    const observed = { stage: 'observe' as const, services: [], canary: false, override: true };
    expect(stageRequestOf('g1', observed, { ...observed, stage: 'selective', services: ['tcp/443', 'tcp/22', 'tcp/443'] }, SIGNER)).toEqual({ group: 'g1', stage: 'selective', services: ['tcp/22', 'tcp/443'], ...SIGNER });
    expect(stageRequestOf('g1', DEFAULT_STAGE_SETTING, { ...DEFAULT_STAGE_SETTING, canary: true }, SIGNER)).toEqual({ group: 'g1', canary: true, ...SIGNER });
  });

  it('sends services again only when a selective stage\'s list changed, and nothing when the form says nothing new', () => {
    const selective = { stage: 'selective' as const, services: ['tcp/22', 'tcp/443'], canary: false, override: false };
    expect(stageRequestOf('g1', selective, { ...selective, services: ['tcp/443', 'tcp/22'] }, SIGNER)).toBeNull();
    expect(stageRequestOf('g1', selective, { ...selective, services: ['tcp/22'] }, SIGNER)).toEqual({ group: 'g1', services: ['tcp/22'], ...SIGNER });
    expect(stageRequestOf('g1', selective, { ...selective, stage: 'enforce', services: [] }, SIGNER)).toEqual({ group: 'g1', stage: 'enforce', ...SIGNER });
  });
});
