import { describe, expect, it } from 'vitest';
import { contentDigest, policyJson } from '../../../src/core/policy/build-policy';
import type { Policy } from '../../../src/core/policy/policy-model';
import { readPolicyFile } from '../../../src/core/policy/policy-schema';
import { applyStageDecision } from '../../../src/core/policy/stage-decisions';
import { group, handPolicy, rule } from './fixtures';

// Stage decisions: who, when, why, appended to the audit trail with the
// setting replaced; a policy without stages reads and digests as before.

const sealed = (policy: Policy): Policy => ({ ...policy, contentSha256: contentDigest(policy) });
const base = sealed(
  handPolicy([group('g1', ['10.0.1.1']), group('g2', ['10.0.2.1'])], [rule('g1', 'g2', 6, { from: 443, to: 443 }), rule('g1', 'g2', 6, { from: 5432, to: 5432 })]),
);
const AT = '2026-03-01T10:00:00.000Z';

function applied(policy: Policy, request: Parameters<typeof applyStageDecision>[1], at = AT): Policy {
  const result = applyStageDecision(policy, request, at);
  if (!result.ok) throw new Error(result.reason);
  return result.policy;
}

describe('applyStageDecision', () => {
  it('sets a stage with who, when and why, appends an audit entry with the previous setting, and reseals the policy', () => {
    const observed = applied(base, { group: 'g2', stage: 'observe', canary: true, by: 'ana', why: 'first step', ticket: 'CHG-1' });
    expect(observed.groups.find((g) => g.id === 'g2')!.stage).toEqual({ stage: 'observe', services: [], canary: true, override: false, decision: { by: 'ana', at: AT, why: 'first step', ticket: 'CHG-1' } });
    const selective = applied(observed, { group: 'g2', stage: 'selective', services: ['tcp/5432', 'tcp/443', 'tcp/5432'], by: 'bo', why: 'quiet for two weeks' }, '2026-03-20T00:00:00.000Z');
    expect(selective.audit).toEqual([
      { group: 'g2', stage: 'observe', services: [], canary: true, override: false, by: 'ana', at: AT, why: 'first step', ticket: 'CHG-1', previous: { stage: 'enforce', services: [], canary: false, override: false } },
      { group: 'g2', stage: 'selective', services: ['tcp/443', 'tcp/5432'], canary: true, override: false, by: 'bo', at: '2026-03-20T00:00:00.000Z', why: 'quiet for two weeks', ticket: null, previous: { stage: 'observe', services: [], canary: true, override: false } },
    ]);
    expect(selective.contentSha256).toBe(contentDigest(selective));
    expect(selective.contentSha256).not.toBe(observed.contentSha256);
    // Written and read back: valid, unedited, unchanged.
    const file = readPolicyFile(policyJson(selective), 'policy.json');
    expect(file.edited).toBe(false);
    expect(file.policy).toEqual(selective);
  });

  it('uses an override up on the next stage change', () => {
    const override = applied(applied(base, { group: 'g1', stage: 'observe', by: 'ana', why: 'start' }), { group: 'g1', override: true, by: 'ana', why: 'owner accepts the risk' });
    expect(override.groups.find((g) => g.id === 'g1')!.stage).toMatchObject({ stage: 'observe', override: true });
    const promoted = applied(override, { group: 'g1', stage: 'enforce', by: 'ana', why: 'promoted on the override' });
    expect(promoted.groups.find((g) => g.id === 'g1')!.stage).toMatchObject({ stage: 'enforce', override: false });
  });

  it('refuses a decision without who or why, on an unknown or non-internal group, with unknown services, or that changes nothing', () => {
    const reason = (request: Parameters<typeof applyStageDecision>[1]): string => {
      const result = applyStageDecision(base, request, AT);
      return result.ok ? 'applied' : result.reason;
    };
    expect(reason({ group: 'g2', stage: 'observe', by: ' ', why: 'x' })).toMatch(/who decided/);
    expect(reason({ group: 'g2', stage: 'observe', by: 'ana', why: '' })).toMatch(/say why/);
    expect(reason({ group: 'g9', stage: 'observe', by: 'ana', why: 'x' })).toMatch(/no group "g9"/);
    expect(reason({ group: 'internal', stage: 'observe', by: 'ana', why: 'x' })).toMatch(/internal groups only/);
    expect(reason({ group: 'g2', stage: 'selective', services: ['tcp/9'], by: 'ana', why: 'x' })).toMatch(/"tcp\/9" is not one of the policy's services/);
    expect(reason({ group: 'g2', stage: 'selective', by: 'ana', why: 'x' })).toMatch(/at least one service/);
    expect(reason({ group: 'g2', stage: 'enforce', by: 'ana', why: 'x' })).toMatch(/already enforce: nothing to record/);
  });

  it('a policy without stages keeps its digest and reads as before; a stage on a policy file is checked', () => {
    const text = policyJson(base);
    expect(text).not.toContain('"stage"');
    const file = readPolicyFile(text, 'policy.json');
    expect(file.edited).toBe(false);
    const bad = JSON.parse(text) as { groups: { id: string; stage?: unknown }[] };
    bad.groups.find((g) => g.id === 'g1')!.stage = { stage: 'selective', services: ['udp/53'], canary: false, override: false, decision: { by: 'a', at: AT, why: 'w', ticket: null } };
    expect(() => readPolicyFile(JSON.stringify(bad), 'bad.json')).toThrow(/group g1: service "udp\/53" is not one of the policy's services/);
    bad.groups.find((g) => g.id === 'g1')!.stage = { stage: 'paused', services: [], canary: false, override: false, decision: { by: 'a', at: AT, why: 'w', ticket: null } };
    expect(() => readPolicyFile(JSON.stringify(bad), 'bad.json')).toThrow(/does not match the policy schema/);
  });
});
