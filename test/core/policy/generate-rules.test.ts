import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RuleGenerator } from '../../../src/core/policy/generate-rules';
import { DEFAULT_POLICY_SETTINGS, type PolicyRule } from '../../../src/core/policy/policy-model';
import { PolicyEvaluator } from '../../../src/core/policy/simulate';
import { HOUR, T0, edge, generate, generatorInput, host, hostsOf, how, pick, policyOf, prng, randomInput, ruleIds, specOf, type GroupDef } from './fixtures';

const byId = (rules: readonly PolicyRule[], id: string): PolicyRule => {
  const found = rules.find((r) => r.id === id);
  if (found === undefined) throw new Error(`no rule ${id} among ${ruleIds(rules).join(', ')}`);
  return found;
};
const steps = (r: PolicyRule): string[] => r.evidence.steps.map((s) => s.step);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('RuleGenerator: least privilege', () => {
  const groups: GroupDef[] = [
    { id: 'g1', name: 'web', members: ['10.0.1.1', '10.0.1.2'] },
    { id: 'g2', name: 'db', members: ['10.0.2.1', '10.0.2.2'] },
  ];
  const edges = [
    edge('10.0.1.1', '10.0.2.1', 443, { flows: 3, bytes: 300 }),
    edge('10.0.1.2', '10.0.2.1', 443, { flows: 2, bytes: 200 }),
    edge('10.0.1.1', '10.0.2.2', 443, { flows: 1, bytes: 100 }),
    edge('10.0.1.1', '10.0.2.1', 5432, { flows: 4, bytes: 400 }),
    edge('10.0.2.1', '10.0.1.1', 53, { proto: 17, flows: 5, bytes: 500 }),
  ];

  it('makes one rule per group pair and service, in id order', () => {
    const generator = generate({ edges, groups });
    const rules = generator.rules();
    // DNS over TCP comes with DNS over UDP (companion-rules.ts).
    expect(ruleIds(rules)).toEqual(['g1>g2:tcp/443', 'g1>g2:tcp/5432', 'g2>g1:tcp/53', 'g2>g1:udp/53']);
    expect(generator.stats).toEqual({ edges: 5, refusedEdges: 0, flaggedEdges: 0, unplacedEdges: 0, usedEdges: 5 });
    const https = byId(rules, 'g1>g2:tcp/443');
    expect(https).toMatchObject({ from: 'g1', to: 'g2', service: 'tcp/443', proto: 6, ports: { from: 443, to: 443 }, window: null, identity: null, jit: null, state: 'proposed' });
    expect(https.evidence).toMatchObject({ flows: 6, bytes: 600, clients: 2, servers: 2, steps: [] });
    expect(https.evidence.edges.map((e) => `${e.client}>${e.server}`)).toEqual(['10.0.1.1>10.0.2.1', '10.0.1.1>10.0.2.2', '10.0.1.2>10.0.2.1']);
  });

  it('says when a rule covers group members it never saw ("group" step)', () => {
    const rules = generate({ edges, groups }).rules();
    expect(byId(rules, 'g1>g2:tcp/5432').evidence.steps).toEqual([
      { step: 'group', detail: '1 of the 2 members of g1 (web) seen as clients; the rule covers the whole group' },
      { step: 'group', detail: '1 of the 2 members of g2 (db) seen as servers; the rule covers the whole group' },
    ]);
    expect(byId(rules, 'g2>g1:udp/53')).toMatchObject({ proto: 17, ports: { from: 53, to: 53 }, evidence: { flows: 5, clients: 1, servers: 1 } });
  });
});

describe('RuleGenerator: what is not evidence', () => {
  const groups: GroupDef[] = [
    { id: 'g1', name: 'web', members: ['10.0.1.1', '10.0.1.2'] },
    { id: 'g2', name: 'db', members: ['10.0.2.1', '10.0.2.2'] },
  ];
  const edges = [
    edge('10.0.1.1', '10.0.2.1', 8080, { action: 2, flows: 9 }), // only refused
    edge('10.0.1.1', '10.0.2.2', 8081, { action: 2 }), // only refused, and flagged
    edge('10.0.1.2', '10.0.2.2', 6379), // flagged
    edge('10.0.1.2', '10.0.2.2', 9200, { action: 2, flows: 5 }), // refused row …
    edge('10.0.1.2', '10.0.2.2', 9200, { action: 0, flows: 3 }), // … and an unknown-action row
    edge('10.0.1.2', '10.0.2.2', 443, { action: 1, flows: 2 }),
    edge('10.0.1.2', '10.0.2.2', 443, { action: 2, flows: 7 }),
    edge('10.0.9.9', '10.0.2.1', 443), // internal client in no group
  ];

  it('makes no rule from refused-only, flagged or unplaced edges, and counts each', () => {
    const generator = generate({ edges, groups, flagged: ['10.0.1.2|10.0.2.2|6|6379', '10.0.1.1|10.0.2.2|6|8081'] });
    const rules = generator.rules();
    expect(ruleIds(rules)).toEqual(['g1>g2:tcp/443', 'g1>g2:tcp/9200']);
    expect(generator.stats).toEqual({ edges: 6, refusedEdges: 2, flaggedEdges: 1, unplacedEdges: 1, usedEdges: 2 });
    // Refused rows of an otherwise allowed service are not evidence either.
    expect(byId(rules, 'g1>g2:tcp/443').evidence.flows).toBe(2);
    expect(byId(rules, 'g1>g2:tcp/9200').evidence.flows).toBe(3);
  });

  it('merges the allowed and unknown rows of one service into one evidence edge', () => {
    const rows = [
      edge('10.0.1.1', '10.0.2.1', 443, { action: 1, flows: 2, bytes: 20, firstMs: T0 + 5 * HOUR, lastMs: T0 + 6 * HOUR, hours: 2 }),
      edge('10.0.1.1', '10.0.2.1', 443, { action: 0, flows: 3, bytes: 30, firstMs: T0 + 1 * HOUR, lastMs: T0 + 3 * HOUR, hours: 3 }),
    ];
    const generator = generate({ edges: rows, groups });
    expect(generator.edges).toHaveLength(1);
    expect(generator.edges[0]).toMatchObject({ action: 1, flows: 5, bytes: 50, firstMs: T0 + HOUR, lastMs: T0 + 6 * HOUR, hours: 3 });
    const [only] = generator.rules();
    expect(only!.evidence).toMatchObject({ flows: 5, bytes: 50, firstSeen: iso(T0 + HOUR), lastSeen: iso(T0 + 6 * HOUR) });
    expect(only!.evidence.edges).toEqual([{ client: '10.0.1.1', server: '10.0.2.1', port: 443, flows: 5, bytes: 50, firstSeen: iso(T0 + HOUR), lastSeen: iso(T0 + 6 * HOUR) }]);
  });
});

