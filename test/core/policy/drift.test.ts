import { describe, expect, it } from 'vitest';
import { computeDrift } from '../../../src/core/policy/drift';
import { driftScenario } from './fixtures';

describe('computeDrift', () => {
  const { policy, later, hosts } = driftScenario();
  const drift = computeDrift(policy, Object.values(later), hosts);

  it('starts from the expected policy', () => {
    expect(policy.rules.map((r) => r.id)).toEqual(['ext:198.51.100.0/24>g1:tcp/443', 'g1>g2:tcp/22', 'g1>g2:tcp/5432', 'g1>g3:tcp/6379']);
  });

  it('replays the newer traffic', () => {
    // Permitted: the known edge, a new outside client of the same network, a new host placed by its label.
    expect(drift.simulation).toEqual({ permitted: 3, escaped: 7, rejected: 0, coverage: 0.3, permittedEdges: 3, escapedEdges: 7, rejectedEdges: 0 });
    expect(drift.blocked.map((b) => `${b.client}>${b.server}:${b.proto}/${b.port} ${b.reason}`)).toEqual([
      '10.0.1.1>10.0.2.1:tcp/22 only just-in-time rule g1>g2:tcp/22, closed until opened',
      '10.0.1.1>10.0.2.9:tcp/5432 server 10.0.2.9 is in no group of the policy',
      '10.0.1.60>10.0.2.1:tcp/5432 client 10.0.1.60 is in no group of the policy',
      '10.0.7.7>10.0.2.1:udp/9999 client 10.0.7.7 is in no group of the policy',
      '10.0.8.8>10.0.2.1:tcp/1 client 10.0.8.8 is in no group of the policy',
      '10.0.8.8>10.0.2.1:tcp/2 client 10.0.8.8 is in no group of the policy',
      '10.0.8.8>10.0.3.1:tcp/6379 client 10.0.8.8 is in no group of the policy',
    ]);
  });

  it('lists the rules no traffic used (a just-in-time rule traffic asked for counts as used)', () => {
    expect(drift.unusedRules).toEqual([{ id: 'g1>g3:tcp/6379', from: 'g1', to: 'g3', service: 'tcp/6379', lastSeen: '2026-01-05T01:00:00.000Z' }]);
    const withoutSsh = computeDrift(policy, Object.values(later).filter((e) => e !== later.ssh), hosts);
    expect(withoutSsh.unusedRules.map((r) => r.id)).toEqual(['g1>g2:tcp/22', 'g1>g3:tcp/6379']);
  });

  it("does not list an admin group's just-in-time rule to every host as unused while the group uses that service through its open rules", () => {
    // g1 as a jump group: its SSH to g2 open, and the closed rule to every internal host beside it.
    const open = policy.rules.map((r) => (r.id === 'g1>g2:tcp/22' ? { ...r, jit: null } : r));
    const reserveRule = { ...policy.rules.find((r) => r.id === 'g1>g2:tcp/22')!, id: 'g1>internal:tcp/22', to: 'internal' };
    const jump = { ...policy, rules: [...open, reserveRule] };
    expect(computeDrift(jump, Object.values(later), hosts).unusedRules.map((r) => r.id)).toEqual(['g1>g3:tcp/6379']);
    // Beside a closed rule instead (no admin group): that SSH asked for the closed rule, not for every host.
    const closed = { ...policy, rules: [...policy.rules, reserveRule] };
    expect(computeDrift(closed, Object.values(later), hosts).unusedRules.map((r) => r.id)).toEqual(['g1>g3:tcp/6379', 'g1>internal:tcp/22']);
    // No SSH in the window: both are removal candidates.
    const quiet = computeDrift(jump, Object.values(later).filter((e) => e !== later.ssh), hosts);
    expect(quiet.unusedRules.map((r) => r.id)).toEqual(['g1>g2:tcp/22', 'g1>g3:tcp/6379', 'g1>internal:tcp/22']);
  });

  it('does not list a rejected rule as unused', () => {
    const rejected = { ...policy, rules: policy.rules.map((r) => (r.id === 'g1>g3:tcp/6379' ? { ...r, state: 'rejected' as const } : r)) };
    expect(computeDrift(rejected, Object.values(later), hosts).unusedRules).toEqual([]);
  });

  it('does not list a rule opened ahead of traffic (a companion port, an idle replica\'s) as unused', () => {
    const ahead = {
      ...policy,
      rules: policy.rules.map((r) =>
        r.id === 'g1>g3:tcp/6379' ? { ...r, evidence: { ...r.evidence, edges: [], steps: [{ step: 'companion' as const, detail: 'comes with another rule' }] } } : r,
      ),
    };
    expect(computeDrift(ahead, Object.values(later), hosts).unusedRules).toEqual([]);
    // Without edges but with no step saying why, it is a removal candidate like any other.
    const bare = { ...policy, rules: policy.rules.map((r) => (r.id === 'g1>g3:tcp/6379' ? { ...r, evidence: { ...r.evidence, edges: [], steps: [] } } : r)) };
    expect(computeDrift(bare, Object.values(later), hosts).unusedRules.map((r) => r.id)).toEqual(['g1>g3:tcp/6379']);
  });

  it('places the hosts that appeared since', () => {
    expect(drift.newHosts.map((h) => [h.ip, h.group, h.confidence])).toEqual([
      ['10.0.1.50', 'g1', 1],
      ['10.0.1.60', 'g1', 0.632],
      ['10.0.2.9', 'g2', 0.707],
      ['10.0.7.7', null, 0],
      ['10.0.8.8', null, 0.183],
    ]);
  });
});
