import { beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../../src/core/analyze';
import type { PolicyRule } from '../../../src/core/policy/policy-model';
import { simulate } from '../../../src/core/policy/simulate';
import { applyStageDecision } from '../../../src/core/policy/stage-decisions';
import { Workbench } from '../../../src/core/workbench/workbench';
import { WorkbenchError } from '../../../src/core/workbench/workbench-state';
import { effectiveOrder, movedOrder } from '../../../src/core/workbench/promotion-order';
import { analyseDemo } from '../../helpers/demo-analysis';

let analysis: Analysis;
/** A rule always open, learned from flows, into a discovered group: rejecting it makes its edges blocked at that group. */
let rule: PolicyRule;

beforeAll(async () => {
  analysis = await analyseDemo();
  const stageable = new Set(analysis.policy.policy.groups.filter((group) => group.kind === 'application' || group.kind === 'infrastructure' || group.kind === 'clients').map((group) => group.id));
  rule = analysis.policy.policy.rules.find((candidate) => candidate.jit === null && candidate.window === null && candidate.evidence.flows > 0 && stageable.has(candidate.to))!;
});

const AT = '2026-12-04T10:00:00.000Z';

/** What the core simulator says of the workbench's own policy file: flows logged and flows blocked. */
function simulated(bench: Workbench): { logged: number; blocked: number } {
  const verdicts = simulate(bench.policy(), bench.replay, bench.material.policy.hosts);
  return { logged: verdicts.reduce((sum, verdict) => sum + verdict.loggedFlows, 0), blocked: verdicts.reduce((sum, verdict) => sum + verdict.escapedFlows, 0) };
}

/** A workbench where `rule` is rejected: its edges are blocked at its server group. */
function withRejectedRule(): Workbench {
  const bench = Workbench.of(analysis);
  bench.edit({ kind: 'rules', rules: [rule.id], decision: 'rejected', reason: 'the owner does not need it' });
  return bench;
}

describe('stage decisions in the workbench', () => {
  it('records a stage decision exactly as flowfence stage does: the same policy file, audit entry included', () => {
    const bench = Workbench.of(analysis);
    const before = bench.policy();
    const request = { group: rule.to, stage: 'observe' as const, canary: true, by: 'ana', why: 'first canary', ticket: 'CHG-1' };
    const step = bench.edit({ kind: 'stage', request, at: AT });
    const cli = applyStageDecision(before, request, AT);
    expect(cli.ok).toBe(true);
    expect(bench.policy()).toEqual(cli.ok ? cli.policy : null);
    // Byte for byte, key order included: the file the workbench exports is the file the CLI writes.
    expect(JSON.stringify(bench.policy())).toBe(JSON.stringify(cli.ok ? cli.policy : null));
    expect(step.description).toMatch(/^Set the stage of .*: observe, canary$/);
    const view = bench.view();
    expect(view.policy.groups.find((group) => group.id === rule.to)!.stage).toMatchObject({ stage: 'observe', canary: true, decision: { by: 'ana', why: 'first canary', ticket: 'CHG-1', at: AT } });
    expect(view.policy.audit).toHaveLength(1);
  });

  it('observe logs what the rules would block instead of blocking it, as the simulator says; undo takes the decision and its audit entry back', () => {
    const bench = withRejectedRule();
    const enforced = bench.view();
    expect(enforced.stages.logged).toEqual({ edges: 0, flows: 0 });
    expect(enforced.stages.blocked.flows).toBe(enforced.simulation.escaped);
    const policyBefore = bench.policy();
    const step = bench.edit({ kind: 'stage', request: { group: rule.to, stage: 'observe', by: 'ana', why: 'watch first' }, at: AT });
    expect(step.stageChange.nowLogged.flows).toBeGreaterThanOrEqual(rule.evidence.flows);
    expect(step.stageChange.nowBlocked).toEqual({ edges: 0, flows: 0 });
    // The rules did not change: the enforced replay is the same, the stages only log.
    expect(step.newlyEscaped).toEqual({ edges: 0, flows: 0 });
    const view = bench.view();
    expect(view.simulation).toEqual(enforced.simulation);
    expect(view.stages.loggedByGroup[rule.to]).toBeGreaterThan(0);
    expect(simulated(bench)).toEqual({ logged: view.stages.logged.flows, blocked: view.stages.blocked.flows });
    // The Traffic view calls those edges logged, not blocked.
    const verdicts = bench.trafficState().verdict;
    expect(verdicts.filter((verdict) => verdict === 'logged')).toHaveLength(view.stages.logged.edges);
    expect(verdicts.filter((verdict) => verdict === 'blocked')).toHaveLength(view.stages.blocked.edges);
    const undo = bench.undo()!;
    expect(undo.stageChange.nowBlocked).toEqual(step.stageChange.nowLogged);
    expect(bench.policy()).toEqual(policyBefore);
    expect(bench.view().policy.audit).toBeUndefined();
    expect(bench.trafficState().verdict).not.toContain('logged');
    bench.redo();
    expect(bench.view().stages).toEqual(view.stages);
  });

  it('selective blocks only its listed services', () => {
    const bench = withRejectedRule();
    const other = analysis.policy.policy.services.find((service) => service.id !== rule.service)!;
    bench.edit({ kind: 'stage', request: { group: rule.to, stage: 'selective', services: [other.id], by: 'ana', why: 'enforce the other service first' }, at: AT });
    const onOther = bench.view().stages;
    expect(onOther.loggedByGroup[rule.to]).toBeGreaterThan(0);
    expect(simulated(bench)).toEqual({ logged: onOther.logged.flows, blocked: onOther.blocked.flows });
    const step = bench.edit({ kind: 'stage', request: { group: rule.to, services: [rule.service], by: 'ana', why: 'now the rejected one' }, at: AT });
    expect(step.stageChange.nowBlocked.flows).toBeGreaterThanOrEqual(rule.evidence.flows);
    expect(simulated(bench)).toEqual({ logged: bench.view().stages.logged.flows, blocked: bench.view().stages.blocked.flows });
    expect(bench.view().policy.audit!.map((entry) => ('services' in entry ? entry.services : null))).toEqual([[other.id], [rule.service]]);
    // The two decisions made one after the other by the CLI give the same file, byte for byte.
    const first = applyStageDecision(withRejectedRule().policy(), { group: rule.to, stage: 'selective', services: [other.id], by: 'ana', why: 'enforce the other service first' }, AT);
    const second = first.ok ? applyStageDecision(first.policy, { group: rule.to, services: [rule.service], by: 'ana', why: 'now the rejected one' }, AT) : first;
    expect(JSON.stringify(bench.policy())).toBe(JSON.stringify(second.ok ? second.policy : null));
  });

  it('refuses what flowfence stage refuses, with its reason, and leaves the history alone', () => {
    const bench = Workbench.of(analysis);
    expect(() => bench.edit({ kind: 'stage', request: { group: rule.to, stage: 'observe', by: 'ana', why: '  ' }, at: AT })).toThrow(WorkbenchError);
    expect(() => bench.edit({ kind: 'stage', request: { group: 'g999', stage: 'observe', by: 'ana', why: 'x' }, at: AT })).toThrow(/no group "g999"/);
    expect(() => bench.edit({ kind: 'stage', request: { group: rule.to, stage: 'selective', by: 'ana', why: 'x' }, at: AT })).toThrow(/at least one service/);
    expect(() => bench.edit({ kind: 'stage', request: { group: rule.to, stage: 'enforce', by: 'ana', why: 'x' }, at: AT })).toThrow(/nothing to record/);
    expect(bench.view().canUndo).toBe(false);
  });

  it('drops the stage of a group a regrouping dissolves, and undo brings it back', () => {
    const bench = Workbench.of(analysis);
    bench.edit({ kind: 'stage', request: { group: rule.to, stage: 'observe', by: 'ana', why: 'watch' }, at: AT });
    const into = [...bench.state.grouping.groups.keys()].find((id) => id !== rule.to)!;
    bench.edit({ kind: 'group', op: { op: 'merge', from: rule.to, into } });
    expect(bench.state.stageAudit).toEqual([]);
    expect(bench.policy().audit).toBeUndefined();
    bench.undo();
    expect(bench.state.stageAudit).toHaveLength(1);
  });
});

describe('the promotion order in the workbench', () => {
  it('lists the groups to promote in the order proposed from risk, canaries first, with what the next stage would block', () => {
    const bench = withRejectedRule();
    // Every group starts enforced: nothing to promote.
    expect(bench.promotion().rows).toEqual([]);
    const others = [...bench.state.grouping.groups.values()].filter((group) => group.id !== rule.to).map((group) => group.id);
    const groups = [rule.to, ...others.slice(0, 2)];
    for (const group of groups) bench.edit({ kind: 'stage', request: { group, stage: 'observe', by: 'ana', why: 'watch' }, at: AT });
    bench.edit({ kind: 'stage', request: { group: groups[2]!, canary: true, by: 'ana', why: 'least risk' }, at: AT });
    const promotion = bench.promotion();
    expect(promotion.custom).toBe(false);
    expect(promotion.rows.map((row) => row.group)[0]).toBe(groups[2]);
    expect(promotion.rows.map((row) => row.proposedPlace)).toEqual([1, 2, 3]);
    // The rejected rule's edges are what the observed group's next stage would block: it is not quiet.
    const watched = promotion.rows.find((row) => row.group === rule.to)!;
    expect(watched.nextWouldBlock).toBeGreaterThan(0);
    expect(watched.examples.length).toBeGreaterThan(0);
    expect(watched.quietDays).toBeLessThan(promotion.quietDays);
    expect(watched.proposal).toBe('wait');
    // The rollback warning names the groups whose stage blocks traffic today: never an observed one.
    expect(promotion.rollback).toBe(promotion.blocking.length > 0);
    expect(promotion.blocking.map((entry) => entry.group)).not.toContain(rule.to);
    expect(promotion.blocking.map((entry) => entry.group)).not.toContain(groups[1]);
  });

  it('keeps the analyst\'s order as an undoable edit, and refuses an order naming no group or one twice', () => {
    const bench = Workbench.of(analysis);
    const groups = [...bench.state.grouping.groups.values()].map((group) => group.id);
    for (const group of groups.slice(0, 3)) bench.edit({ kind: 'stage', request: { group, stage: 'observe', by: 'ana', why: 'watch' }, at: AT });
    const proposed = bench.promotion().rows.map((row) => row.group);
    const order = movedOrder(proposed, proposed[2]!, 'up')!;
    const step = bench.edit({ kind: 'promotion-order', order, moved: proposed[2]!, direction: 'up' });
    expect(step.description).toMatch(/^Moved .* up the promotion order$/);
    expect(bench.promotion().rows.map((row) => row.group)).toEqual([proposed[0], proposed[2], proposed[1]]);
    expect(bench.promotion().custom).toBe(true);
    bench.undo();
    expect(bench.promotion().rows.map((row) => row.group)).toEqual(proposed);
    expect(() => bench.edit({ kind: 'promotion-order', order: ['g999'], moved: 'g999', direction: 'up' })).toThrow(/no group g999/);
    expect(() => bench.edit({ kind: 'promotion-order', order: [proposed[0]!, proposed[0]!], moved: proposed[0]!, direction: 'up' })).toThrow(/twice/);
  });

  it('puts groups the analyst did not order after those they did, in the proposed order, and leaves out enforced ones', () => {
    expect(effectiveOrder(['a', 'b', 'c', 'd'], ['c', 'gone', 'a'])).toEqual(['c', 'a', 'b', 'd']);
    expect(effectiveOrder(['a', 'b'], null)).toEqual(['a', 'b']);
    expect(movedOrder(['a', 'b', 'c'], 'a', 'up')).toBeNull();
    expect(movedOrder(['a', 'b', 'c'], 'c', 'down')).toBeNull();
    expect(movedOrder(['a', 'b', 'c'], 'a', 'down')).toEqual(['b', 'a', 'c']);
  });
});