describe('RuleGenerator: lifting', () => {
  const clients = ['10.0.1.1', '10.0.2.1', '10.0.3.1', '10.0.4.1'];
  const groups = (extra: number): GroupDef[] => [
    { id: 'g1', members: ['10.0.1.1'] },
    { id: 'g2', members: ['10.0.2.1'] },
    { id: 'g3', members: ['10.0.3.1'] },
    { id: 'g4', members: ['10.0.4.1'] },
    { id: 'g5', name: 'api', members: ['10.0.5.1', '10.0.5.2'] },
    // Groups with members and no traffic still count in the denominator.
    ...Array.from({ length: extra }, (_, k) => ({ id: `h${k}`, members: [`10.0.${6 + k}.1`] })),
  ];
  const edges = [
    ...clients.slice(0, 3).map((c) => edge(c, '10.0.5.1', 8080)),
    edge('10.0.5.2', '10.0.5.1', 8080),
    ...clients.slice(0, 2).map((c) => edge(c, '10.0.5.1', 9000)),
    ...clients.map((c) => edge(c, '10.0.5.1', 22)),
  ];

  it('lifts a service 3 of the 4 other groups use to one rule from "internal", and drops the per-group rules', () => {
    const rules = generate({ edges, groups: groups(0) }).rules();
    expect(ruleIds(rules)).toEqual(['g1>g5:tcp/22', 'g1>g5:tcp/9000', 'g2>g5:tcp/22', 'g2>g5:tcp/9000', 'g3>g5:tcp/22', 'g4>g5:tcp/22', 'internal>g5:tcp/8080']);
    const lifted = byId(rules, 'internal>g5:tcp/8080');
    expect(lifted).toMatchObject({ from: 'internal', to: 'g5', jit: null, evidence: { clients: 4, servers: 1, flows: 4 } });
    // The server group's own use of the service is part of the lifted rule.
    expect(lifted.evidence.edges.map((e) => e.client)).toEqual(['10.0.1.1', '10.0.2.1', '10.0.3.1', '10.0.5.2']);
    expect(lifted.evidence.steps).toEqual([
      { step: 'group', detail: '1 of the 2 members of g5 (api) seen as servers; the rule covers the whole group' },
      { step: 'lift', detail: 'used by 3 of the 4 other internal groups, holding 3 of the 4 other internal hosts (lifted at ≥ 50% and ≥ 3 groups, ≥ 50% of hosts): one rule from every internal host' },
    ]);
  });

  it('never lifts an admin service: used by all 4 other groups, tcp/22 stays one just-in-time rule per group', () => {
    const rules = generate({ edges, groups: groups(0) }).rules();
    for (const g of ['g1', 'g2', 'g3', 'g4']) expect(byId(rules, `${g}>g5:tcp/22`).jit).toEqual({ requesters: [] });
    expect(rules.some((r) => r.id === 'internal>g5:tcp/22')).toBe(false);
  });

  it('lifts at exactly 50 % (3 of 6 other groups) but not below (3 of 7)', () => {
    expect(ruleIds(generate({ edges, groups: groups(2) }).rules())).toContain('internal>g5:tcp/8080');
    const below = ruleIds(generate({ edges, groups: groups(3) }).rules());
    expect(below).not.toContain('internal>g5:tcp/8080');
    expect(below.filter((id) => id.endsWith(':tcp/8080'))).toEqual(['g1>g5:tcp/8080', 'g2>g5:tcp/8080', 'g3>g5:tcp/8080', 'g5>g5:tcp/8080']);
  });
});

describe('RuleGenerator: lifting weighs the hosts of the user groups', () => {
  // g1–g3 (one host each) use tcp/8080 on g5; g4, a department of 5 desktops, never does.
  const groups: GroupDef[] = [
    { id: 'g1', members: ['10.0.1.1'] },
    { id: 'g2', members: ['10.0.2.1'] },
    { id: 'g3', members: ['10.0.3.1'] },
    { id: 'g4', name: 'desktops', members: ['10.0.4.1', '10.0.4.2', '10.0.4.3', '10.0.4.4', '10.0.4.5'] },
    { id: 'g5', name: 'api', members: ['10.0.5.1'] },
  ];
  const edges = ['10.0.1.1', '10.0.2.1', '10.0.3.1'].map((client) => edge(client, '10.0.5.1', 8080));

  it('does not lift a service 3 of 4 groups use when they hold 3 of the 8 other hosts: the desktops stay closed', () => {
    const ids = ruleIds(generate({ edges, groups }).rules());
    expect(ids).toEqual(['g1>g5:tcp/8080', 'g2>g5:tcp/8080', 'g3>g5:tcp/8080']);
  });

  it('lifts it at half the hosts, and says how many the user groups hold', () => {
    const settings = { ...DEFAULT_POLICY_SETTINGS, liftMinHostShare: 3 / 8 };
    const rules = generate({ edges, groups, settings }).rules();
    expect(ruleIds(rules)).toEqual(['internal>g5:tcp/8080']);
    expect(rules[0]!.evidence.steps).toEqual([
      { step: 'lift', detail: 'used by 3 of the 4 other internal groups, holding 3 of the 8 other internal hosts (lifted at ≥ 50% and ≥ 3 groups, ≥ 38% of hosts): one rule from every internal host' },
    ]);
  });

  it('decides again when a move resizes a user group, though no moved host uses the service', () => {
    const input = generatorInput({ edges, groups });
    const generator = new RuleGenerator(input);
    const moves = [{ ip: '10.0.4.1', to: 'g1' }, { ip: '10.0.4.2', to: 'g1' }];
    // g1 now holds 3 hosts: the user groups hold 5 of the 8 others.
    const diff = generator.update(moves, input.groups);
    expect(diff.added).toEqual(['internal>g5:tcp/8080']);
    expect(diff.removed).toEqual(['g1>g5:tcp/8080', 'g2>g5:tcp/8080', 'g3>g5:tcp/8080']);
    const fresh = new RuleGenerator({ ...input, assignment: new Map([...input.assignment, ['10.0.4.1', 'g1'], ['10.0.4.2', 'g1']]) });
    expect(generator.rules()).toEqual(fresh.rules());
  });
});

