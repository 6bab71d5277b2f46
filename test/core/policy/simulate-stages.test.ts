import { describe, expect, it } from 'vitest';
import type { GroupStage, Policy, PolicyGroup } from '../../../src/core/policy/policy-model';
import { computeDrift } from '../../../src/core/policy/drift';
import { countVerdicts, escapedEdges, simulate, type EdgeVerdict } from '../../../src/core/policy/simulate';
import { edge, group, handPolicy, hostsOf, rule } from './fixtures';

// Stage semantics in the simulator: observe never blocks (the would-be drop
// passes, logged: permitted with loggedFlows), selective blocks only on the group's listed services, enforce
// is default deny, and every verdict names the stage that decided it.

const decision = { by: 'ana', at: '2026-02-01T00:00:00.000Z', why: 'rollout', ticket: null };
const staged = (stage: GroupStage['stage'], services: string[] = []): Partial<PolicyGroup> => ({ stage: { stage, services, canary: false, override: false, decision } });

function policyWith(dbStage: Partial<PolicyGroup>, webStage: Partial<PolicyGroup> = {}): Policy {
  return handPolicy(
    [
      group('g1', ['10.0.1.1'], { name: 'web', ...webStage }),
      group('g2', ['10.0.2.1'], { name: 'db', ...dbStage }),
      group('ext:198.51.100.0/24', ['198.51.100.7'], { name: 'outside', kind: 'external', match: { cidr: '198.51.100.0/24' } }),
    ],
    [rule('g1', 'g2', 6, { from: 443, to: 443 }), rule('g1', 'g2', 6, { from: 5432, to: 5432 })],
  );
}

// Traffic into db (g2): a permitted service, a listed service used by a client no rule allows, an unlisted service, one refused today.
const E = {
  permitted: edge('10.0.1.1', '10.0.2.1', 443, { flows: 5 }),
  strangerOnListed: edge('10.0.9.9', '10.0.2.1', 5432, { flows: 3 }),
  unlisted: edge('10.0.1.1', '10.0.2.1', 22, { flows: 2 }),
  refused: edge('10.0.1.1', '10.0.2.1', 23, { flows: 4, action: 2 }),
  outbound: edge('10.0.1.1', '198.51.100.7', 443, { flows: 6 }),
};
const edges = Object.values(E);
const hosts = hostsOf(edges);
const verdicts = (policy: Policy): Record<keyof typeof E, EdgeVerdict> => {
  const list = simulate(policy, edges, hosts);
  return Object.fromEntries(Object.keys(E).map((key, index) => [key, list[index]!])) as Record<keyof typeof E, EdgeVerdict>;
};

describe('enforcement stages in the simulator', () => {
  it('observe never blocks: every would-be drop passes, logged, with the enforce reason', () => {
    const v = verdicts(policyWith(staged('observe')));
    for (const key of ['strangerOnListed', 'unlisted'] as const) {
      expect(v[key]).toMatchObject({ verdict: 'permitted', escapedFlows: 0, stage: 'observe', stageGroup: 'g2' });
      expect(v[key].loggedFlows).toBe(v[key].edge.flows);
      expect(v[key].permittedFlows).toBe(v[key].edge.flows);
      expect(v[key].reason).toMatch(/^logged, would block under enforce \(observed group g2 \(db\)\): /);
    }
    expect(v.strangerOnListed.cause).toBe('unplaced');
    expect(v.permitted).toMatchObject({ verdict: 'permitted', loggedFlows: 0, stage: 'observe' });
    // Refused today stays refused: a stage only decides what the policy would do.
    expect(v.refused.verdict).toBe('rejected');
    // Only web's own traffic to the outside escapes: web (no stage) is enforced.
    expect(countVerdicts(Object.values(v)).escaped).toBe(E.outbound.flows);
    expect(escapedEdges(Object.values(v), hosts).map((escaped) => escaped.server)).toEqual([E.outbound.server]);
  });

  it('selective blocks only the listed services of the group and observes the rest', () => {
    const v = verdicts(policyWith(staged('selective', ['tcp/5432'])));
    expect(v.strangerOnListed).toMatchObject({ verdict: 'escaped', escapedFlows: 3, loggedFlows: 0, stage: 'selective', stageGroup: 'g2' });
    expect(v.unlisted).toMatchObject({ verdict: 'permitted', escapedFlows: 0, loggedFlows: 2, stage: 'selective' });
    expect(v.unlisted.reason).toMatch(/selective group g2 \(db\) does not enforce this service/);
    expect(v.permitted).toMatchObject({ verdict: 'permitted', stage: 'selective' });
    expect(countVerdicts(Object.values(v)).escaped).toBe(E.strangerOnListed.flows + E.outbound.flows);
  });

  it('enforce is default deny, the same verdicts as a policy without stages, naming the enforce stage', () => {
    const enforced = verdicts(policyWith(staged('enforce')));
    const unstaged = verdicts(policyWith({}));
    for (const key of Object.keys(E) as (keyof typeof E)[]) {
      expect({ ...enforced[key], stage: null, stageGroup: null }).toEqual({ ...unstaged[key], stage: null, stageGroup: null });
      expect(unstaged[key].stage).toBe('enforce');
    }
    expect(enforced.strangerOnListed).toMatchObject({ verdict: 'escaped', stage: 'enforce' });
    expect(enforced.unlisted).toMatchObject({ verdict: 'escaped', loggedFlows: 0 });
  });

  it('the server side decides inbound traffic; the client group decides traffic to outside networks', () => {
    // web observed, db enforced: web→db is db's to decide, web→outside is web's.
    const v = verdicts(policyWith(staged('enforce'), staged('observe')));
    expect(v.unlisted).toMatchObject({ verdict: 'escaped', stage: 'enforce', stageGroup: 'g2' });
    expect(v.outbound).toMatchObject({ verdict: 'permitted', stage: 'observe', stageGroup: 'g1' });
    const enforcedWeb = verdicts(policyWith(staged('observe'), staged('enforce')));
    expect(enforcedWeb.outbound).toMatchObject({ verdict: 'escaped', stage: 'enforce', stageGroup: 'g1' });
  });

  it('an observed windowed rule logs only the flows outside its window', () => {
    const policy = handPolicy([group('g1', ['10.0.1.1']), group('g2', ['10.0.2.1'], staged('observe'))], [
      rule('g1', 'g2', 6, { from: 8443, to: 8443 }, { window: { days: [1], fromHour: 8, toHour: 18, timezone: 'UTC' } }),
    ]);
    const partly = edge('10.0.1.1', '10.0.2.1', 8443, { flows: 5, weekHours: [24 + 9, 6 * 24 + 10], weekFlows: [3, 2] });
    const [verdict] = simulate(policy, [partly], hostsOf([partly]));
    expect(verdict).toMatchObject({ verdict: 'permitted', permittedFlows: 5, escapedFlows: 0, loggedFlows: 2, cause: 'window' });
  });
});

describe('drift and the stages', () => {
  it('reports what the policy would block whatever the stage: an observed group hides nothing from drift', () => {
    const observed = computeDrift(policyWith(staged('observe')), edges, hosts);
    const unstaged = computeDrift(policyWith({}), edges, hosts);
    expect(observed.blocked).toEqual(unstaged.blocked);
    expect(observed.blocked.length).toBeGreaterThan(0);
  });
});
