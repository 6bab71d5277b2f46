import { describe, expect, it } from 'vitest';
import { measuresOf, NEEDS_FLOWS, NEEDS_WORKSPACE } from '../../../src/core/measures/measures-of';
import type { MeasureSnapshot } from '../../../src/core/measures/measures-model';
import { DEFAULT_POLICY_SETTINGS, type GroupStage, type Policy, type PolicyGroup, type RuleDecision } from '../../../src/core/policy/policy-model';
import { edge, group, handPolicy, hostsOf, HOUR, rule, T0 } from '../policy/fixtures';

// A five-host estate small enough to count every pair by hand:
//   web (g1) = 10.0.1.1, 10.0.1.2   db (g2) = 10.0.2.1   ops (g3) = 10.0.3.1   ungrouped: 10.0.9.9
// Open rules: web→db tcp/5432, ops→web tcp/22 (ssh, an admin service).
// Closed: ops→db tcp/3389 (just-in-time), web→ops tcp/8080 (just-in-time).

const DAY = 24 * HOUR;
const decision = (expires: string | null): RuleDecision => ({ by: 'owner', at: '2026-01-05T00:00:00.000Z', why: 'needed', ticket: null, expires, evidenceSha256: '0'.repeat(64) });
const stage = (value: GroupStage['stage'], services: string[] = []): GroupStage => ({
  stage: value,
  services,
  canary: false,
  override: false,
  decision: { by: 'ana', at: '2026-01-06T00:00:00.000Z', why: 'rollout', ticket: null },
});
const JIT = { requesters: [] };

function estate(stages: { web?: GroupStage; db?: GroupStage } = {}, settings = DEFAULT_POLICY_SETTINGS): Policy {
  const staged = (value: GroupStage | undefined): Partial<PolicyGroup> => (value === undefined ? {} : { stage: value });
  return handPolicy(
    [group('g1', ['10.0.1.1', '10.0.1.2'], { name: 'web', ...staged(stages.web) }), group('g2', ['10.0.2.1'], { name: 'db', ...staged(stages.db) }), group('g3', ['10.0.3.1'], { name: 'ops' })],
    [
      rule('g1', 'g2', 6, { from: 5432, to: 5432 }, { state: 'approved', decision: decision('2026-01-10T00:00:00.000Z') }),
      rule('g1', 'g3', 6, { from: 8080, to: 8080 }, { jit: JIT }),
      rule('g3', 'g1', 6, { from: 22, to: 22 }, { state: 'approved', decision: decision(null) }),
      rule('g3', 'g2', 6, { from: 3389, to: 3389 }, { jit: JIT }),
    ],
    settings,
  );
}

// The data spans 40 days: the ssh edge is the only one in the last 30.
const EDGES = [
  edge('10.0.1.1', '10.0.2.1', 5432),
  edge('10.0.1.2', '10.0.2.1', 5432),
  edge('10.0.3.1', '10.0.1.1', 22, { firstMs: T0 + 39 * DAY, lastMs: T0 + 40 * DAY }),
  edge('10.0.3.1', '10.0.2.1', 3389),
  edge('10.0.9.9', '10.0.1.1', 443),
];
const flows = { edges: EDGES, replay: EDGES, hosts: hostsOf(EDGES) };
const snapshot = (policy: Policy, withFlows = true): MeasureSnapshot => ({ name: 'week.flowfence', policy, flows: withFlows ? flows : null, anomalies: withFlows ? { found: 3, accepted: 1 } : null });

