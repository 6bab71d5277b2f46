// The quality harness's measures on tiny inputs worked out by hand, with
// cases on both sides of each target.
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, idealGroupPairs, overPermission, scoreAnomalies, structuralCeiling, TARGETS, wouldBreak, type ReplayVerdict } from './metrics';

describe('adjustedRandIndex', () => {
  it('is 1 for the same partition under other names, whatever the order', () => {
    expect(adjustedRandIndex(['x', 'x', 'y', 'y'], ['a', 'a', 'b', 'b'])).toBe(1);
    expect(adjustedRandIndex(['q', 'p', 'q'], ['b', 'a', 'b'])).toBe(1);
  });

  it('matches the hand computation for one host put in the wrong group', () => {
    // predicted {1,2,3}{4,5,6}, truth {1,2}{3,4,5,6}: n = 6, C(6,2) = 15.
    // Contingency cells: (p1,t1) 2, (p1,t2) 1, (p2,t2) 3 → index = 1 + 0 + 3 = 4.
    // Rows: 3, 3 → a = 3 + 3 = 6. Columns: 2, 4 → b = 1 + 6 = 7.
    // expected = 6·7/15 = 2.8; max = (6 + 7)/2 = 6.5; ARI = (4 − 2.8)/(6.5 − 2.8) = 1.2/3.7.
    expect(adjustedRandIndex(['p1', 'p1', 'p1', 'p2', 'p2', 'p2'], ['t1', 't1', 't2', 't2', 't2', 't2'])).toBeCloseTo(1.2 / 3.7, 12);
  });

  it('is 0 when one side puts everything in one group and the other does not', () => {
    // a = C(4,2) = 6, b = 1 + 1 = 2, index = 2: expected = 6·2/6 = 2 = index → 0.
    expect(adjustedRandIndex(['g', 'g', 'g', 'g'], ['a', 'a', 'b', 'b'])).toBe(0);
    // All singletons on both sides: the same partition.
    expect(adjustedRandIndex(['1', '2', '3'], ['a', 'b', 'c'])).toBe(1);
  });

  it('lands on either side of the 0.9 and 0.95 targets as expected', () => {
    // 20 hosts in 4 true groups of 5; one host moved to another group's cluster.
    const truth = Array.from({ length: 20 }, (_, i) => `t${Math.floor(i / 5)}`);
    const oneMoved = truth.map((t, i) => (i === 0 ? 't1' : t));
    // Cells: (t1,t0) 1 and (t0,t0) 4, (t1,t1) 5, t2 5, t3 5 → index = 6 + 10·3 = 36.
    // Rows: 4, 6, 5, 5 → a = 6 + 15 + 10 + 10 = 41; columns 5 × 4 → b = 40; C(20,2) = 190.
    // expected = 41·40/190 = 8.6316; max = 40.5; ARI = (36 − 8.6316)/(40.5 − 8.6316) = 0.8588.
    const ari = adjustedRandIndex(oneMoved, truth);
    expect(ari).toBeCloseTo((36 - (41 * 40) / 190) / (40.5 - (41 * 40) / 190), 12);
    expect(ari).toBeGreaterThan(TARGETS.ariNoLabels);
    expect(ari).toBeLessThan(TARGETS.ariEnterprise);
    // One group split in two (4 + 1): index = 6 + 30 = 36, a = 6 + 0 + 30 = 36, b = 40.
    // expected = 36·40/190 = 7.5789; max = 38; ARI = (36 − 7.5789)/(38 − 7.5789) = 0.9343.
    const split = truth.map((t, i) => (i === 0 ? 'alone' : t));
    const splitAri = adjustedRandIndex(split, truth);
    expect(splitAri).toBeCloseTo((36 - (36 * 40) / 190) / (38 - (36 * 40) / 190), 12);
    expect(splitAri).toBeGreaterThan(TARGETS.ariEnterprise);
    expect(splitAri).toBeLessThan(TARGETS.ariTopology);
  });
});

describe('idealGroupPairs and overPermission', () => {
  // Hosts: web1, web2 (group web), db1 (group db), dns1 (group dns), and x (no truth group).
  const groupOf = new Map([
    ['web1', 'web'],
    ['web2', 'web'],
    ['db1', 'db'],
    ['dns1', 'dns'],
  ]);
  const hosts = ['web1', 'web2', 'db1', 'dns1', 'x'];

  it('allows every member of a group to reach every member of a group it was seen using', () => {
    // Edges web1→db1, web2→db1 (one group pair web→db: 2·1 = 2 pairs), web1→dns1, db1→dns1
    // (web→dns: 2·1 = 2; db→dns: 1·1 = 1), web1→web2 (web→web: 2·(2−1) = 2), x→dns1
    // (host:x→dns: 1). Total 2 + 2 + 1 + 2 + 1 = 8 over 5 group pairs; an edge from a host
    // not counted (outside) and a self edge count for nothing.
    const legit = [
      ['web1', 'db1'],
      ['web2', 'db1'],
      ['web1', 'dns1'],
      ['db1', 'dns1'],
      ['web1', 'web2'],
      ['x', 'dns1'],
      ['outside', 'web1'],
      ['db1', 'db1'],
    ] as const;
    expect(idealGroupPairs(hosts, groupOf, legit)).toEqual({ pairs: 8, groupPairs: 5 });
  });

  it('measures the policy against the ideal, on both sides of +10%', () => {
    // 8 ideal pairs: 8 allowed → 0; 9 → +12.5% (miss); 7 (stricter than ideal) → −12.5%.
    expect(overPermission(8, 8)).toBe(0);
    expect(overPermission(9, 8)).toBeCloseTo(0.125, 12);
    expect(overPermission(9, 8)).toBeGreaterThan(TARGETS.overPermission);
    expect(overPermission(7, 8)).toBeCloseTo(-0.125, 12);
    // 110 of 100 is exactly the target; 111 is over it.
    expect(overPermission(110, 100)).toBeCloseTo(0.1, 12);
    expect(overPermission(111, 100)).toBeGreaterThan(TARGETS.overPermission);
    expect(overPermission(0, 0)).toBe(0);
    expect(overPermission(1, 0)).toBe(Infinity);
  });
});