describe('RuleGenerator: lifting the other way (one client, every group)', () => {
  // g9, a monitoring host, scrapes node-exporter (tcp/9100) on g1–g4 and reaches them over SSH; g5 (2 hosts) has no exporter.
  const groups = (extra: number): GroupDef[] => [
    { id: 'g1', members: ['10.0.1.1'] },
    { id: 'g2', members: ['10.0.2.1'] },
    { id: 'g3', members: ['10.0.3.1'] },
    { id: 'g4', members: ['10.0.4.1'] },
    { id: 'g5', members: ['10.0.5.1', '10.0.5.2'] },
    { id: 'g9', name: 'monitoring', members: ['10.0.9.1'] },
    ...Array.from({ length: extra }, (_, k) => ({ id: `h${k}`, members: [`10.0.${20 + k}.1`] })),
  ];
  const targets = ['10.0.1.1', '10.0.2.1', '10.0.3.1', '10.0.4.1'];
  const edges = [...targets.map((server) => edge('10.0.9.1', server, 9100)), ...targets.map((server) => edge('10.0.9.1', server, 22)), edge('10.0.1.1', '10.0.5.1', 443)];

  it('makes one rule to "internal" for a service one group uses on most others, and drops the per-group rules', () => {
    const rules = generate({ edges, groups: groups(0) }).rules();
    expect(ruleIds(rules).filter((id) => id.includes('9100'))).toEqual(['g9>internal:tcp/9100']);
    const fanned = byId(rules, 'g9>internal:tcp/9100');
    expect(fanned).toMatchObject({ from: 'g9', to: 'internal', jit: null, evidence: { clients: 1, servers: 4, flows: 4 } });
    expect(fanned.evidence.steps.at(-1)).toEqual({
      step: 'lift',
      detail: 'used on 4 of the 5 other internal groups, holding 4 of the 6 other internal hosts (lifted at ≥ 50% and ≥ 3 groups, ≥ 50% of hosts): one rule to every internal host',
    });
  });

  it('administration from an admin station (three hosts or more outside it): one just-in-time rule to every internal host, closed', () => {
    const rules = generate({ edges, groups: groups(0) }).rules();
    expect(ruleIds(rules).filter((id) => id.endsWith(':tcp/22'))).toEqual(['g9>internal:tcp/22']);
    const station = byId(rules, 'g9>internal:tcp/22');
    expect(station.jit).not.toBeNull();
    expect(station.evidence.steps.at(-1)).toEqual({
      step: 'lift',
      detail:
        'administered 4 internal hosts outside its group (an admin station at ≥ 3), in 4 of the 5 other internal groups on this service: one just-in-time rule to every internal host, for the hosts it will administer next',
    });
    // However few of the estate's groups: 4 of 9 still makes an admin station, while the scrape stays per group.
    expect(ruleIds(generate({ edges, groups: groups(4) }).rules()).filter((id) => id.endsWith(':tcp/22'))).toEqual(['g9>internal:tcp/22']);
  });

  it('a named admin group (jump hosts) keeps its open rules to the groups it administered, and gets the closed rule to every other host beside them', () => {
    const jump = groups(0).map((group) => (group.id === 'g9' ? { ...group, name: 'jump hosts' } : group));
    const rules = generate({ edges, groups: jump }).rules();
    const ssh = rules.filter((rule) => rule.id.endsWith(':tcp/22'));
    expect(ssh.map((rule) => [rule.id, rule.jit === null])).toEqual([
      ['g9>g1:tcp/22', true],
      ['g9>g2:tcp/22', true],
      ['g9>g3:tcp/22', true],
      ['g9>g4:tcp/22', true],
      ['g9>internal:tcp/22', false],
    ]);
    expect(byId(rules, 'g9>internal:tcp/22').evidence.steps.find((step) => step.step === 'just-in-time')?.detail).toBe(
      'ssh tcp/22 is remote administration; g9 (jump hosts) is an admin group, open to the groups it administered, and just-in-time to every other host, closed until opened on request',
    );
  });

  it('administration of three hosts in two groups, over SSH and RDP together, is an admin station: its next console reaches another line', () => {
    // Two HMIs of one line (g5) over RDP and a PLC gateway (g1) over SSH: two groups, three hosts.
    const consoles = [edge('10.0.9.1', '10.0.5.1', 3389), edge('10.0.9.1', '10.0.5.2', 3389), edge('10.0.9.1', '10.0.1.1', 22)];
    const rules = generate({ edges: consoles, groups: groups(0) }).rules();
    expect(ruleIds(rules).filter((id) => id.endsWith(':tcp/22') || id.endsWith(':tcp/3389'))).toEqual(['g9>internal:tcp/22', 'g9>internal:tcp/3389']);
    expect(rules.filter((rule) => rule.to === 'internal').every((rule) => rule.jit !== null)).toBe(true);
    // Moving one HMI into the console's own group leaves two hosts administered outside it: one rule per group
    // again (and one inside the group), as a generator built afresh decides.
    const input = generatorInput({ edges: consoles, groups: groups(0) });
    const generator = new RuleGenerator(input);
    generator.update([{ ip: '10.0.5.2', to: 'g9' }], input.groups);
    expect(ruleIds(generator.rules()).filter((id) => id.endsWith(':tcp/22') || id.endsWith(':tcp/3389'))).toEqual(['g9>g1:tcp/22', 'g9>g5:tcp/3389', 'g9>g9:tcp/3389']);
    expect(generator.rules()).toEqual(new RuleGenerator({ ...input, assignment: new Map([...input.assignment, ['10.0.5.2', 'g9']]) }).rules());
  });

  it('administration of fewer than three hosts stays one just-in-time rule per group, and SMB (some servers\' role) never fans out', () => {
    const two = [...targets.slice(0, 2).map((server) => edge('10.0.9.1', server, 22)), ...targets.map((server) => edge('10.0.9.1', server, 445))];
    const rules = generate({ edges: two, groups: groups(0) }).rules();
    expect(ruleIds(rules).filter((id) => id.endsWith(':tcp/22'))).toEqual(['g9>g1:tcp/22', 'g9>g2:tcp/22']);
    expect(rules.filter((rule) => rule.id.endsWith(':tcp/22')).every((rule) => rule.jit !== null)).toBe(true);
    expect(ruleIds(rules).filter((id) => id.endsWith(':tcp/445'))).toEqual(['g9>g1:tcp/445', 'g9>g2:tcp/445', 'g9>g3:tcp/445', 'g9>g4:tcp/445']);
  });

  it('not below half of the other groups: 4 of 9 keeps one rule per group', () => {
    const ids = ruleIds(generate({ edges, groups: groups(4) }).rules());
    expect(ids.filter((id) => id.includes('9100'))).toEqual(['g9>g1:tcp/9100', 'g9>g2:tcp/9100', 'g9>g3:tcp/9100', 'g9>g4:tcp/9100']);
  });

  it('decides again when moves merge the served groups, as a generator built afresh would', () => {
    const input = generatorInput({ edges, groups: groups(0) });
    const generator = new RuleGenerator(input);
    // g2 and g3 join g1: the service is used on g1 and g4 only, fewer than 3 groups.
    const merged = generator.update([{ ip: '10.0.2.1', to: 'g1' }, { ip: '10.0.3.1', to: 'g1' }], input.groups);
    expect(merged.removed).toContain('g9>internal:tcp/9100');
    expect(merged.added).toEqual(expect.arrayContaining(['g9>g1:tcp/9100', 'g9>g4:tcp/9100']));
    const fresh = new RuleGenerator({ ...input, assignment: new Map([...input.assignment, ['10.0.2.1', 'g1'], ['10.0.3.1', 'g1']]) });
    expect(generator.rules()).toEqual(fresh.rules());
    const back = generator.update([{ ip: '10.0.2.1', to: 'g2' }, { ip: '10.0.3.1', to: 'g3' }], input.groups);
    expect(back.added).toContain('g9>internal:tcp/9100');
    expect(generator.rules()).toEqual(new RuleGenerator(input).rules());
  });
});

