import { describe, expect, it } from 'vitest';
import type { PolicyRule } from '../../../src/core/policy/policy-model';
import { edge, generate, generatorInput, ruleIds, type GroupDef } from './fixtures';
import { RuleGenerator } from '../../../src/core/policy/generate-rules';

/**
 * Two nodes (10.244.1.0/24, 10.244.2.0/24), each kubelet (.1) probing the
 * pods of its node on 9080, as Bookinfo's services all listen on it. The
 * ingress gateway, which outside users reach, calls the product page all
 * day, and the product page
 * details; the product page called reviews twice, reviews called ratings
 * once; the two pods of g4 took no call while the capture ran.
 */
const groups: GroupDef[] = [
  { id: 'g1', name: 'productpage', members: ['10.244.1.10'] },
  { id: 'g2', name: 'details', members: ['10.244.1.11', '10.244.2.11'] },
  { id: 'g3', name: 'ratings', members: ['10.244.2.12'] },
  { id: 'g4', name: 'idle', members: ['10.244.1.13', '10.244.2.13'] },
  { id: 'g5', name: 'reviews', members: ['10.244.1.14'] },
  { id: 'g6', name: 'ingress', members: ['10.244.2.20'] },
  { id: 'g9', name: 'kubelets', members: ['10.244.1.1', '10.244.2.1'] },
];
const pods = groups.filter((group) => group.id !== 'g9').flatMap((group) => group.members);

function edges(extra: ReturnType<typeof edge>[] = []): ReturnType<typeof edge>[] {
  return [
    edge('10.244.1.10', '10.244.1.11', 9080, { flows: 40 }),
    edge('10.244.1.10', '10.244.2.11', 9080, { flows: 38 }),
    edge('10.244.1.10', '10.244.1.14', 9080, { flows: 2 }),
    edge('10.244.1.14', '10.244.2.12', 9080, { flows: 1 }),
    edge('10.244.2.20', '10.244.1.10', 9080, { flows: 200 }),
    edge('203.0.113.5', '10.244.2.20', 9080, { flows: 300 }),
    ...pods.map((pod) => edge(pod.replace(/\.\d+$/, '.1'), pod, 9080, { flows: 150 })),
    ...extra,
  ];
}

const idleRules = (rules: readonly PolicyRule[]): PolicyRule[] => rules.filter((rule) => rule.evidence.steps.some((step) => step.step === 'idle-replica'));

describe('idle groups', () => {
  it('open the probed port of a group only probers used to the groups that use that port on rarely called services, with no edges of their own', () => {
    const rules = generate({ edges: edges(), groups }).rules();
    expect(ruleIds(idleRules(rules))).toEqual(['g1>g4:tcp/9080', 'g5>g4:tcp/9080']);
    const opened = rules.find((rule) => rule.id === 'g1>g4:tcp/9080')!;
    expect(opened).toMatchObject({ from: 'g1', to: 'g4', proto: 6, ports: { from: 9080, to: 9080 }, jit: null, window: null, state: 'proposed' });
    expect(opened.evidence).toMatchObject({ flows: 0, bytes: 0, clients: 0, servers: 0, edges: [], firstSeen: null, lastSeen: null });
    expect(opened.evidence.steps).toEqual([
      {
        step: 'idle-replica',
        detail:
          'no connection reached g4 (idle) in the learning window, only probes on this port (from 10.244.1.1, 10.244.2.1): its members are replicas, that no call has reached yet, ' +
          'of a service on this port called rarely enough to leave a replica idle; the port is open to the 2 groups that use such services (g1 on g5) until g4 shows clients of its own',
      },
    ]);
    // The ingress gateway calls only the product page, which took 200 calls on one replica: no replica of it can be idle.
    expect(rules.some((rule) => rule.from === 'g6' && rule.to === 'g4')).toBe(false);
    // The kubelets' own checks keep the rules they have; no group is opened to them as a client.
    expect(rules.some((rule) => rule.from === 'g9' && idleRules([rule]).length > 0)).toBe(false);
  });

  it('are no longer opened once a real client used them', () => {
    const rules = generate({ edges: edges([edge('10.244.1.10', '10.244.2.13', 9080, { flows: 1 })]), groups }).rules();
    expect(idleRules(rules)).toEqual([]);
  });

  it('stay closed when the group holds more idle pods than the rarely called services have active replicas', () => {
    // A third idle pod: reviews and ratings, one active replica each, cannot account for three idle ones.
    const larger = groups.map((group) => (group.id === 'g4' ? { ...group, members: [...group.members, '10.244.2.15'] } : group));
    expect(idleRules(generate({ edges: edges([edge('10.244.2.1', '10.244.2.15', 9080, { flows: 150 })]), groups: larger }).rules())).toEqual([]);
  });

  it('never open remote administration, even where probers check it', () => {
    const ssh = [...edges().filter((e) => !(e.server.endsWith('.13') && e.port === 9080)), ...groups[3]!.members.map((pod) => edge(pod.replace(/\.\d+$/, '.1'), pod, 22)), edge('10.244.1.10', '10.244.1.11', 22)];
    expect(idleRules(generate({ edges: ssh, groups }).rules())).toEqual([]);
  });

  it('follow a regrouping: the idle pods moved into details lose their openings, as a fresh build of that grouping', () => {
    const generator = new RuleGenerator(generatorInput({ edges: edges(), groups }));
    const regrouped = groups.filter((group) => group.id !== 'g4').map((group) => (group.id === 'g2' ? { ...group, members: [...group.members, '10.244.1.13', '10.244.2.13'] } : group));
    const diff = generator.update(
      [
        { ip: '10.244.1.13', to: 'g2' },
        { ip: '10.244.2.13', to: 'g2' },
      ],
      generatorInput({ edges: edges(), groups: regrouped }).groups,
    );
    expect(diff.removed).toEqual(expect.arrayContaining(['g1>g4:tcp/9080', 'g5>g4:tcp/9080']));
    expect(generator.rules()).toEqual(generate({ edges: edges(), groups: regrouped }).rules());
    expect(idleRules(generator.rules())).toEqual([]);
  });

  it('are the same whatever the order of the edges', () => {
    expect(generate({ edges: [...edges()].reverse(), groups }).rules()).toEqual(generate({ edges: edges(), groups }).rules());
  });
});