describe('structuralCeiling', () => {
  // Servers: api1, api2 (api, both used by the web and using db1), db1 (db), and four
  // idle databases, a1, a2 (one service) and b1, b2 (another), only ever probed by a node
  // and scraped by the monitor; node and mon have truth groups, ext does not.
  const groupOf = new Map([
    ['web', 'web'],
    ['api1', 'api'],
    ['api2', 'api'],
    ['db1', 'db'],
    ['a1', 'a'],
    ['a2', 'a'],
    ['b1', 'b'],
    ['b2', 'b'],
    ['node1', 'node'],
    ['node2', 'node'],
    ['mon', 'mon'],
  ]);
  const active = [
    ['web', 'api1', 6, 8080],
    ['web', 'api2', 6, 8080],
    ['api1', 'db1', 6, 27017],
    ['api2', 'db1', 6, 27017],
    ['ext', 'web', 6, 443],
  ] as const;
  // Each idle database is probed by the node it runs on: node1 for a1 and b1, node2 for a2 and b2.
  const idle = ['a1', 'a2', 'b1', 'b2'].flatMap((db, index) => [
    [index % 2 === 0 ? 'node1' : 'node2', db, 6, 27017] as const,
    ['mon', db, 6, 9100] as const,
  ]);
  const servers = ['api1', 'api2', 'db1', 'a1', 'a2', 'b1', 'b2'];

  it('is 1 when every service behaves in its own way, peers named by their truth group', () => {
    // The idle databases of one service only: a1, a2 are alike and of one truth group.
    const only = idle.filter(([, db]) => db.startsWith('a'));
    expect(structuralCeiling(['api1', 'api2', 'db1', 'a1', 'a2'], groupOf, [...active, ...only])).toBe(1);
  });

  it('puts hosts of different services that behave alike in one group, whatever node probes them', () => {
    // Truth {api1, api2} {db1} {a1, a2} {b1, b2}; best {api1, api2} {db1} {a1, a2, b1, b2}.
    // n = 7, C(7,2) = 21. Cells: 1 + 0 + 1 + 1 = 3 = index. Rows: 1 + 0 + 6 = 7. Columns: 1 + 0 + 1 + 1 = 3.
    // expected = 7·3/21 = 1; max = 5; ARI = (3 − 1)/(5 − 1) = 0.5.
    expect(structuralCeiling(servers, groupOf, [...active, ...idle])).toBeCloseTo(0.5, 12);
  });

  it('does not let what one replica did by chance tell services apart', () => {
    // Name lookups over TCP are common (api1, api2, db1 and b1: 4 of 7 servers), but b1
    // made one and b2 did not. Half of b is no majority: the lookup is chance, and a1, a2,
    // b1, b2 stay alike (0.5, as above).
    const withLookup = [...active, ...idle, ...['api1', 'api2', 'db1', 'b1'].map((host) => [host, 'dns', 6, 53] as const)];
    expect(structuralCeiling(servers, new Map([...groupOf, ['dns', 'dns']]), withLookup)).toBeCloseTo(0.5, 12);
    // Done by both b's, it is their behaviour: b parts from a, and the ceiling is 1.
    const bothLookup = [...withLookup, ['b2', 'dns', 6, 53] as const];
    expect(structuralCeiling(servers, new Map([...groupOf, ['dns', 'dns']]), bothLookup)).toBe(1);
  });

  it('keeps the active replicas of a service apart from its idle ones only when the idle ones are ambiguous', () => {
    // a3 is a third replica of a that the api uses: behaving unlike a1 and a2 (an
    // application's call counts however few replicas got it), it keeps truth group a,
    // while a1, a2, b1, b2 share one behaviour. Truth {a1,a2,a3} {b1,b2}:
    // best {a3} {a1,a2,b1,b2}. n = 5, C = 10. Cells (a1,a2) 1 + (b1,b2) 1 = 2.
    // Rows: 0 + 6 = 6. Columns: 3 + 1 = 4. expected = 6·4/10 = 2.4; max = 5 → (2 − 2.4)/(5 − 2.4).
    const withA3 = new Map([...groupOf, ['a3', 'a']]);
    // a3 is probed and scraped like the others: only the api's call sets it apart.
    const edges = [...idle, ['node1', 'a3', 6, 27017] as const, ['mon', 'a3', 6, 9100] as const, ['api1', 'a3', 6, 27017] as const];
    expect(structuralCeiling(['a1', 'a2', 'a3', 'b1', 'b2'], withA3, edges)).toBeCloseTo(-0.4 / 2.6, 12);
  });
});