describe('RuleGenerator: port ranges', () => {
  const groups: GroupDef[] = [
    { id: 'g1', name: 'web', members: ['10.0.1.1', '10.0.1.2'] },
    { id: 'g2', name: 'app', members: ['10.0.2.1'] },
  ];

  it('merges 8 ports of one cell into a range with a "port-range" step', () => {
    const edges = [...Array.from({ length: 8 }, (_, k) => edge('10.0.1.1', '10.0.2.1', 8000 + k)), edge('10.0.1.2', '10.0.2.1', 8003)];
    const rules = generate({ edges, groups }).rules();
    expect(ruleIds(rules)).toEqual(['g1>g2:tcp/8000-8007']);
    expect(rules[0]).toMatchObject({ service: 'tcp/8000-8007', ports: { from: 8000, to: 8007 }, evidence: { flows: 9, clients: 2, servers: 1 } });
    expect(rules[0]!.evidence.steps).toEqual([{ step: 'port-range', detail: '8 ports used within 8000–8007 (100% of the range; merged at ≥ 8 ports filling ≥ 50%)' }]);
    expect(rules[0]!.evidence.edges.map((e) => `${e.client}:${e.port}`)).toEqual([
      '10.0.1.1:8000', '10.0.1.1:8001', '10.0.1.1:8002', '10.0.1.1:8003', '10.0.1.1:8004', '10.0.1.1:8005', '10.0.1.1:8006', '10.0.1.1:8007', '10.0.1.2:8003',
    ]);
  });

  it('keeps 7 ports as 7 rules', () => {
    const edges = Array.from({ length: 7 }, (_, k) => edge('10.0.1.1', '10.0.2.1', 8000 + k));
    expect(ruleIds(generate({ edges, groups }).rules())).toEqual(['g1>g2:tcp/8000', 'g1>g2:tcp/8001', 'g1>g2:tcp/8002', 'g1>g2:tcp/8003', 'g1>g2:tcp/8004', 'g1>g2:tcp/8005', 'g1>g2:tcp/8006']);
  });

  it('never folds admin ports into a range: 20–27 minus ssh and telnet leaves 6 ports', () => {
    const edges = Array.from({ length: 8 }, (_, k) => edge('10.0.1.1', '10.0.2.1', 20 + k));
    const rules = generate({ edges, groups }).rules();
    expect(ruleIds(rules)).toEqual(['g1>g2:tcp/20', 'g1>g2:tcp/21', 'g1>g2:tcp/22', 'g1>g2:tcp/23', 'g1>g2:tcp/24', 'g1>g2:tcp/25', 'g1>g2:tcp/26', 'g1>g2:tcp/27']);
    expect(rules.filter((r) => r.jit !== null).map((r) => r.id)).toEqual(['g1>g2:tcp/22', 'g1>g2:tcp/23']);
  });

  it('keeps protocols apart: 8 TCP ports and one UDP port of the same numbers', () => {
    const edges = [...Array.from({ length: 8 }, (_, k) => edge('10.0.1.1', '10.0.2.1', 8000 + k)), edge('10.0.1.1', '10.0.2.1', 8000, { proto: 17 }), edge('10.0.1.1', '10.0.2.1', -1, { proto: 1 })];
    const rules = generate({ edges, groups }).rules();
    expect(ruleIds(rules)).toEqual(['g1>g2:icmp', 'g1>g2:tcp/8000-8007', 'g1>g2:udp/8000']);
    expect(byId(rules, 'g1>g2:icmp').ports).toBeNull();
  });
});

describe('RuleGenerator: just-in-time admin rules', () => {
  const groups: GroupDef[] = [
    { id: 'g1', name: 'web', members: ['10.0.1.1'] },
    { id: 'g2', name: 'app', members: ['10.0.2.1', '10.0.2.2'] },
    { id: 'g3', name: 'ops', labels: { role: 'bastion' }, members: ['10.0.3.1'] },
    { id: 'g4', name: 'Admin workstations', members: ['10.0.4.1'] },
    { id: 'g5', name: 'batch', members: ['10.0.5.1'] },
  ];
  const businessEvidence = { weekHours: [how(2, 10)], weekFlows: [1], hours: 30 };
  const edges = [
    edge('10.0.1.1', '10.0.2.1', 22, businessEvidence),
    edge('10.0.1.1', '10.0.2.1', 445),
    edge('10.0.1.1', '10.0.2.2', 5900),
    edge('10.0.3.1', '10.0.2.1', 22),
    edge('10.0.4.1', '10.0.2.1', 3389),
    edge('10.0.5.1', '10.0.2.2', 23),
  ];
  const logons = [
    { user: 'alice', sourceIp: '10.0.1.1', targetIp: '10.0.2.1', count: 3 },
    { user: 'alice', sourceIp: '10.0.1.1', targetIp: '10.0.2.1', count: 1 },
    { user: 'bob', sourceIp: null, targetIp: '10.0.2.1', count: 5 }, // no source: still administers the server
    { user: 'carol', sourceIp: '10.0.7.7', targetIp: '10.0.2.1', count: 9 }, // from another client
    { user: 'dave', sourceIp: '10.0.1.1', targetIp: '10.0.2.2', count: 2 },
    { user: 'erin', sourceIp: '10.0.1.1', targetIp: null, count: 4 }, // no target
  ];
  const rules = generate({ edges, groups, logons }).rules();

  it('makes an admin service from a non-admin group just-in-time, with requesters from the logons', () => {
    const ssh = byId(rules, 'g1>g2:tcp/22');
    expect(ssh.jit).toEqual({ requesters: [{ user: 'bob', logons: 5 }, { user: 'alice', logons: 4 }] });
    expect(ssh.evidence.steps).toEqual([
      { step: 'group', detail: '1 of the 2 members of g2 (app) seen as servers; the rule covers the whole group' },
      { step: 'just-in-time', detail: 'ssh tcp/22 is remote administration, and g1 is not an admin group: just-in-time, closed until opened on request (2 users seen logging on)' },
    ]);
    // A just-in-time rule gets no time window, even with business-hours evidence.
    expect(ssh.window).toBeNull();
    // SMB into g2 from g1 alone (1 of the 4 other groups): administration, not g2's role.
    expect(byId(rules, 'g1>g2:tcp/445').jit).toEqual({ requesters: [{ user: 'bob', logons: 5 }, { user: 'alice', logons: 4 }] });
    expect(byId(rules, 'g1>g2:tcp/445').evidence.steps.at(-1)!.detail).toBe(
      'smb tcp/445 is not the role of g2 (used by 1 of the 4 other internal groups, 1 client host on 1 server; a role needs ≥ 3 groups, and ≥ 50% of the others, ≥ 4 client hosts per server or a directory service beside it, or ≥ 12 client hosts at ≥ 4 per server): administration, and g1 is not an admin group: just-in-time, closed until opened on request (2 users seen logging on)',
    );
    expect(byId(rules, 'g1>g2:tcp/5900').jit).toEqual({ requesters: [{ user: 'dave', logons: 2 }] });
    expect(byId(rules, 'g1>g2:tcp/5900').evidence.steps.at(-1)!.detail).toBe('vnc tcp/5900 is remote administration, and g1 is not an admin group: just-in-time, closed until opened on request (1 user seen logging on)');
    const telnet = byId(rules, 'g5>g2:tcp/23');
    expect(telnet.jit).toEqual({ requesters: [] });
    expect(telnet.evidence.steps.at(-1)).toEqual({ step: 'just-in-time', detail: 'telnet tcp/23 is remote administration, and g5 is not an admin group: just-in-time, closed until opened on request' });
  });

  it('leaves admin services open for groups whose labels or name match the admin pattern', () => {
    expect(byId(rules, 'g3>g2:tcp/22')).toMatchObject({ jit: null, window: null });
    // Open, and the evidence says why.
    expect(byId(rules, 'g3>g2:tcp/22').evidence.steps).toEqual([
      { step: 'group', detail: '1 of the 2 members of g2 (app) seen as servers; the rule covers the whole group' },
      { step: 'admin-group', detail: 'ssh tcp/22 is remote administration; g3 (ops) is an admin group: open' },
    ]);
    expect(byId(rules, 'g4>g2:tcp/3389').jit).toBeNull();
    expect(steps(byId(rules, 'g4>g2:tcp/3389'))).toEqual(['group', 'admin-group']);
  });
});

