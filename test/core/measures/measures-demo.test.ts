import { beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../../src/core/analyze';
import { measuresOf } from '../../../src/core/measures/measures-of';
import { isAvailable, type BeforeAfter, type MeasureSnapshot } from '../../../src/core/measures/measures-model';
import { snapshotOfWorkbench } from '../../../src/core/measures/measure-snapshot';
import { hostsOf } from '../../../src/core/export/group-addresses';
import { isStageable } from '../../../src/core/policy/enforcement-stage';
import { ALL_INTERNAL, isOpen } from '../../../src/core/policy/policy-model';
import type { Policy } from '../../../src/core/policy/policy-model';
import { Workbench } from '../../../src/core/workbench/workbench';
import { analyseDemo } from '../../helpers/demo-analysis';

// The demo through the real engine: invariants that hold whatever the demo's
// groups are (the exact figures are checked on hand-made estates in
// measures-of.test.ts).

let analysis: Analysis;
let snapshot: MeasureSnapshot;
beforeAll(async () => {
  analysis = await analyseDemo();
  snapshot = snapshotOfWorkbench('demo', Workbench.of(analysis));
}, 120_000);

const figures = (measure: unknown): BeforeAfter => {
  if (!isAvailable(measure as object)) throw new Error('unavailable');
  return measure as BeforeAfter;
};

const observing = (policy: Policy, count: number): Policy => {
  const ids = policy.groups.filter(isStageable).slice(0, count).map((group) => group.id);
  return {
    ...policy,
    groups: policy.groups.map((group) =>
      ids.includes(group.id) ? { ...group, stage: { stage: 'observe', services: [], canary: false, override: false, decision: { by: 'test', at: '2026-01-01T00:00:00.000Z', why: 'test', ticket: null } } } : group,
    ),
  };
};

describe('measures on the demo', () => {
  it('with every group enforced, the pairs and admin paths are the policy stage\'s own exposure, and the current stage is full enforcement', () => {
    const m = measuresOf(snapshot);
    const { exposure } = analysis.policy;
    expect(figures(m.reachablePairs)).toEqual({ flat: exposure.flatPairs, currentStage: exposure.policyPairs, fullEnforcement: exposure.policyPairs });
    expect(figures(m.adminPaths)).toEqual({ flat: exposure.flatPairs, currentStage: exposure.adminPaths, fullEnforcement: exposure.adminPaths });
    expect(exposure.policyPairs).toBeLessThan(exposure.flatPairs);
    const { count, hosts } = m.hostsPerStage;
    expect(count.observe + count.selective + count.enforce + count.ungrouped).toBe(hosts);
    expect(hosts * (hosts - 1)).toBe(exposure.flatPairs);
    expect(m.anomalies).toEqual({ found: analysis.anomalies.length, open: analysis.anomalies.length });
  });

  it('observing groups only opens: pairs and admin paths at the current stage never shrink as groups are observed, and with all observed every grouped host is reachable from every other host', () => {
    const full = measuresOf(snapshot);
    let previous = { pairs: figures(full.reachablePairs).currentStage, admin: figures(full.adminPaths).currentStage };
    const stageable = snapshot.policy.groups.filter(isStageable).length;
    for (const count of [1, 2, 4, stageable]) {
      const m = measuresOf({ ...snapshot, policy: observing(snapshot.policy, count) });
      const pairs = figures(m.reachablePairs);
      const admin = figures(m.adminPaths);
      expect(pairs.fullEnforcement).toBe(figures(full.reachablePairs).fullEnforcement);
      expect(pairs.currentStage).toBeGreaterThanOrEqual(previous.pairs);
      expect(pairs.currentStage).toBeLessThanOrEqual(pairs.flat);
      expect(admin.currentStage).toBeGreaterThanOrEqual(previous.admin);
      expect(m.hostsPerStage.count.observe).toBeGreaterThan(0);
      previous = { pairs: pairs.currentStage, admin: admin.currentStage };
    }
    const all = measuresOf({ ...snapshot, policy: observing(snapshot.policy, stageable) });
    const { hosts, count } = all.hostsPerStage;
    const grouped = hosts - count.ungrouped;
    expect(count.observe).toBe(grouped);
    expect(figures(all.reachablePairs).currentStage).toBeGreaterThanOrEqual(grouped * (hosts - 1));
    expect(figures(all.adminPaths).currentStage).toBeGreaterThanOrEqual(grouped * (hosts - 1));
    expect(figures(all.reachablePairs).currentStage).toBeGreaterThan(figures(full.reachablePairs).currentStage);
  });

  it('the reachable pairs match a count made host pair by host pair from the demo members and open rules, with two groups observed', () => {
    // Counted without exposure.ts: for every ordered pair of distinct internal hosts, reachable when an open rule
    // joins their groups (or all internal hosts), or, at the current stage, when the server's group is observed.
    const staged = observing(snapshot.policy, 2);
    const observedGroups = new Set(staged.groups.filter((group) => group.stage?.stage === 'observe').map((group) => group.id));
    const groupOf = hostsOf(staged);
    const internal = [...snapshot.flows!.hosts.values()].filter((host) => host.scope === 'internal' && snapshot.flows!.edges.some((edge) => edge.client === host.ip || edge.server === host.ip));
    const open = staged.rules.filter(isOpen);
    const joins = new Set(open.map((rule) => `${rule.from}>${rule.to}`));
    const joined = (from: string | null, to: string | null): boolean =>
      [from, ALL_INTERNAL].some((a) => a !== null && [to, ALL_INTERNAL].some((b) => b !== null && joins.has(`${a}>${b}`)));
    let full = 0;
    let current = 0;
    for (const client of internal) {
      for (const server of internal) {
        if (client.ip === server.ip) continue;
        const reach = joined(groupOf.get(client.ip)?.id ?? null, groupOf.get(server.ip)?.id ?? null);
        if (reach) full++;
        if (reach || observedGroups.has(groupOf.get(server.ip)?.id ?? '')) current++;
      }
    }
    const m = measuresOf({ ...snapshot, policy: staged });
    expect(figures(m.reachablePairs)).toEqual({ flat: internal.length * (internal.length - 1), currentStage: current, fullEnforcement: full });
    expect(current).toBeGreaterThan(full);
  });

  it('the same flows in another order give byte-identical measures', () => {
    const flows = snapshot.flows!;
    const reversed: MeasureSnapshot = { ...snapshot, flows: { edges: [...flows.edges].reverse(), replay: [...flows.replay].reverse(), hosts: new Map([...flows.hosts].reverse()) } };
    expect(JSON.stringify(measuresOf(reversed))).toBe(JSON.stringify(measuresOf(snapshot)));
  });
});