describe('wouldBreak', () => {
  const known = new Set(['s1|6|443', 's2|6|22', 's3|6|445']);
  const legit = new Set(['c1|s1|6|443', 'c2|s1|6|443', 'c1|s2|6|22', 'c1|s3|6|445', 'c1|s4|6|8080']);
  const admin = new Set(['c1|s2|6|22']);
  const v = (key: string, verdict: ReplayVerdict['verdict'], cause: string | null = null): ReplayVerdict => ({ key, verdict, cause });

  it('counts blocked legitimate edges of known services, with admin JIT and new services apart', () => {
    const replay = [
      v('c1|s1|6|443', 'permitted'),
      // The same edge's second action row, blocked: the edge counts once, as blocked.
      v('c2|s1|6|443', 'permitted'),
      v('c2|s1|6|443', 'escaped', 'no-rule'),
      // Remote administration behind a closed just-in-time rule: by design.
      v('c1|s2|6|22', 'escaped', 'just-in-time'),
      // SMB to a file server is not remote administration: a JIT rule there breaks it.
      v('c1|s3|6|445', 'escaped', 'just-in-time'),
      // A service never used in training: drift.
      v('c1|s4|6|8080', 'escaped', 'no-rule'),
      // Not legitimate (an attack), and refused today: neither counts.
      v('evil|s1|6|443', 'escaped', 'no-rule'),
      v('c1|s1|6|443', 'rejected'),
    ];
    // Counted: c1→s1 (ok), c2→s1 (broken), c1→s3 (broken, by JIT) = 3 edges, 2 broken.
    expect(wouldBreak(replay, legit, admin, known)).toEqual({ edges: 3, broken: 2, rate: 2 / 3, brokenByJit: 1, adminJit: 1, newServiceEdges: 1, newServiceBlocked: 1 });
  });

  it('lands on both sides of the 0.5% target', () => {
    // 1 broken of 200 = 0.5% (met); 1 of 199 = 0.5025% (missed).
    const many = (n: number): { replay: ReplayVerdict[]; legit: Set<string> } => {
      const keys = Array.from({ length: n }, (_, i) => `c${i}|s1|6|443`);
      return { replay: keys.map((key, i) => v(key, i === 0 ? 'escaped' : 'permitted', i === 0 ? 'no-rule' : null)), legit: new Set(keys) };
    };
    const met = many(200);
    expect(wouldBreak(met.replay, met.legit, new Set(), known).rate).toBeLessThanOrEqual(TARGETS.wouldBreak);
    const missed = many(199);
    expect(wouldBreak(missed.replay, missed.legit, new Set(), known).rate).toBeGreaterThan(TARGETS.wouldBreak);
    expect(wouldBreak([], new Set(), new Set(), known).rate).toBe(0);
  });
});

describe('scoreAnomalies', () => {
  const attacks = [
    { kind: 'scan', src: 'a', dsts: ['t1', 't2'] },
    { kind: 'exfiltration', src: 'db', dsts: ['drop'] },
    { kind: 'lateral-movement', src: 'm', dsts: [] },
  ];

  it('finds an attack by kind, source and a destination touched; the same pair under another kind is no false flag', () => {
    const score = scoreAnomalies(attacks, [
      { kind: 'scan', src: 'a', dst: '2 hosts', edges: ['a|t9|6|22', 'a|t2|6|80'] },
      { kind: 'new-external', src: 'db', dst: 'drop', edges: ['db|drop|6|443'] },
      { kind: 'lateral-movement', src: 'm', dst: 'anything', edges: [] },
      { kind: 'scan', src: 'innocent', dst: 'x', edges: ['innocent|x|6|22'] },
    ]);
    expect(score.byKind).toEqual({ scan: { planted: 1, found: 1 }, exfiltration: { planted: 1, found: 0 }, 'lateral-movement': { planted: 1, found: 1 } });
    expect(score.found).toBe(2);
    expect(score.missed).toEqual(['exfiltration db']);
    expect(score.falseFlags).toBe(1);
  });

  it('counts false flags on both sides of the limit of 5', () => {
    const noise = (n: number) => Array.from({ length: n }, (_, i) => ({ kind: 'scan', src: `h${i}`, dst: 'x', edges: [] }));
    expect(scoreAnomalies(attacks, noise(5)).falseFlags).toBeLessThanOrEqual(TARGETS.falseFlags);
    expect(scoreAnomalies(attacks, noise(6)).falseFlags).toBeGreaterThan(TARGETS.falseFlags);
  });
});