describe('RuleGenerator: time windows', () => {
  const groups: GroupDef[] = [
    { id: 'g1', name: 'web', members: ['10.0.1.1', '10.0.1.2'] },
    { id: 'g2', name: 'app', members: ['10.0.2.1'] },
  ];
  // Monday–Tuesday 08:00–17:00: 18 distinct hours of the week; the second edge adds Friday 08:00 and (by default) Friday 09:00.
  const mondayTuesday = [...Array.from({ length: 9 }, (_, h) => how(1, 8 + h)), ...Array.from({ length: 9 }, (_, h) => how(2, 8 + h))];
  const first = edge('10.0.1.1', '10.0.2.1', 443, { flows: 18, hours: 40, weekHours: mondayTuesday, weekFlows: mondayTuesday.map(() => 1) });
  const second = (fields: Parameters<typeof edge>[3]) => edge('10.0.1.2', '10.0.2.1', 443, { flows: 2, hours: 8, weekHours: [how(5, 8), how(5, 9)], weekFlows: [1, 1], ...fields });
  const only = (fields: Parameters<typeof edge>[3] = {}): PolicyRule => {
    const rules = generate({ edges: [first, second(fields)], groups }).rules();
    expect(rules).toHaveLength(1);
    return rules[0]!;
  };

  it('proposes Mon–Fri 08–18 UTC when every flow lies inside it, over at least 20 distinct hours of the week', () => {
    const r = only();
    expect(r.window).toEqual({ days: [1, 2, 3, 4, 5], fromHour: 8, toHour: 18, timezone: 'UTC' });
    expect(r.evidence.steps).toEqual([{ step: 'time-window', detail: 'all traffic, over 20 distinct hours of the week, falls in Mon–Fri 08:00–18:00 UTC' }]);
  });

  it('proposes none over 19 distinct hours, however many clients or hours of traffic', () => {
    const nineteen = { weekHours: [how(5, 8)], weekFlows: [2] };
    expect(only(nineteen).window).toBeNull();
    expect(steps(only(nineteen))).toEqual([]);
    // The same hour seen again adds nothing.
    expect(only({ weekHours: [how(5, 8), how(1, 8)], weekFlows: [1, 1], hours: 500 }).window).toBeNull();
  });

  it('proposes none when one flow lies outside: Friday 18:00, Saturday, Sunday, 07:00', () => {
    expect(only({ weekHours: [how(5, 8), how(5, 18)] }).window).toBeNull();
    expect(only({ weekHours: [how(5, 8), how(6, 10)] }).window).toBeNull();
    expect(only({ weekHours: [how(5, 8), how(0, 10)] }).window).toBeNull();
    expect(only({ weekHours: [how(5, 8), how(5, 7)] }).window).toBeNull();
    expect(only({ weekHours: [how(5, 8), how(6, 3)], weekFlows: [1, 1] }).window).toBeNull();
  });

  it('proposes none when some flows have no time', () => {
    expect(only({ flows: 3 }).window).toBeNull();
    expect(only({ weekHours: [], weekFlows: [] }).window).toBeNull();
  });
});

describe('RuleGenerator: evidence', () => {
  it('sorts evidence edges by address (numerically), and totals flows, bytes, times and endpoints', () => {
    const groups: GroupDef[] = [
      { id: 'g1', name: 'web', members: ['10.0.1.9', '10.0.1.10', '10.0.1.100'] },
      { id: 'g2', name: 'db', members: ['10.0.2.1', '10.0.2.2'] },
    ];
    const edges = [
      edge('10.0.1.10', '10.0.2.2', 443, { flows: 1, bytes: 10, firstMs: T0 + 5 * HOUR, lastMs: T0 + 6 * HOUR }),
      edge('10.0.1.9', '10.0.2.2', 443, { flows: 2, bytes: 20, firstMs: T0 + 1 * HOUR, lastMs: T0 + 2 * HOUR }),
      edge('10.0.1.10', '10.0.2.1', 443, { flows: 4, bytes: 40, firstMs: T0 + 3 * HOUR, lastMs: T0 + 9 * HOUR }),
      edge('10.0.1.9', '10.0.2.1', 443, { flows: 8, bytes: 80, firstMs: null, lastMs: null }),
    ];
    const [r] = generate({ edges, groups }).rules();
    expect(r!.evidence).toEqual({
      flows: 15,
      bytes: 150,
      firstSeen: '2026-01-05T01:00:00.000Z',
      lastSeen: '2026-01-05T09:00:00.000Z',
      clients: 2,
      servers: 2,
      edges: [
        { client: '10.0.1.9', server: '10.0.2.1', port: 443, flows: 8, bytes: 80, firstSeen: null, lastSeen: null },
        { client: '10.0.1.9', server: '10.0.2.2', port: 443, flows: 2, bytes: 20, firstSeen: '2026-01-05T01:00:00.000Z', lastSeen: '2026-01-05T02:00:00.000Z' },
        { client: '10.0.1.10', server: '10.0.2.1', port: 443, flows: 4, bytes: 40, firstSeen: '2026-01-05T03:00:00.000Z', lastSeen: '2026-01-05T09:00:00.000Z' },
        { client: '10.0.1.10', server: '10.0.2.2', port: 443, flows: 1, bytes: 10, firstSeen: '2026-01-05T05:00:00.000Z', lastSeen: '2026-01-05T06:00:00.000Z' },
      ],
      steps: [{ step: 'group', detail: '2 of the 3 members of g1 (web) seen as clients; the rule covers the whole group' }],
    });
  });
});

