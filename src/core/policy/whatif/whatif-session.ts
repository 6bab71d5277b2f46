import type { Dendrogram } from '../../discover/dendrogram';
import { networkGroupId } from '../external-networks';
import { computeExposure, type Exposure } from '../exposure';
import { RuleGenerator, type RuleDiff, type RuleGeneratorInput } from '../generate-rules';
import { buildPolicy, policyContent, type PolicyGroupSource, type PolicyParts } from '../build-policy';
import type { PolicyEdge, PolicyHost } from '../policy-input';
import { ALL_INTERNAL, type MembershipRule, type Policy, type PolicyRule } from '../policy-model';
import { countsOf, escapedEdges, hostOf, type EscapedEdge, PolicyEvaluator, RuleLookup, tallyVerdict, type EdgeVerdict, type MutableCounts, type SimulationCounts } from '../simulate';
import { applyOp, type GroupingOp } from './grouping-ops';
import { initialState, membersOf, type GroupingState, type WhatIfGroup } from './grouping-state';
import { ReplayIndex } from './replay-index';

/**
 * What-if regrouping: grouping operations are pure (grouping-ops.ts) and
 * every state is kept for undo and redo; after each step the rules, the
 * replay and the exposure follow incrementally:
 * - rules: only the cells (from, to, protocol) and services the moved hosts
 *   touch are rebuilt (RuleGenerator.update);
 * - replay: only edges with an endpoint in a group whose rules or members
 *   changed are judged again;
 * - exposure: recomputed between groups (cost in groups, not hosts or edges).
 * Each step returns its difference from the state before.
 */

export interface WhatIfStep {
  /** 'decision': rules were approved or rejected, the grouping stayed. */
  readonly op: GroupingOp | 'undo' | 'redo' | 'decision';
  readonly rules: RuleDiff;
  /** Edges (and their flows) that the policy permitted before and blocks now, and the reverse. */
  readonly newlyEscaped: { readonly edges: number; readonly flows: number };
  readonly newlyPermitted: { readonly edges: number; readonly flows: number };
  readonly simulation: SimulationCounts;
  readonly exposure: Exposure;
  readonly exposureChange: { readonly policyPairs: number; readonly adminPaths: number };
}

export interface WhatIfInput extends Omit<RuleGeneratorInput, 'assignment' | 'groups'> {
  readonly grouping: GroupingState | Pick<RuleGeneratorInput, 'assignment' | 'groups'>;
  /** Edges to replay (the analysed edges by default). */
  readonly replay?: readonly PolicyEdge[];
  readonly dendrogram?: Dendrogram;
  /** The analyst's decisions on rules by id: a rejected rule grants nothing in the replay. */
  readonly decisions?: RuleDecisions;
}

/** Approved or rejected rules by id; a decision outlives the rule, so it holds again when a regrouping brings the rule back. */
export type RuleDecisions = ReadonlyMap<string, 'approved' | 'rejected'>;

/** The policy file's parts that a regrouping does not change. */
export type StaticPolicyParts = Omit<PolicyParts, 'groups' | 'generator'>;

/** A group of the current grouping and its members. */
export interface GroupWithMembers {
  readonly group: WhatIfGroup;
  readonly members: readonly string[];
}

/**
 * The membership rule of each group of a grouping, in its order: decided for
 * the grouping as a whole, since one group's blocks must leave alone the
 * addresses another's hold (workbench/group-match.ts).
 */
export type MembershipRules = (groups: readonly GroupWithMembers[]) => readonly (MembershipRule | null)[];

export class WhatIfSession {
  private readonly generator: RuleGenerator;
  private readonly lookup: RuleLookup;
  private readonly evaluator: PolicyEvaluator;
  private readonly replay: readonly PolicyEdge[];
  private readonly verdicts: EdgeVerdict[];
  private readonly replayIndex: ReplayIndex;
  private readonly replayEdgesOfHost = new Map<string, number[]>();
  private readonly internalHosts: PolicyHost[];
  private rulesById: Map<string, PolicyRule>;
  private counts: SimulationCounts;
  private readonly totals: MutableCounts = { permitted: 0, escaped: 0, rejected: 0, permittedEdges: 0, escapedEdges: 0, rejectedEdges: 0 };
  private currentExposure: Exposure;
  private readonly history: GroupingState[];
  /** Each host's groups under the current state; moved hosts are dropped from it at every step. */
  private readonly groupsCache = new Map<string, readonly string[]>();
  private position = 0;
  private decisions: RuleDecisions;

