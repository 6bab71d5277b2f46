import { describe, expect, it } from 'vitest';
import type { GroupStage, PolicyGroup } from '../../../src/core/policy/policy-model';
import { DEFAULT_QUIET_DAYS, stageCheck } from '../../../src/core/policy/promotion-gate';
import { edge, group, handPolicy, hostsOf, HOUR, rule, T0 } from './fixtures';

const DAY = 24 * HOUR;
const decision = { by: 'ana', at: '2026-02-01T00:00:00.000Z', why: 'rollout', ticket: null };
const staged = (stage: GroupStage['stage'], extra: Partial<GroupStage> = {}): Partial<PolicyGroup> => ({ stage: { stage, services: [], canary: false, override: false, decision, ...extra } });
const rules = [rule('g1', 'g2', 6, { from: 443, to: 443 }), rule('g1', 'g3', 6, { from: 443, to: 443 })];

// Thirty days of flows: permitted web→db and web→cache traffic throughout; a stranger on db:443 on day 3 only; one on cache:22 on day 25.
const edges = [
  edge('10.0.1.1', '10.0.2.1', 443, { flows: 30, firstMs: T0, lastMs: T0 + 30 * DAY }),
  edge('10.0.1.1', '10.0.3.1', 443, { flows: 30, firstMs: T0, lastMs: T0 + 30 * DAY }),
  edge('10.0.9.9', '10.0.2.1', 443, { flows: 2, firstMs: T0 + 3 * DAY, lastMs: T0 + 3 * DAY + HOUR }),
  edge('10.0.1.1', '10.0.3.1', 22, { flows: 1, firstMs: T0 + 25 * DAY, lastMs: T0 + 25 * DAY }),
];
const hosts = hostsOf(edges);

describe('stageCheck', () => {
  it('counts quiet days from the last edge the next stage would block and proposes promotion only after the quiet days', () => {
    const policy = handPolicy([group('g1', ['10.0.1.1']), group('g2', ['10.0.2.1'], staged('observe')), group('g3', ['10.0.3.1'], { ...staged('selective', { services: ['tcp/443'] }) })], rules);
    const check = stageCheck(policy, edges, hosts);
    expect(check.quietDays).toBe(DEFAULT_QUIET_DAYS);
    expect(check.window.days).toBe(30);
    const db = check.groups.find((gate) => gate.group === 'g2')!;
    expect(db.next).toEqual({ stage: 'selective', services: ['tcp/443'] });
    expect(db.nextWouldBlock.map((e) => e.client)).toEqual(['10.0.9.9']);
    expect(db.quietDays).toBe(26);
    expect(db.proposal).toBe('promote');
    const cache = check.groups.find((gate) => gate.group === 'g3')!;
    expect(cache.next).toEqual({ stage: 'enforce', services: [] });
    expect(cache.nextWouldBlock.map((e) => e.port)).toEqual([22]);
    expect(cache.quietDays).toBe(5);
    expect(cache.proposal).toBe('wait');
    // web serves nothing and is enforced already: nothing blocks, nothing to promote.
    expect(check.groups.find((gate) => gate.group === 'g1')).toMatchObject({ proposal: 'enforced', order: null, blockedNow: [] });
    expect(check.rollback).toBe(false);
  });

  it('an analyst override proposes before the quiet days; enforced traffic blocked is a rollback', () => {
    const policy = handPolicy([group('g1', ['10.0.1.1']), group('g2', ['10.0.2.1']), group('g3', ['10.0.3.1'], staged('selective', { services: ['tcp/443'], override: true }))], rules);
    const check = stageCheck(policy, edges, hosts);
    expect(check.groups.find((gate) => gate.group === 'g3')!.proposal).toBe('promote-override');
    expect(check.groups.find((gate) => gate.group === 'g2')!.blockedNow.map((e) => e.client)).toEqual(['10.0.9.9']);
    expect(check.rollback).toBe(true);
  });

  it('never proposes promoting a group whose current stage already blocks traffic allowed today, override or not', () => {
    // db selective on tcp/443: the stranger of day 3 is blocked now; 26 quiet days and an override would otherwise promote it.
    const policy = handPolicy([group('g1', ['10.0.1.1']), group('g2', ['10.0.2.1'], staged('selective', { services: ['tcp/443'], override: true })), group('g3', ['10.0.3.1'])], rules);
    const db = stageCheck(policy, edges, hosts).groups.find((gate) => gate.group === 'g2')!;
    expect(db.blockedNow.map((e) => e.client)).toEqual(['10.0.9.9']);
    expect(db.proposal).toBe('wait');
  });

  it('proposes canaries first, then lower criticality, then fewer clients', () => {
    const policy = handPolicy(
      [
        group('g1', ['10.0.1.1'], staged('observe')),
        group('g2', ['10.0.2.1'], { ...staged('observe'), labels: { criticality: 'high' } }),
        group('g3', ['10.0.3.1'], { ...staged('observe', { canary: true }), labels: { criticality: 'critical' } }),
        group('g4', ['10.0.4.1'], { ...staged('observe'), labels: { env: 'dev' } }),
      ],
      rules,
    );
    const check = stageCheck(policy, edges, hosts);
    expect(check.groups.map((gate) => [gate.group, gate.order])).toEqual([['g3', 1], ['g4', 2], ['g1', 3], ['g2', 4]]);
  });
});