describe('measures of one snapshot, against hand-counted values', () => {
  it('every group enforced: 20 flat pairs, 4 allowed (web→db 2×1, ops→web 1×2), 2 admin paths (ssh ops→web)', () => {
    const m = measuresOf(snapshot(estate()));
    expect(m.reachablePairs).toEqual({ flat: 20, currentStage: 4, fullEnforcement: 4 });
    expect(m.adminPaths).toEqual({ flat: 20, currentStage: 2, fullEnforcement: 2 });
    // Within 3 hops: each web host reaches db (1), ops reaches web then db (3), db and 10.0.9.9 nothing: (1+1+3+0+0)/5.
    expect(m.blastRadius).toEqual({ hops: 3, mean: { flat: 4, currentStage: 1, fullEnforcement: 1 }, max: { flat: 4, currentStage: 3, fullEnforcement: 3 } });
    expect(m.hostsPerStage).toEqual({ source: 'flows', hosts: 5, count: { observe: 0, selective: 0, enforce: 4, ungrouped: 1 }, share: { observe: 0, selective: 0, enforce: 0.8, ungrouped: 0.2 } });
  });

  it('db observed: every other internal host reaches db on every service, admin ones included', () => {
    const m = measuresOf(snapshot(estate({ db: stage('observe') })));
    // Into db from the 4 other hosts (4), plus ops→web (2).
    expect(m.reachablePairs).toEqual({ flat: 20, currentStage: 6, fullEnforcement: 4 });
    expect(m.adminPaths).toEqual({ flat: 20, currentStage: 6, fullEnforcement: 2 });
    // 10.0.9.9 now reaches db: (1+1+3+0+1)/5.
    expect(m.blastRadius).toMatchObject({ mean: { currentStage: 1.2, fullEnforcement: 1 } });
    expect(m.hostsPerStage.count).toEqual({ observe: 1, selective: 0, enforce: 3, ungrouped: 1 });
  });

  it('web selective on ssh, with ssh the only admin service: web opens to everyone on other services, not on ssh', () => {
    const sshOnly = { ...DEFAULT_POLICY_SETTINGS, adminServices: [{ proto: 6, port: 22, name: 'ssh' }] };
    const m = measuresOf(snapshot(estate({ web: stage('selective', ['tcp/22']), db: stage('observe') }, sshOnly)));
    // Into web from its own other member (2×1), db (2), ops (2), 10.0.9.9 (2) = 8; into db from 4 hosts = 4.
    expect(m.reachablePairs).toEqual({ flat: 20, currentStage: 12, fullEnforcement: 4 });
    // Admin: ssh into web only by the rule ops→web (2); db observed on ssh from 4 hosts.
    expect(m.adminPaths).toEqual({ flat: 20, currentStage: 6, fullEnforcement: 2 });
    expect(m.hostsPerStage.share).toEqual({ observe: 0.2, selective: 0.4, enforce: 0.2, ungrouped: 0.2 });
  });

  it('certifications judged at the end of the data; drift per week; rules unused in the last 30 days; anomalies open', () => {
    const m = measuresOf(snapshot(estate()));
    const at = new Date(T0 + 40 * DAY).toISOString();
    expect(m.snapshot.at).toBe(at);
    // web→db certified until 2026-01-10, before the data's end; ops→web certified without expiry.
    expect(m.certifications).toEqual({ certified: 2, expired: 1, withoutExpiry: 1, decertified: 0, undecided: 2, asOf: at });
    // Blocked when enforced: ops→db rdp (just-in-time, closed) and 10.0.9.9→web (ungrouped), over 40 days.
    expect(m.drift).toEqual({ newEdges: 2, weeks: 40 / 7, perWeek: 2 / (40 / 7) });
    expect(m.unusedRules).toEqual({ count: 3, days: 30, windowDays: 30, rules: ['g1>g2:tcp/5432', 'g1>g3:tcp/8080', 'g3>g2:tcp/3389'] });
    expect(m.anomalies).toEqual({ found: 3, open: 2 });
  });

  it('a policy.json alone: the measures on flows are unavailable (never 0), stages counted from the groups\' members', () => {
    const m = measuresOf(snapshot(estate({ db: stage('observe') }), false));
    for (const measure of [m.reachablePairs, m.adminPaths, m.blastRadius, m.drift, m.unusedRules]) expect(measure).toEqual({ unavailable: NEEDS_FLOWS });
    expect(m.anomalies).toEqual({ unavailable: NEEDS_WORKSPACE });
    expect(m.hostsPerStage).toMatchObject({ source: 'policy-members', hosts: 4, count: { observe: 1, selective: 0, enforce: 3, ungrouped: 0 } });
    // No flows: the snapshot stands at the policy's window (none here), so nothing can have expired yet.
    expect(m.certifications).toMatchObject({ certified: 2, expired: 0, asOf: null });
  });
});
