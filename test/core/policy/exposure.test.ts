import { describe, expect, it } from 'vitest';
import { computeExposure } from '../../../src/core/policy/exposure';
import { GroupResolver } from '../../../src/core/policy/membership';
import { DEFAULT_POLICY_SETTINGS, type PolicyGroup, type PolicyRule } from '../../../src/core/policy/policy-model';
import { EVERYONE, group, host, rule } from './fixtures';

const tcp = (port: number, to = port): { from: number; to: number } => ({ from: port, to });

function exposure(groups: readonly PolicyGroup[], unplaced: readonly string[], rules: readonly PolicyRule[], hops?: number) {
  const resolver = new GroupResolver([...groups, EVERYONE], DEFAULT_POLICY_SETTINGS);
  const hosts = [...groups.flatMap((g) => (g.kind === 'external' ? [] : g.members)), ...unplaced].map((ip) => host(ip));
  return computeExposure(hosts, (h) => resolver.place(h).group, rules, DEFAULT_POLICY_SETTINGS, hops);
}

describe('computeExposure: pairs', () => {
  // g1: 3 hosts, g2: 2, g3: 1, and one internal host in no group: 7 hosts.
  const groups = [
    group('g1', ['10.0.1.1', '10.0.1.2', '10.0.1.3']),
    group('g2', ['10.0.2.1', '10.0.2.2']),
    group('g3', ['10.0.3.1']),
    group('ext:198.51.100.0/24', ['198.51.100.7'], { kind: 'external' }),
  ];
  const unplaced = ['10.0.9.9'];
  const rules = [
    rule('g1', 'g1', 6, tcp(443)), // within g1: 3·2 = 6
    rule('g1', 'g2', 6, tcp(5432)), // 3·2 = 6
    rule('internal', 'g3', 17, tcp(53)), // every host to g3: 3 + 2 + 0 + 1 = 6
    rule('g1', 'g3', 6, tcp(443)), // already counted through "internal"
    rule('g2', 'g3', 6, tcp(22), { jit: { requesters: [] } }), // closed
    rule('g2', 'g1', 6, tcp(8080), { state: 'rejected' }), // closed
    rule('g3', 'g1', 6, tcp(20, 30), { window: DEFAULT_POLICY_SETTINGS.businessHours }), // open, windowed: 1·3 = 3; an admin range (22, 23)
    rule('g1', 'ext:198.51.100.0/24', 6, tcp(443)), // not internal
  ];

  it('counts n·(n−1) flat pairs and the pairs open rules allow', () => {
    const result = exposure(groups, unplaced, rules);
    expect(result.flatPairs).toBe(42);
    expect(result.policyPairs).toBe(21);
    expect(result.reduction).toBe(0.5);
  });

  it('counts only open admin-service rules as admin paths (just-in-time counts as closed)', () => {
    expect(exposure(groups, unplaced, rules).adminPaths).toBe(3);
    const opened = rules.map((r) => (r.id === 'g2>g3:tcp/22' ? { ...r, jit: null } : r));
    // g2 → g3 on ssh: 2·1 more.
    expect(exposure(groups, unplaced, opened).adminPaths).toBe(5);
    expect(exposure(groups, unplaced, opened).policyPairs).toBe(21);
  });

  it('gives each host the hosts it reaches within k hops', () => {
    const three = exposure(groups, unplaced, rules).blastRadius;
    // g1, g2 and g3 hosts reach the 5 others of g1 ∪ g2 ∪ g3; the unplaced host reaches all 6 of them in 3 hops.
    expect(three).toMatchObject({ hops: 3, max: 6 });
    expect(three.mean).toBeCloseTo(36 / 7, 12);
    expect(three.top[0]).toEqual({ ip: '10.0.9.9', reachable: 6 });
    expect(three.top).toHaveLength(7);
    expect(three.top.slice(1).every((entry) => entry.reachable === 5)).toBe(true);
    const one = exposure(groups, unplaced, rules, 1).blastRadius;
    // One hop: g1 5, g2 1, g3 3, unplaced 1 → (15 + 2 + 3 + 1) / 7 = policy pairs / hosts.
    expect(one.mean).toBe(3);
    expect(one.top.map((e) => `${e.ip}=${e.reachable}`)).toEqual(['10.0.1.1=5', '10.0.1.2=5', '10.0.1.3=5', '10.0.3.1=3', '10.0.2.1=1', '10.0.2.2=1', '10.0.9.9=1']);
  });

  it('counts a rule to "internal" as reaching every other host, and internal → internal as the flat network', () => {
    const small = [group('g1', ['10.0.1.1', '10.0.1.2']), group('g2', ['10.0.2.1', '10.0.2.2', '10.0.2.3'])];
    const toAll = exposure(small, [], [rule('g1', 'internal', 6, tcp(443))]);
    expect(toAll).toMatchObject({ flatPairs: 20, policyPairs: 8, adminPaths: 0 });
    expect(toAll.blastRadius.top.map((e) => e.reachable)).toEqual([4, 4, 0, 0, 0]);
    const flat = exposure(small, [], [rule('internal', 'internal', 6, tcp(443))]);
    expect(flat).toMatchObject({ flatPairs: 20, policyPairs: 20, reduction: 0 });
  });

  it('is all zeros without hosts (as written to JSON)', () => {
    expect(JSON.parse(JSON.stringify(exposure([], [], [])))).toEqual({ flatPairs: 0, policyPairs: 0, reduction: 0, adminPaths: 0, blastRadius: { hops: 3, mean: 0, max: 0, top: [] } });
  });

  // src/core/policy/exposure.ts computeExposure: flatPairs = total * (total - 1) is 0 * -1 = -0 without hosts;
  // formatCount (Math.round(-0).toLocaleString('en')) then prints "-0" in the CLI's exposure line.
  it('gives +0 flat pairs, not -0, without hosts', () => {
    expect(exposure([], [], []).flatPairs).toBe(0);
  });
});

