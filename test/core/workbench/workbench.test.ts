import { beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../../src/core/analyze';
import { membersOf } from '../../../src/core/policy/whatif/grouping-state';
import { Workbench } from '../../../src/core/workbench/workbench';
import { WorkbenchError } from '../../../src/core/workbench/workbench-state';
import { analyseDemo } from '../../helpers/demo-analysis';

let analysis: Analysis;

beforeAll(async () => {
  analysis = await analyseDemo();
});

/** What a workbench built fresh on the same state shows; the incremental path must agree with it. */
function comparable(bench: Workbench) {
  const view = bench.view();
  return { policy: bench.policy(), simulation: view.simulation, exposure: view.exposure };
}

describe('the workbench over the demo', () => {
  it('starts from the analysis: the same policy byte for byte, replay and exposure', () => {
    const bench = Workbench.of(analysis);
    const view = bench.view();
    expect(bench.policy()).toEqual(analysis.policy.policy);
    // The view is the same policy without evidence edges and digest.
    expect(view.policy.rules.map((rule) => rule.evidence.edgeCount)).toEqual(analysis.policy.policy.rules.map((rule) => rule.evidence.edges.length));
    expect(bench.evidence(view.policy.rules[0]!.id)).toEqual(analysis.policy.policy.rules[0]!.evidence.edges);
    expect(bench.evidence('no-such-rule')).toBeNull();
    expect(view.simulation).toEqual(analysis.policy.simulation);
    expect(view.exposure).toEqual(analysis.policy.exposure);
    expect(view.canUndo).toBe(false);
  });

  it('moves a host, says what changed, and undo and redo return exactly to each state', () => {
    const bench = Workbench.of(analysis);
    const start = comparable(bench);
    const members = membersOf(bench.state.grouping);
    const [from, to] = [...members.keys()].filter((id) => members.get(id)!.length > 1);
    const ip = members.get(from!)![0]!;
    const step = bench.edit({ kind: 'group', op: { op: 'move', ip, to: to! } });
    expect(step.description).toMatch(new RegExp(`^Moved ${ip.replace(/\./g, '\\.')} to `));
    expect(step.rules.added.length + step.rules.removed.length + step.rules.changed.length).toBeGreaterThan(0);
    const moved = bench.view();
    expect(moved.policy.groups.find((group) => group.id === to)!.members).toContain(ip);
    expect(moved.undoLabel).toBe(step.description);
    const after = comparable(bench);
    const undo = bench.undo()!;
    expect(undo.description).toBe(`Undid: ${step.description}`);
    expect(undo.rules.added).toEqual(step.rules.removed);
    expect(comparable(bench)).toEqual(start);
    bench.redo();
    expect(comparable(bench)).toEqual(after);
    expect(bench.redo()).toBeNull();
  });

  it('a rejected rule stops granting its edges in the replay, with the reason kept; clearing it restores the replay', () => {
    const bench = Workbench.of(analysis);
    const rule = analysis.policy.policy.rules.find((candidate) => candidate.jit === null && candidate.window === null && candidate.evidence.flows > 0)!;
    expect(() => bench.edit({ kind: 'rules', rules: [rule.id], decision: 'rejected', reason: '   ' })).toThrow(WorkbenchError);
    const step = bench.edit({ kind: 'rules', rules: [rule.id], decision: 'rejected', reason: 'not needed by the application owner' });
    expect(step.rules.changed).toEqual([rule.id]);
    expect(step.newlyEscaped.flows).toBeGreaterThan(0);
    const view = bench.view();
    expect(view.policy.rules.find((candidate) => candidate.id === rule.id)!.state).toBe('rejected');
    expect(view.ruleDecisions[rule.id]).toEqual({ state: 'rejected', reason: 'not needed by the application owner' });
    const cleared = bench.edit({ kind: 'rules', rules: [rule.id], decision: null, reason: '' });
    expect(cleared.newlyPermitted).toEqual(step.newlyEscaped);
    expect(comparable(bench)).toEqual(comparable(Workbench.of(analysis)));
    expect(() => bench.edit({ kind: 'rules', rules: ['no-such-rule'], decision: 'approved', reason: 'x' })).toThrow(/no rule/);
  });

  it('accepting an anomaly lets its edges become rules; undoing it takes them away again', () => {
    const bench = Workbench.of(analysis);
    const number = analysis.anomalies.findIndex((anomaly) => anomaly.edges.length > 0);
    expect(number).toBeGreaterThanOrEqual(0);
    const step = bench.edit({ kind: 'anomaly', anomaly: number, accepted: true, reason: 'the nightly backup' });
    const evidence = new Set(bench.policy().rules.flatMap((rule) => rule.evidence.edges.map((edge) => `${edge.client}|${edge.server}|${rule.proto}|${edge.port}`)));
    expect(analysis.anomalies[number]!.edges.some((key) => evidence.has(key))).toBe(true);
    expect(step.rules.added.length + step.rules.changed.length).toBeGreaterThan(0);
    expect(bench.view().acceptedAnomalies).toEqual({ [String(number)]: 'the nightly backup' });
    bench.undo();
    expect(comparable(bench)).toEqual(comparable(Workbench.of(analysis)));
    expect(() => bench.edit({ kind: 'anomaly', anomaly: analysis.anomalies.length, accepted: true, reason: 'x' })).toThrow(/no anomaly/);
  });

  it('a regrouped group gets a membership rule that matches exactly its members, or none', () => {
    const bench = Workbench.of(analysis);
    const members = membersOf(bench.state.grouping);
    const group = [...members.keys()].find((id) => members.get(id)!.length >= 2)!;
    bench.edit({ kind: 'group', op: { op: 'split', group, hosts: [members.get(group)![0]!], name: 'split off' } });
    const policy = bench.policy();
    const split = policy.groups.find((entry) => entry.name === 'split off')!;
    expect(split.members).toHaveLength(1);
    const match = split.match;
    if (match !== null && 'cidr' in match) expect(match.cidr).toBe(`${split.members[0]}/32`);
    const original = policy.groups.find((entry) => entry.id === group)!;
    const discovered = analysis.policy.policy.groups.find((entry) => entry.id === group)!;
    // Discovery's rule described the old members; it may not survive for the rest.
    if (original.match !== null) expect(original.match).not.toEqual(discovered.match);
  });

  it('moves the cut through discovery\'s tree and approves groups, dropping approvals of groups that dissolve', () => {
    const bench = Workbench.of(analysis);
    const groups = [...bench.state.grouping.groups.keys()];
    bench.edit({ kind: 'approve-group', group: groups[0]!, approved: true });
    expect(bench.view().approvedGroups).toEqual([groups[0]]);
    const step = bench.edit({ kind: 'group', op: { op: 'cut', clusters: 2 } });
    expect(step.description).toBe('Cut the tree into 2 clusters');
    const view = bench.view();
    expect(view.clusters).toBe(2);
    for (const id of view.approvedGroups) expect(bench.state.grouping.groups.has(id)).toBe(true);
    expect(() => bench.edit({ kind: 'approve-group', group: 'g999', approved: true })).toThrow(/no group/);
  });

  it('forgets the undone edits when asked, as a new edit would', () => {
    const bench = Workbench.of(analysis);
    const group = [...bench.state.grouping.groups.keys()][0]!;
    bench.edit({ kind: 'group', op: { op: 'rename', group, name: 'renamed' } });
    bench.undo();
    bench.dropRedo();
    expect(bench.redo()).toBeNull();
    expect(bench.log()).toEqual({ edits: [], position: 0 });
  });
});
