import { describe, expect, it } from 'vitest';
import { companionOpenings } from '../../../src/core/policy/companion-rules';
import { RuleGenerator } from '../../../src/core/policy/generate-rules';
import { ALL_INTERNAL, type PolicyRule } from '../../../src/core/policy/policy-model';
import { edge, generate, generatorInput, rule as fixtureRule, type GroupDef } from './fixtures';

/** An open rule on one port (or a range up to `to_`), as fixtures.ts's rule() makes it. */
const rule = (from: string, to: string, proto: number, from_: number, to_ = from_, extra: Partial<PolicyRule> = {}): PolicyRule => fixtureRule(from, to, proto, { from: from_, to: to_ }, extra);

/** Group ids of outside networks start "ext:" (external-networks.ts); every other id is the estate's. */
const inside = (group: string): boolean => !group.startsWith('ext:');
const opened = (rules: readonly PolicyRule[]): string[] => companionOpenings(rules, inside).map((o) => `${o.from}>${o.to}:${o.proto === 6 ? 'tcp' : 'udp'}/${o.port}`);

describe('companionOpenings', () => {
  it('opens the other transport of DNS and Kerberos beside an open rule, for the same pair only', () => {
    expect(opened([rule('g1', 'g9', 17, 53), rule('g2', 'g9', 6, 88), rule('g2', 'g9', 6, 443)])).toEqual(['g1>g9:tcp/53', 'g2>g9:udp/88']);
  });

  it('adds nothing a rule already covers: the same pair, a lifted rule from every internal host, or a range', () => {
    expect(opened([rule('g1', 'g9', 17, 53), rule('g1', 'g9', 6, 53)])).toEqual([]);
    // The lifted rule's own companion is lifted too.
    expect(opened([rule('g1', 'g9', 17, 53), rule(ALL_INTERNAL, 'g9', 6, 53)])).toEqual([`${ALL_INTERNAL}>g9:udp/53`]);
    expect(opened([rule('g1', 'g9', 17, 88), rule('g1', 'g9', 6, 80, 100)])).toEqual([]);
  });

  it('never opens beside a just-in-time or rejected rule, and a closed rule on the other side stays the decision', () => {
    expect(opened([rule('g1', 'g9', 17, 53, 53, { jit: { requesters: [] } })])).toEqual([]);
    expect(opened([rule('g1', 'g9', 17, 53, 53, { state: 'rejected' })])).toEqual([]);
    expect(opened([rule('g1', 'g9', 17, 53), rule('g1', 'g9', 6, 53, 53, { jit: { requesters: [] } })])).toEqual([]);
  });

  it("sends a group allowed a server's RPC endpoint mapper to the dynamic ports the server's other mapper clients use", () => {
    const rules = [
      rule('g2', 'g9', 6, 135),
      rule('g2', 'g9', 6, 49666),
      rule('g3', 'g9', 6, 135),
      rule('g3', 'g9', 6, 49670),
      rule('g1', 'g9', 6, 135),
      // A high port used by a group that may not ask the mapper is no RPC service of g9.
      rule('g4', 'g9', 6, 50000),
    ];
    expect(opened(rules)).toEqual(['g1>g9:tcp/49666', 'g1>g9:tcp/49670', 'g2>g9:tcp/49670', 'g3>g9:tcp/49666']);
    // Without the mapper, no dynamic port; a just-in-time mapper rule is no way in either.
    expect(opened([rule('g2', 'g9', 6, 135), rule('g2', 'g9', 6, 49666), rule('g1', 'g9', 6, 49670)])).toEqual([]);
    expect(opened([rule('g2', 'g9', 6, 135), rule('g2', 'g9', 6, 49666), rule('g1', 'g9', 6, 135, 135, { jit: { requesters: [] } })])).toEqual([]);
  });

  it('needs one end inside the estate: DNS between two outside networks only passes the capture point', () => {
    expect(opened([rule('ext:198.51.100.0/24', 'ext:203.0.113.0/24', 17, 53), rule('ext:198.51.100.0/24', 'g9', 17, 53), rule('g1', 'ext:203.0.113.0/24', 6, 53)])).toEqual([
      'ext:198.51.100.0/24>g9:tcp/53',
      'g1>ext:203.0.113.0/24:udp/53',
    ]);
  });

  it('keeps the time window and client identity of the rule it comes with', () => {
    const window: PolicyRule['window'] = { days: [1, 2, 3, 4, 5], fromHour: 8, toHour: 18, timezone: 'UTC' };
    const identity: PolicyRule['identity'] = { label: { key: 'app', value: 'billing' } };
    const [opening] = companionOpenings([rule('g1', 'g9', 17, 53, 53, { window, identity })], inside);
    expect(opening).toMatchObject({ from: 'g1', to: 'g9', proto: 6, port: 53, window, identity });
  });

  it('is the same whatever the order of the rules', () => {
    const rules = [rule('g2', 'g9', 6, 135), rule('g2', 'g9', 6, 49666), rule('g1', 'g9', 6, 135), rule('g1', 'g9', 17, 53), rule('g3', 'g8', 6, 389)];
    expect(companionOpenings([...rules].reverse(), inside)).toEqual(companionOpenings(rules, inside));
  });
});

/** Three application groups and a domain controller (g9): g1 asks DNS over UDP only. */
const groups: GroupDef[] = [
  { id: 'g1', name: 'scada', members: ['10.0.1.1', '10.0.1.2'] },
  { id: 'g2', name: 'historian', members: ['10.0.2.1'] },
  { id: 'g3', name: 'opc', members: ['10.0.3.1'] },
  { id: 'g9', name: 'domain controllers', members: ['10.0.9.1'] },
];
const edges = [
  edge('10.0.1.1', '10.0.9.1', 53, { proto: 17, flows: 40 }),
  edge('10.0.1.2', '10.0.9.1', 53, { proto: 17, flows: 40 }),
  edge('10.0.2.1', '10.0.9.1', 53, { proto: 6, flows: 3 }),
  edge('10.0.1.1', '10.0.2.1', 5450, { flows: 20 }),
  edge('10.0.3.1', '10.0.2.1', 5450, { flows: 20 }),
];

describe('companion rules in the policy', () => {
  it('carry no edges of their own and say why they are there', () => {
    const rules = generate({ edges, groups }).rules();
    const companion = rules.find((r) => r.evidence.steps.some((step) => step.step === 'companion'));
    expect(companion).toMatchObject({ from: 'g1', to: 'g9', proto: 6, ports: { from: 53, to: 53 }, jit: null, state: 'proposed' });
    expect(companion!.evidence).toMatchObject({ flows: 0, edges: [] });
    expect(companion!.evidence.steps[0]!.detail).toMatch(/^port 53 runs over UDP and TCP alike \(dns\): rule g1>g9:udp\/53 opens UDP, the TCP side comes with it$/);
  });

  it('follow a regrouping as a fresh build of that grouping', () => {
    const generator = new RuleGenerator(generatorInput({ edges, groups }));
    const regrouped: GroupDef[] = [
      { id: 'g1', name: 'scada', members: ['10.0.1.1'] },
      { id: 'g2', name: 'historian', members: ['10.0.2.1', '10.0.1.2'] },
      ...groups.slice(2),
    ];
    generator.update([{ ip: '10.0.1.2', to: 'g2' }], generatorInput({ edges, groups: regrouped }).groups);
    expect(generator.rules()).toEqual(generate({ edges, groups: regrouped }).rules());
  });
});