describe('computeExposure: blast radius on a chain', () => {
  // gA(1) → gB(2) → gC(3) → gD(4) → gE(5): 15 hosts.
  const sizes = { A: 1, B: 2, C: 3, D: 4, E: 5 };
  const groups = Object.entries(sizes).map(([name, size], k) => group(`g${name}`, Array.from({ length: size }, (_, i) => `10.0.${k + 1}.${i + 1}`)));
  const rules = [rule('gA', 'gB', 6, tcp(443)), rule('gB', 'gC', 6, tcp(443)), rule('gC', 'gD', 6, tcp(443)), rule('gD', 'gE', 6, tcp(443))];

  it('counts the chain\'s one-hop pairs', () => {
    expect(exposure(groups, [], rules)).toMatchObject({ flatPairs: 210, policyPairs: 2 + 6 + 12 + 20, adminPaths: 0 });
  });

  it('reaches 3 groups down the chain within 3 hops', () => {
    const radius = exposure(groups, [], rules, 3).blastRadius;
    // A: B+C+D = 9, B: C+D+E = 12, C: D+E = 9, D: E = 5, E: 0 → (9 + 2·12 + 3·9 + 4·5) / 15.
    expect(radius.max).toBe(12);
    expect(radius.mean).toBeCloseTo(80 / 15, 12);
    expect(radius.top.map((e) => `${e.ip}=${e.reachable}`)).toEqual([
      '10.0.2.1=12', '10.0.2.2=12', '10.0.1.1=9', '10.0.3.1=9', '10.0.3.2=9', '10.0.3.3=9', '10.0.4.1=5', '10.0.4.2=5', '10.0.4.3=5', '10.0.4.4=5',
    ]);
  });

  it('depends on k', () => {
    expect(exposure(groups, [], rules, 1).blastRadius.mean).toBeCloseTo(40 / 15, 12);
    // Two hops: A 5, B 7, C 9, D 5, E 0.
    expect(exposure(groups, [], rules, 2).blastRadius.mean).toBeCloseTo((5 + 2 * 7 + 3 * 9 + 4 * 5) / 15, 12);
    expect(exposure(groups, [], rules, 4).blastRadius.max).toBe(14);
  });
});