describe('RuleGenerator: outside networks', () => {
  const groups: GroupDef[] = [{ id: 'g1', name: 'web', members: ['10.0.1.1'] }];
  const edges = [
    edge('10.0.1.1', '198.51.100.9', 443),
    edge('10.0.1.1', '198.51.100.7', 443),
    edge('10.0.1.1', '203.0.113.5', 443),
    edge('198.51.100.200', '10.0.1.1', 443),
  ];
  const generator = generate({ edges, groups });

  it('groups outside destinations and sources by /24 with an "external-cidr" step', () => {
    const rules = generator.rules();
    expect(ruleIds(rules)).toEqual(['ext:198.51.100.0/24>g1:tcp/443', 'g1>ext:198.51.100.0/24:tcp/443', 'g1>ext:203.0.113.0/24:tcp/443']);
    expect(byId(rules, 'g1>ext:198.51.100.0/24:tcp/443').evidence).toMatchObject({
      clients: 1,
      servers: 2,
      steps: [{ step: 'external-cidr', detail: '2 outside addresses seen as servers; the rule names their network 198.51.100.0/24' }],
    });
    expect(byId(rules, 'ext:198.51.100.0/24>g1:tcp/443').evidence.steps).toEqual([
      { step: 'external-cidr', detail: '1 outside address seen as clients; the rule names their network 198.51.100.0/24' },
    ]);
  });

  it('lists the outside networks with the addresses seen in each', () => {
    expect(generator.externalGroups()).toEqual([
      { id: 'ext:198.51.100.0/24', name: 'outside 198.51.100.0/24', kind: 'external', members: ['198.51.100.7', '198.51.100.9', '198.51.100.200'], match: { cidr: '198.51.100.0/24' }, labels: {} },
      { id: 'ext:203.0.113.0/24', name: 'outside 203.0.113.0/24', kind: 'external', members: ['203.0.113.5'], match: { cidr: '203.0.113.0/24' }, labels: {} },
    ]);
  });
});

describe('RuleGenerator: public services and open destinations', () => {
  // A web shop's customers come from 16 networks, a partner from 2; a proxy reaches 16 networks, an app server 1.
  const groups: GroupDef[] = [
    { id: 'g1', name: 'web shop', members: ['10.0.1.1'] },
    { id: 'g2', name: 'proxy', members: ['10.0.2.1'] },
    { id: 'g3', name: 'app', members: ['10.0.3.1'] },
  ];
  const edges = [
    ...Array.from({ length: 16 }, (_, i) => edge(`198.${51 + i}.100.7`, '10.0.1.1', 443)),
    edge('203.0.113.5', '10.0.1.1', 8443),
    edge('203.0.114.5', '10.0.1.1', 8443),
    ...Array.from({ length: 16 }, (_, i) => edge('10.0.2.1', `93.${184 + i}.216.34`, 443)),
    edge('10.0.3.1', '192.0.2.10', 443),
  ];
  const policy = policyOf({ edges, groups });

  it('names any outside address for a service used from publicMinNetworks networks or a use reaching as many, and the networks otherwise', () => {
    const ids = ruleIds(policy.rules);
    expect(ids).toEqual(expect.arrayContaining(['ext:0.0.0.0/0>g1:tcp/443', 'g2>ext:0.0.0.0/0:tcp/443', 'ext:203.0.113.0/24>g1:tcp/8443', 'ext:203.0.114.0/24>g1:tcp/8443', 'g3>ext:192.0.2.0/24:tcp/443']));
    expect(ids.filter((id) => id.startsWith('ext:198.') || id.includes('>ext:93.'))).toEqual([]);
    expect(byId(policy.rules, 'ext:0.0.0.0/0>g1:tcp/443').evidence.steps).toEqual([
      {
        step: 'external-cidr',
        detail:
          "16 outside addresses from 16 networks (/24, /48) seen as clients: the service is public (a host's service used from 16 or more outside networks), and the next ones will come from networks not seen yet; the rule names any outside address",
      },
    ]);
    // Fifteen customer networks are a partner list, not the public.
    const fewer = policyOf({ edges: edges.filter((e) => e.client !== '198.66.100.7'), groups });
    expect(ruleIds(fewer.rules).filter((id) => id.startsWith('ext:0.0.0.0/0>'))).toEqual([]);
  });

  it('writes "any outside address" as the blocks outside the internal ranges, and places a new customer in it', () => {
    const any = policy.groups.find((group) => group.id === 'ext:0.0.0.0/0')!;
    expect(any.name).toBe('any outside address');
    const blocks = 'cidrs' in any.match! ? any.match.cidrs : [];
    expect(blocks).toContain('8.0.0.0/7');
    expect(blocks.some((block) => block.startsWith('10.') || block.startsWith('192.168.'))).toBe(false);
    const evaluator = PolicyEvaluator.of(policy);
    const hosts = hostsOf([...edges, edge('45.33.32.156', '10.0.1.1', 443), edge('10.9.9.9', '10.0.1.1', 443)]);
    // A customer from a network never seen, and one from the partner's network: both reach the shop on 443.
    expect(evaluator.verdict(edge('45.33.32.156', '10.0.1.1', 443), hosts).verdict).toBe('permitted');
    expect(evaluator.verdict(edge('203.0.113.77', '10.0.1.1', 443), hostsOf([edge('203.0.113.77', '10.0.1.1', 443)])).verdict).toBe('permitted');
    // An internal address in no group is no outside address.
    expect(evaluator.verdict(edge('10.9.9.9', '10.0.1.1', 443), hosts)).toMatchObject({ verdict: 'escaped', cause: 'unplaced' });
    // The partner's service stays the partner's.
    expect(evaluator.verdict(edge('45.33.32.156', '10.0.1.1', 8443), hosts).verdict).toBe('escaped');
  });
});

