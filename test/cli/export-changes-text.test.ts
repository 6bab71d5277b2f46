import { describe, expect, it } from 'vitest';
import { versionChangesText } from '../../src/cli/export-changes-text';
import type { VersionDiff } from '../../src/core/export/export-version-diff';

const diff = (stages: VersionDiff['stages']): VersionDiff => ({ targets: [], files: { added: [], removed: [], changed: [] }, ...(stages === undefined ? {} : { stages }) });

describe('versionChangesText on stage changes', () => {
  it('says plainly when no rule changes and nothing else does', () => {
    expect(versionChangesText(diff(undefined), '')).toEqual(['no rule opens, closes or changes in any target']);
  });

  it('does not let "no rule changes" stand alone when a stage opens traffic', () => {
    const lines = versionChangesText(diff([{ group: 'g2', before: 'enforce', after: 'observe' }]), '');
    expect(lines).toEqual(['no rule opens, closes or changes in any target, but stages change:', 'stage of g2: enforce → observe (opens what its rules do not allow, logged or left open per target)']);
  });

  it('names the services a selective group enforces more or no longer', () => {
    const lines = versionChangesText(diff([
      { group: 'g3', before: 'selective on tcp/443', after: 'selective on tcp/443, tcp/5432' },
      { group: 'g4', before: 'selective on tcp/443, udp/53', after: 'selective on tcp/22' },
    ]), '');
    expect(lines[1]).toBe('stage of g3: selective on tcp/443 → selective on tcp/443, tcp/5432 (enforces tcp/5432 too)');
    expect(lines[2]).toBe('stage of g4: selective on tcp/443, udp/53 → selective on tcp/22 (enforces tcp/22 too; no longer enforces tcp/443, udp/53 (logged or left open per target))');
  });
});