  constructor(private readonly input: WhatIfInput) {
    this.decisions = input.decisions ?? new Map();
    const start = 'pinned' in input.grouping ? input.grouping : initialState(input.grouping.groups, input.grouping.assignment);
    this.history = [start];
    this.generator = new RuleGenerator({ ...input, groups: [...start.groups.values()], assignment: start.assignment });
    this.rulesById = this.decided(this.generator.snapshot());
    this.lookup = new RuleLookup(this.rulesById.values());
    this.evaluator = new PolicyEvaluator(this.lookup, (host) => this.groupsOf(host), (id) => this.state.groups.get(id)?.name ?? id);
    this.replay = input.replay ?? input.edges;
    this.replayIndex = new ReplayIndex(this.replay);
    this.replay.forEach((edge, number) => {
      for (const ip of new Set([edge.client, edge.server])) {
        const list = this.replayEdgesOfHost.get(ip);
        if (list === undefined) this.replayEdgesOfHost.set(ip, [number]);
        else list.push(number);
      }
      this.placeEdge(number);
    });
    this.verdicts = this.replay.map((edge) => this.evaluator.verdict(edge, input.hosts));
    for (const verdict of this.verdicts) tallyVerdict(this.totals, verdict, 1);
    this.counts = countsOf(this.totals);
    this.internalHosts = [...start.assignment.keys()].map((ip) => hostOf(ip, input.hosts)).sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    this.currentExposure = this.measureExposure();
  }

  get state(): GroupingState {
    return this.history[this.position]!;
  }