/** The diff update() should return, computed from the rule sets before and after. */
function expectedDiff(before: readonly PolicyRule[], after: readonly PolicyRule[]): { added: string[]; removed: string[]; changed: string[] } {
  const old = new Map(before.map((r) => [r.id, r]));
  const now = new Map(after.map((r) => [r.id, r]));
  const sorted = (ids: string[]): string[] => ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    added: sorted([...now.keys()].filter((id) => !old.has(id))),
    removed: sorted([...old.keys()].filter((id) => !now.has(id))),
    changed: sorted([...now.keys()].filter((id) => old.has(id) && !isDeepStrictEqual(old.get(id), now.get(id)))),
  };
}

describe('RuleGenerator.update (what-if regrouping)', () => {
  it('un-lifts a service when a move empties a group, with the diff to match', () => {
    const groups: GroupDef[] = [
      { id: 'g1', members: ['10.0.1.1'] },
      { id: 'g2', members: ['10.0.2.1'] },
      { id: 'g3', members: ['10.0.3.1'] },
      { id: 'g4', members: ['10.0.4.1'] },
      { id: 'g5', name: 'api', members: ['10.0.5.1', '10.0.5.2'] },
    ];
    const clients = ['10.0.1.1', '10.0.2.1', '10.0.3.1', '10.0.4.1'];
    const edges = [
      ...clients.slice(0, 3).map((c) => edge(c, '10.0.5.1', 8080)),
      edge('10.0.5.2', '10.0.5.1', 8080),
      ...clients.slice(0, 2).map((c) => edge(c, '10.0.5.1', 9000)),
      ...clients.map((c) => edge(c, '10.0.5.1', 22)),
    ];
    const input = generatorInput({ edges, groups });
    const generator = new RuleGenerator(input);
    const diff = generator.update([{ ip: '10.0.3.1', to: 'g1' }], input.groups);
    // g3 is empty: 4 groups, g1 and g2 use tcp/8080 (2 < 3), so it is no longer lifted.
    expect(diff).toEqual({
      added: ['g1>g5:tcp/8080', 'g2>g5:tcp/8080', 'g5>g5:tcp/8080'],
      removed: ['g3>g5:tcp/22', 'internal>g5:tcp/8080'],
      changed: ['g1>g5:tcp/22', 'g1>g5:tcp/9000'],
    });
    expect(generator.groupOfHost('10.0.3.1')).toBe('g1');
    const fresh = new RuleGenerator({ ...input, assignment: new Map([...input.assignment, ['10.0.3.1', 'g1']]) });
    expect(generator.rules()).toEqual(fresh.rules());
  });

  it('reapplies the admin pattern when a group is relabelled, with no move at all', () => {
    const groups: GroupDef[] = [
      { id: 'g1', name: 'web', members: ['10.0.1.1'] },
      { id: 'g2', name: 'app', members: ['10.0.2.1'] },
    ];
    const input = generatorInput({ edges: [edge('10.0.1.1', '10.0.2.1', 22), edge('10.0.1.1', '10.0.2.1', 443)], groups });
    const generator = new RuleGenerator(input);
    expect(generator.rules().map((r) => [r.id, r.jit])).toEqual([['g1>g2:tcp/22', { requesters: [] }], ['g1>g2:tcp/443', null]]);
    const relabelled = [{ ...input.groups[0]!, labels: { role: 'jump' } }, input.groups[1]!];
    expect(generator.update([], relabelled)).toEqual({ added: [], removed: [], changed: ['g1>g2:tcp/22'] });
    expect(generator.rules().map((r) => [r.id, r.jit])).toEqual([['g1>g2:tcp/22', null], ['g1>g2:tcp/443', null]]);
    expect(generator.rules()).toEqual(new RuleGenerator({ ...input, groups: relabelled }).rules());
  });

  // src/core/policy/generate-rules.ts RuleGenerator.liftedSignature keys a lifted rule on the count, sum and sum
  // of squares of its edge numbers. {0,1,4,5,6} and {0,2,3,4,7} agree on all three (5, 16, 78), so swapping the
  // two servers below between g5 and g6 leaves both lifted rules stale: they keep listing the old servers' edges.
  it('rebuilds a lifted rule whose edges changed even when their count, sum and sum of squares stay equal', () => {
    const groups: GroupDef[] = [
      { id: 'g1', members: ['10.0.1.1'] },
      { id: 'g2', members: ['10.0.2.1'] },
      { id: 'g3', members: ['10.0.3.1'] },
      { id: 'g5', name: 'api', members: ['10.0.5.0', '10.0.5.1'] },
      { id: 'g6', name: 'other api', members: ['10.0.5.2', '10.0.6.9'] },
    ];
    const [c1, c2, c3, s0, s1, s2] = ['10.0.1.1', '10.0.2.1', '10.0.3.1', '10.0.5.0', '10.0.5.1', '10.0.5.2'] as const;
    // Edge numbers 0–7 in this order.
    const edges = [edge(c1, s0, 8080), edge(c1, s1, 8080), edge(c1, s2, 8080), edge(c2, s2, 8080), edge(c2, s0, 8080), edge(c2, s1, 8080), edge(c3, s1, 8080), edge(c3, s2, 8080)];
    const input = generatorInput({ edges, groups });
    const generator = new RuleGenerator(input);
    // 3 of the 4 other groups use tcp/8080 on g5 and on g6: both lifted.
    expect(ruleIds(generator.rules())).toEqual(['internal>g5:tcp/8080', 'internal>g6:tcp/8080']);
    const diff = generator.update([{ ip: s1, to: 'g6' }, { ip: s2, to: 'g5' }], input.groups);
    const fresh = new RuleGenerator({ ...input, assignment: new Map([...input.assignment, [s1, 'g6'], [s2, 'g5']]) });
    expect(byId(fresh.rules(), 'internal>g5:tcp/8080').evidence.edges.map((e) => `${e.client}>${e.server}`)).toEqual([`${c1}>${s0}`, `${c1}>${s2}`, `${c2}>${s0}`, `${c2}>${s2}`, `${c3}>${s2}`]);
    expect(diff).toEqual({ added: [], removed: [], changed: ['internal>g5:tcp/8080', 'internal>g6:tcp/8080'] });
    expect(generator.rules()).toEqual(fresh.rules());
  });

  // src/core/policy/generate-rules.ts RuleGenerator.update computes every move's `from` before applying any
  // (groupOf is only set in the second loop), so a host moved twice in one update is taken out of its old group
  // twice and left counted in the intermediate group: here g1 ends with size 0 though 10.0.1.2 is still in it, and
  // g2 with size 2 though it has 1 member, so g1>g2:tcp/443 gets a spurious "1 of the 2 members of g2" step.
  it('applies moves in order when one update moves the same host twice', () => {
    const input = generatorInput({
      edges: [edge('10.0.1.1', '10.0.2.1', 443), edge('10.0.1.2', '10.0.2.1', 443)],
      groups: [{ id: 'g1', members: ['10.0.1.1', '10.0.1.2'] }, { id: 'g2', members: ['10.0.2.1'] }, { id: 'g3', members: ['10.0.3.1'] }],
    });
    const generator = new RuleGenerator(input);
    generator.update([{ ip: '10.0.1.1', to: 'g2' }, { ip: '10.0.1.1', to: 'g3' }], input.groups);
    expect(generator.groupOfHost('10.0.1.1')).toBe('g3');
    const fresh = new RuleGenerator({ ...input, assignment: new Map([...input.assignment, ['10.0.1.1', 'g3']]) });
    expect(steps(byId(fresh.rules(), 'g1>g2:tcp/443'))).toEqual([]);
    expect(generator.rules()).toEqual(fresh.rules());
  });

  it('refuses a move to a group it was not told of', () => {
    const input = generatorInput({ edges: [edge('10.0.1.1', '10.0.2.1', 443)], groups: [{ id: 'g1', members: ['10.0.1.1'] }, { id: 'g2', members: ['10.0.2.1'] }] });
    expect(() => new RuleGenerator(input).update([{ ip: '10.0.1.1', to: 'g9' }], input.groups)).toThrow('move of 10.0.1.1 to unknown group g9');
  });

  for (const seed of [1, 2, 3, 4]) {
    it(`equals a generator built from scratch after random move sequences (seed ${seed})`, () => {
      const { input, groups, internal } = randomInput(seed);
      expect(input.edges.length).toBeGreaterThanOrEqual(400);
      expect(input.hosts.size).toBe(60);
      const random = prng(1000 + seed);
      const specs = [...groups.map(specOf), { id: 'g9', name: 'new group', kind: 'application' as const, labels: {} }];
      const assignment = new Map(input.assignment);
      const generator = new RuleGenerator(input);
      const initial = generator.rules();
      // The random input exercises every kind of rule.
      expect(initial.some((r) => r.from === 'internal')).toBe(true);
      expect(initial.some((r) => r.jit !== null)).toBe(true);
      expect(initial.some((r) => r.window !== null)).toBe(true);
      expect(initial.some((r) => r.ports !== null && r.ports.from !== r.ports.to)).toBe(true);
      expect(initial.some((r) => r.to.startsWith('ext:'))).toBe(true);
      const rounds: { ip: string; to: string }[][] = [];
      for (let round = 0; round < 8; round++) {
        // 1–6 distinct hosts per update (a host moved twice in one update has its own test below).
        const count = 1 + Math.floor(random() * 6);
        const ips = new Set<string>();
        while (ips.size < count) ips.add(pick(random, internal));
        rounds.push([...ips].map((ip) => ({ ip, to: pick(random, ['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'g8', 'g9']) })));
      }
      // Empty a whole group (the number of groups changes), then fill it again.
      rounds.push(internal.filter((ip) => input.assignment.get(ip) === 'g6').map((ip) => ({ ip, to: 'g9' })));
      rounds.push(internal.filter((ip) => input.assignment.get(ip) === 'g6').map((ip) => ({ ip, to: 'g6' })));
      for (const moves of rounds) {
        const before = generator.rules();
        const diff = generator.update(moves, specs);
        for (const { ip, to } of moves) assignment.set(ip, to);
        const after = generator.rules();
        const fresh = new RuleGenerator({ ...input, groups: specs, assignment: new Map(assignment) });
        expect(after).toEqual(fresh.rules());
        expect(diff).toEqual(expectedDiff(before, after));
      }
    });
  }
});

describe('RuleGenerator: settings', () => {
  it('uses the settings it is given (wider external prefix)', () => {
    const settings = { ...DEFAULT_POLICY_SETTINGS, externalPrefixV4: 16 };
    const rules = generate({ edges: [edge('10.0.1.1', '198.51.100.9', 443)], groups: [{ id: 'g1', members: ['10.0.1.1'] }], settings }).rules();
    expect(ruleIds(rules)).toEqual(['g1>ext:198.51.0.0/16:tcp/443']);
  });
});

describe('RuleGenerator: what the review found', () => {
  const groups: GroupDef[] = [
    { id: 'g1', name: 'web', members: ['10.0.1.1'] },
    { id: 'g2', name: 'app', members: ['10.0.2.1'] },
  ];

  it('never lets a port range span an admin service: it stays its own (just-in-time) rule', () => {
    const ports = [20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33];
    const rules = generate({ edges: ports.map((port) => edge('10.0.1.1', '10.0.2.1', port)), groups }).rules();
    // Without the split, 20–33 would be one range holding SSH (22) and Telnet's port (23).
    expect(ruleIds(rules)).toEqual(['g1>g2:tcp/20', 'g1>g2:tcp/21', 'g1>g2:tcp/22', 'g1>g2:tcp/24-33']);
    expect(byId(rules, 'g1>g2:tcp/22').jit).not.toBeNull();
    expect(byId(rules, 'g1>g2:tcp/24-33').evidence.steps.map((step) => step.step)).toEqual(['port-range']);
  });

  it('names multicast and broadcast destinations for what they are, not as outside networks', () => {
    const edges = [edge('10.0.1.1', '239.255.255.250', 1900, { proto: 17 }), edge('10.0.1.1', '255.255.255.255', 67, { proto: 17 })];
    const hosts = [host('239.255.255.250', { scope: 'multicast' }), host('255.255.255.255', { scope: 'broadcast' })];
    const generator = generate({ edges, groups, hosts });
    expect(ruleIds(generator.rules())).toEqual(['g1>bcast:255.255.255.0/24:udp/67', 'g1>mcast:239.255.255.0/24:udp/1900']);
    expect(byId(generator.rules(), 'g1>mcast:239.255.255.0/24:udp/1900').evidence.steps.at(-1)!.detail).toBe(
      '1 multicast address seen as servers; the rule names their network 239.255.255.0/24',
    );
    expect(generator.externalGroups().map((group) => group.name)).toEqual(['broadcast 255.255.255.0/24', 'multicast 239.255.255.0/24']);
  });

  it('lists only the outside networks a rule names', () => {
    // 10.0.0.9 is in no group: its DNS query makes no rule, so 8.8.8.0/24 is no group of the policy.
    const edges = [edge('10.0.0.9', '8.8.8.8', 53, { proto: 17 }), edge('10.0.1.1', '1.1.1.1', 53, { proto: 17 })];
    const generator = generate({ edges, groups });
    expect(generator.stats.unplacedEdges).toBe(1);
    expect(generator.externalGroups().map((group) => group.id)).toEqual(['ext:1.1.1.0/24']);
  });
});
