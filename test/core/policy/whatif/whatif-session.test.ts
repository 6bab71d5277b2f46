import { describe, expect, it } from 'vitest';
import { Dendrogram } from '../../../../src/core/discover/dendrogram';
import { DEFAULT_POLICY_SETTINGS } from '../../../../src/core/policy/policy-model';
import { applyOp, GroupingError, type GroupingOp } from '../../../../src/core/policy/whatif/grouping-ops';
import { initialState, membersOf } from '../../../../src/core/policy/whatif/grouping-state';
import { WhatIfSession } from '../../../../src/core/policy/whatif/whatif-session';
import { Random } from '../../../../src/core/util/random';
import { whatIfScale } from '../../../../src/core/synth/whatif-scale';

const scale = whatIfScale(300, 2_500, 11);
const base = { edges: scale.edges, flagged: new Set<string>(), hosts: scale.hosts, logons: [], settings: DEFAULT_POLICY_SETTINGS };
const dendrogram = new Dendrogram({
  hosts: [...scale.assignment.keys()].map((ip) => ({ ip, sortKey: scale.hosts.get(ip)!.sortKey, labels: scale.hosts.get(ip)!.labels })),
  edges: scale.edges.filter((edge) => edge.action !== 2),
});

/** What a session built from scratch on a state computes: the incremental path must agree with it exactly. */
function fresh(session: WhatIfSession): { rules: unknown; simulation: unknown; exposure: unknown } {
  const rebuilt = new WhatIfSession({ ...base, grouping: session.state, dendrogram });
  return { rules: rebuilt.rules, simulation: rebuilt.simulation, exposure: rebuilt.exposure };
}

function randomOp(session: WhatIfSession, random: Random): GroupingOp {
  const members = membersOf(session.state);
  const groups = [...members.keys()].sort();
  const hosts = [...session.state.assignment.keys()];
  switch (random.int(0, 5)) {
    case 0:
      return { op: 'move', ip: random.pick(hosts), to: random.pick(groups) };
    case 1: {
      const from = random.pick(groups);
      return { op: 'merge', from, into: random.pick(groups.filter((group) => group !== from)) };
    }
    case 2: {
      const group = random.pick(groups.filter((id) => members.get(id)!.length > 1));
      const list = members.get(group)!;
      return { op: 'split', group, hosts: list.slice(0, Math.max(1, Math.floor(list.length / 2))) };
    }
    case 3:
      return { op: 'rename', group: random.pick(groups), name: `renamed ${random.int(1, 9)}` };
    case 4:
      return { op: 'pin', ip: random.pick(hosts), pinned: true };
    default:
      return { op: 'cut', clusters: random.int(3, 30) };
  }
}

describe('what-if regrouping', () => {
  it('keeps rules, replay and exposure equal to a rebuild after every operation, undo and redo', () => {
    const session = new WhatIfSession({ ...base, grouping: { groups: scale.groups, assignment: scale.assignment }, dendrogram });
    const random = new Random(5);
    for (let step = 0; step < 30; step++) {
      session.apply(randomOp(session, random));
      expect({ rules: session.rules, simulation: session.simulation, exposure: session.exposure }).toEqual(fresh(session));
    }
    for (let step = 0; step < 5; step++) session.undo();
    expect({ rules: session.rules, simulation: session.simulation, exposure: session.exposure }).toEqual(fresh(session));
    session.redo();
    expect({ rules: session.rules, simulation: session.simulation, exposure: session.exposure }).toEqual(fresh(session));
  });

  it('reports what a move changed: rules added and removed, flows newly escaped, exposure change', () => {
    const session = new WhatIfSession({ ...base, grouping: { groups: scale.groups, assignment: scale.assignment } });
    const before = session.exposure.policyPairs;
    // A DNS server moved into an application group: its DNS clients lose their rule.
    const dnsServer = [...scale.assignment].find(([, group]) => group === 'g1')![0];
    const step = session.apply({ op: 'move', ip: dnsServer, to: 'g5' });
    expect(step.rules.added.length + step.rules.removed.length + step.rules.changed.length).toBeGreaterThan(0);
    expect(step.rules.added.some((id) => id.startsWith('internal>g5:udp/53'))).toBe(true);
    expect(step.exposureChange.policyPairs).toBe(session.exposure.policyPairs - before);
    const undo = session.undo()!;
    expect(undo.rules.removed).toEqual(step.rules.added);
    expect(undo.rules.added).toEqual(step.rules.removed);
    expect(session.exposure.policyPairs).toBe(before);
  });

  it('never changes a state in place, and refuses operations that make no sense', () => {
    const state = initialState(scale.groups, scale.assignment);
    const ip = [...scale.assignment.keys()][10]!;
    const moved = applyOp(state, { op: 'move', ip, to: 'g3' });
    expect(state.assignment.get(ip)).toBe(scale.assignment.get(ip));
    expect(moved.assignment.get(ip)).toBe('g3');
    expect(() => applyOp(state, { op: 'move', ip, to: 'g999' })).toThrow(GroupingError);
    expect(() => applyOp(state, { op: 'move', ip: '192.0.2.1', to: 'g3' })).toThrow(/not an internal host/);
    expect(() => applyOp(state, { op: 'rename', group: 'g3', name: '  ' })).toThrow(/empty/);
    expect(() => applyOp(state, { op: 'cut', clusters: 5 })).toThrow(/dendrogram/);
    const split = applyOp(state, { op: 'split', group: 'g3', hosts: [membersOf(state).get('g3')![0]!] });
    expect(split.groups.has(`g${state.nextId}`)).toBe(true);
  });

  it('keeps pinned hosts where they are when the cut moves', () => {
    const state = initialState(scale.groups, scale.assignment);
    const ip = membersOf(state).get('g4')![0]!;
    const pinned = applyOp(state, { op: 'pin', ip, pinned: true });
    const cut = applyOp(pinned, { op: 'cut', clusters: 2 }, dendrogram);
    expect(cut.assignment.get(ip)).toBe('g4');
    expect(cut.clusters).toBe(2);
    expect(new Set(cut.assignment.values()).size).toBeLessThanOrEqual(4);
  });
});
