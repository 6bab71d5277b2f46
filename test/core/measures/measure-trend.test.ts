import { describe, expect, it } from 'vitest';
import { measureTrend } from '../../../src/core/measures/measure-trend';
import type { MeasureSnapshot } from '../../../src/core/measures/measures-model';
import type { GroupStage } from '../../../src/core/policy/policy-model';
import { edge, group, handPolicy, hostsOf, HOUR, rule, T0 } from '../policy/fixtures';

// Two weekly snapshots of a four-host estate: in the second, db is observed
// and one new edge appeared. Every figure below is counted by hand.
const WEEK = 7 * 24 * HOUR;
const observe: GroupStage = { stage: 'observe', services: [], canary: true, override: false, decision: { by: 'ana', at: '2026-01-10T00:00:00.000Z', why: 'canary', ticket: null } };

const policy = (dbObserved: boolean) =>
  handPolicy(
    [group('g1', ['10.0.1.1', '10.0.1.2'], { name: 'web' }), group('g2', ['10.0.2.1'], { name: 'db', ...(dbObserved ? { stage: observe } : {}) }), group('g3', ['10.0.3.1'], { name: 'ops' })],
    [rule('g1', 'g2', 6, { from: 5432, to: 5432 })],
  );

const first = [edge('10.0.1.1', '10.0.2.1', 5432), edge('10.0.1.2', '10.0.2.1', 5432, { lastMs: T0 + WEEK }), edge('10.0.3.1', '10.0.2.1', 5432)];
const second = [...first.map((e) => ({ ...e, lastMs: T0 + 2 * WEEK })), edge('10.0.3.1', '10.0.1.1', 22)];
const snap = (name: string, edges: typeof first, dbObserved: boolean, accepted: number): MeasureSnapshot => ({
  name,
  policy: policy(dbObserved),
  flows: { edges, replay: edges, hosts: hostsOf(edges) },
  anomalies: { found: 2, accepted },
});

describe('measures across snapshots', () => {
  const week1 = snap('week1.flowfence', first, false, 0);
  const week2 = snap('week2.flowfence', second, true, 2);

  it('orders snapshots by their data, whatever order they come in, and reports what changed', () => {
    const trend = measureTrend([week2, week1]);
    expect(JSON.stringify(trend)).toBe(JSON.stringify(measureTrend([week1, week2])));
    expect(trend.snapshots.map((m) => m.snapshot.name)).toEqual(['week1.flowfence', 'week2.flowfence']);
    expect(trend.steps).toHaveLength(1);
    const [step] = trend.steps;
    // Week 1: web→db 2 pairs. Week 2: db observed, so all 3 others reach it: 3 pairs.
    expect(step!.change).toMatchObject({ reachablePairsCurrent: 1, reachablePairsFull: 0, adminPathsCurrent: 3, shareEnforced: 0.75 - 1, anomaliesOpen: -2 });
    // One edge (ops→web ssh) is new, over the week between the two snapshots' ends.
    expect(step!.newEdges).toEqual({ count: 1, weeks: 1, perWeek: 1 });
  });

  it('a snapshot without flows leaves the changes that need them null, never 0', () => {
    const bare: MeasureSnapshot = { ...week2, name: 'policy.json', flows: null, anomalies: null };
    const trend = measureTrend([week1, { ...bare, policy: { ...bare.policy, window: { from: null, to: new Date(T0 + 3 * WEEK).toISOString() } } }]);
    expect(trend.steps[0]!.change).toMatchObject({ reachablePairsCurrent: null, driftPerWeek: null, anomaliesOpen: null, certified: 0 });
    expect(trend.steps[0]!.newEdges).toBeNull();
  });
});