  get rules(): readonly PolicyRule[] {
    return [...this.rulesById.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  get simulation(): SimulationCounts {
    return this.counts;
  }

  get exposure(): Exposure {
    return this.currentExposure;
  }

  get canUndo(): boolean {
    return this.position > 0;
  }

  get canRedo(): boolean {
    return this.position < this.history.length - 1;
  }

  /** Each replay edge's flows the policy blocks today, in replay order (to compare two sessions edge by edge). */
  get escapedFlows(): number[] {
    return this.verdicts.map((verdict) => verdict.escapedFlows);
  }

  /** The replay edges the policy would block, most flows first, each with its reason (at most `limit`). */
  escapedEdges(limit: number): EscapedEdge[] {
    return escapedEdges(this.verdicts, this.input.hosts).slice(0, limit);
  }

  /** Each replay edge's own groups (client's, server's) and verdict, in replay order. */
  replayPlacement(): { clientGroup: string[]; serverGroup: string[]; verdict: ('permitted' | 'blocked' | 'refused')[] } {
    const clientGroup: string[] = [];
    const serverGroup: string[] = [];
    const verdict: ('permitted' | 'blocked' | 'refused')[] = [];
    this.replay.forEach((edge, number) => {
      clientGroup.push(this.ownGroup(edge.client));
      serverGroup.push(this.ownGroup(edge.server));
      const judged = this.verdicts[number]!;
      verdict.push(judged.verdict === 'rejected' ? 'refused' : judged.escapedFlows > 0 ? 'blocked' : 'permitted');
    });
    return { clientGroup, serverGroup, verdict };
  }

  /** Per group, the replay edges with a member at either end that the policy would block (the map's would-break badge). */
  escapedEdgesByGroup(): Map<string, number> {
    const counts = new Map<string, number>();
    this.verdicts.forEach((verdict, number) => {
      if (verdict.escapedFlows === 0) return;
      const edge = this.replay[number]!;
      for (const group of new Set([this.ownGroup(edge.client), this.ownGroup(edge.server)])) counts.set(group, (counts.get(group) ?? 0) + 1);
    });
    return counts;
  }

  apply(op: GroupingOp): WhatIfStep {
    return this.moveTo(applyOp(this.state, op, this.input.dendrogram), this.decisions, op);
  }

  /**
   * Goes to any grouping and set of rule decisions (a caller keeping its own
   * history of edits uses this); later states are dropped as after apply.
   */
  moveTo(next: GroupingState, decisions: RuleDecisions, op: WhatIfStep['op']): WhatIfStep {
    const previous = this.state;
    this.history.length = this.position + 1;
    this.history.push(next);
    this.position++;
    return this.transition(previous, next, op, decisions);
  }

  undo(): WhatIfStep | null {
    if (!this.canUndo) return null;
    this.position--;
    return this.transition(this.history[this.position + 1]!, this.state, 'undo');
  }

  redo(): WhatIfStep | null {
    if (!this.canRedo) return null;
    this.position++;
    return this.transition(this.history[this.position - 1]!, this.state, 'redo');
  }

  private transition(from: GroupingState, to: GroupingState, op: WhatIfStep['op'], decisions: RuleDecisions = this.decisions): WhatIfStep {
    const moves: { ip: string; to: string }[] = [];
    if (from.assignment !== to.assignment) for (const [ip, group] of to.assignment) if (from.assignment.get(ip) !== group) moves.push({ ip, to: group });
    // The replay index follows the hosts before rules change, so both see the same grouping.
    const movedEdges = new Set<number>();
    for (const { ip } of moves) {
      for (const number of this.replayEdgesOfHost.get(ip) ?? []) movedEdges.add(number);
      this.groupsCache.delete(ip);
    }
    for (const number of movedEdges) this.replayIndex.unplace(number);
    for (const number of movedEdges) this.placeEdge(number);
    const generated = from === to ? { added: [], removed: [], changed: [] } : this.generator.update(moves, [...to.groups.values()]);
    const after = this.decided(this.generator.snapshot(), decisions);
    const rules = { ...generated, changed: withDecisionChanges(generated, this.decisions, decisions, after) };
    this.decisions = decisions;
    // Verdicts depend on which rules exist and on their window and just-in-time mark, not on their evidence:
    // judged again are the edges of moved hosts and those in the cells of rules that came, went or changed so.
    const rejudge = new Set<number>(movedEdges);
    // Exposure depends on group sizes and on which rules are open, not on evidence or names.
    let reachChanged = moves.length > 0 || rules.added.length > 0 || rules.removed.length > 0;
    const touch = (rule: PolicyRule): void => {
      for (const number of this.replayIndex.edgesOfRule(rule.from, rule.to, rule.proto, ALL_INTERNAL)) rejudge.add(number);
    };
    for (const id of rules.removed) {
      const rule = this.rulesById.get(id)!;
      this.lookup.remove(rule);
      touch(rule);
    }
    for (const id of rules.added) {
      const rule = after.get(id)!;
      this.lookup.add(rule);
      touch(rule);
    }
    for (const id of rules.changed) {
      const old = this.rulesById.get(id)!;
      const rule = after.get(id)!;
      this.lookup.remove(old);
      this.lookup.add(rule);
      if (JSON.stringify(old.window) !== JSON.stringify(rule.window) || (old.jit === null) !== (rule.jit === null) || old.state !== rule.state) {
        touch(rule);
        reachChanged = true;
      }
    }
    this.rulesById = after;
    // Reasons name groups: a renamed group's blocked edges are explained again.
    for (const [id, group] of to.groups) if (from.groups.get(id)?.name !== group.name) for (const number of this.replayIndex.edgesOfGroup(id)) rejudge.add(number);
    const newlyEscaped = { edges: 0, flows: 0 };
    const newlyPermitted = { edges: 0, flows: 0 };
    for (const number of rejudge) {
      const before = this.verdicts[number]!;
      const now = this.evaluator.verdict(this.replay[number]!, this.input.hosts);
      this.verdicts[number] = now;
      tallyVerdict(this.totals, before, -1);
      tallyVerdict(this.totals, now, 1);
      if (now.escapedFlows > before.escapedFlows) {
        newlyEscaped.edges++;
        newlyEscaped.flows += now.escapedFlows - before.escapedFlows;
      } else if (now.escapedFlows < before.escapedFlows) {
        newlyPermitted.edges++;
        newlyPermitted.flows += before.escapedFlows - now.escapedFlows;
      }
    }
    this.counts = countsOf(this.totals);
    const previousExposure = this.currentExposure;
    if (reachChanged) this.currentExposure = this.measureExposure();
    return {
      op,
      rules,
      newlyEscaped,
      newlyPermitted,
      simulation: this.counts,
      exposure: this.currentExposure,
      exposureChange: {
        policyPairs: this.currentExposure.policyPairs - previousExposure.policyPairs,
        adminPaths: this.currentExposure.adminPaths - previousExposure.adminPaths,
      },
    };
  }

  /**
   * The policy file of the current state: groups with their members and a
   * membership rule (`rulesOf`, as the caller decides whether a regrouped
   * group's discovered rule still holds), the rules with their decisions.
   */
  policy(parts: StaticPolicyParts, rulesOf: MembershipRules): Policy {
    return buildPolicy(this.policyParts(parts, rulesOf));
  }

  /** The same policy without its digest (hashing every rule and edge is for files, not for a view refreshed at every step). */
  policyContent(parts: StaticPolicyParts, rulesOf: MembershipRules): Omit<Policy, 'contentSha256'> {
    return policyContent(this.policyParts(parts, rulesOf));
  }

  private policyParts(parts: StaticPolicyParts, rulesOf: MembershipRules): PolicyParts {
    const current: GroupWithMembers[] = [];
    for (const [id, members] of membersOf(this.state)) current.push({ group: this.state.groups.get(id)!, members });
    const matches = rulesOf(current);
    const groups: PolicyGroupSource[] = current.map(({ group, members }, index) => ({ id: group.id, name: group.name, kind: group.kind, labels: group.labels, members, match: matches[index] ?? null }));
    const rules = this.rules;
    return { ...parts, groups, generator: { rules: () => [...rules], externalGroups: () => this.generator.externalGroups() } };
  }

  /** The current rule with this id, or undefined. */
  rule(id: string): PolicyRule | undefined {
    return this.rulesById.get(id);
  }

  private decided(generated: Map<string, PolicyRule>, decisions: RuleDecisions = this.decisions): Map<string, PolicyRule> {
    for (const [id, state] of decisions) {
      const rule = generated.get(id);
      if (rule !== undefined) generated.set(id, { ...rule, state });
    }
    return generated;
  }

  private groupsOf(host: PolicyHost): readonly string[] {
    let groups = this.groupsCache.get(host.ip);
    if (groups === undefined) {
      const group = this.state.assignment.get(host.ip);
      groups = group !== undefined ? [group, ALL_INTERNAL] : host.scope === 'internal' ? [ALL_INTERNAL] : [networkGroupId(host.ip, host.scope, this.input.settings)];
      this.groupsCache.set(host.ip, groups);
    }
    return groups;
  }

  private ownGroup(ip: string): string {
    return this.groupsOf(hostOf(ip, this.input.hosts))[0]!;
  }

  private placeEdge(number: number): void {
    const edge = this.replay[number]!;
    this.replayIndex.place(number, this.ownGroup(edge.client), this.ownGroup(edge.server));
  }

  private measureExposure(): Exposure {
    const { assignment } = this.state;
    return computeExposure(this.internalHosts, (host) => assignment.get(host.ip) ?? null, this.rulesById.values(), this.input.settings);
  }
}

/** The generator's changed rules plus those whose decision alone changed (a rule that came or went is already in the diff). */
function withDecisionChanges(diff: RuleDiff, before: RuleDecisions, after: RuleDecisions, rules: ReadonlyMap<string, PolicyRule>): string[] {
  if (before === after) return [...diff.changed];
  const listed = new Set([...diff.added, ...diff.removed, ...diff.changed]);
  const changed = [...diff.changed];
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(id) !== after.get(id) && rules.has(id) && !listed.has(id)) changed.push(id);
  }
  return changed.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
