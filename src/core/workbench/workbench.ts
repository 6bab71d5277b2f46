import type { Analysis } from '../analyze';
import type { Anomaly } from '../discover/anomalies';
import { Dendrogram } from '../discover/dendrogram';
import type { DiscoveryInput, HostAssignment } from '../discover/discover-groups';
import type { Exposure } from '../policy/exposure';
import type { RuleDiff } from '../policy/generate-rules';
import type { EvidenceEdge, Policy, PolicyRule } from '../policy/policy-model';
import type { PolicyEdge } from '../policy/policy-input';
import type { PolicyMaterial } from '../policy/policy-stage';
import type { EscapedEdge, SimulationCounts } from '../policy/simulate';
import { initialState } from '../policy/whatif/grouping-state';
import { WhatIfSession, type RuleDecisions } from '../policy/whatif/whatif-session';
import { compareText } from '../util/compare';
import { GroupMatcher } from './group-match';
import { policyView, type PolicyView } from './policy-view';
import type { TrafficState } from './traffic-table';
import type { ExportTargetName } from '../export/export-types';
import { ruleSetBundle, type RuleSetBundle } from './rule-set-bundle';
import { workbenchExports, type ExportFile } from './workbench-exports';
import { applyEdit, describeEdit, WorkbenchError, type RuleDecision, type WorkbenchEdit, type WorkbenchState } from './workbench-state';
import { contentDigest } from '../policy/build-policy';
import { decideStage, stageChange, stagedFlows, totalOf, withStages, type EdgeFlows, type PolicyContent, type StageChange, type StagedFlows } from './workbench-stages';
import { promotionView, type PromotionView } from './promotion-order';

/**
 * The analyst's session over one analysis: a history of states (every edit
 * can be undone and redone), a what-if session that follows the current
 * state incrementally, and after each step the policy, the replay and the
 * exposure as they now are, with what changed.
 *
 * Regrouping and rule decisions go through the what-if session's
 * incremental path. Accepting an anomaly changes what the rules may learn
 * from (its edges stop being flagged), which no incremental path covers:
 * the session is built again on the same state, and the step compares the
 * two edge by edge.
 *
 * Stage decisions change no rule and no enforced verdict: they are folded
 * into the policy (workbench-stages.ts), and the replay's blocked flows are
 * split into those the stages only log and those they block.
 */
export interface WorkbenchStep {
  readonly edit: WorkbenchEdit | 'undo' | 'redo';
  /** "Moved 10.1.2.3 to prod · billing"; for undo and redo, the edit undone or redone. */
  readonly description: string;
  readonly rules: RuleDiff;
  readonly newlyEscaped: { readonly edges: number; readonly flows: number };
  readonly newlyPermitted: { readonly edges: number; readonly flows: number };
  readonly exposureChange: { readonly policyPairs: number; readonly adminPaths: number };
  /** Under the groups' stages: edges whose flows are now only logged, and edges now blocked. */
  readonly stageChange: StageChange;
}

/** What the page shows of the current state. */
export interface WorkbenchView {
  /** Without evidence edges (see policy-view.ts): `evidence(ruleId)` gives one rule's. */
  readonly policy: PolicyView;
  readonly simulation: SimulationCounts;
  readonly exposure: Exposure;
  /** The replayed edges the policy would block, most flows first (at most ESCAPED_LISTED), with reasons. */
  readonly escaped: readonly EscapedEdge[];
  /** Per group id, the replayed edges touching it that the policy would block. */
  readonly wouldBreak: Readonly<Record<string, number>>;
  readonly ruleDecisions: Readonly<Record<string, RuleDecision>>;
  readonly acceptedAnomalies: Readonly<Record<string, string>>;
  readonly approvedGroups: readonly string[];
  readonly pinned: readonly string[];
  /** Clusters of the last cut the analyst chose; null while discovery's own cut stands. */
  readonly clusters: number | null;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** The edit an undo would take back, and the one a redo would make again. */
  readonly undoLabel: string | null;
  readonly redoLabel: string | null;
  /** The replay under the groups' stages (simulation and escaped are every group enforced). */
  readonly stages: {
    /** Flows the rules would block that pass, logged, because their group's stage observes them. */
    readonly logged: EdgeFlows;
    /** Flows blocked under the stages as they are. */
    readonly blocked: EdgeFlows;
    /** Per group id, the replayed edges its stage logs instead of blocking. */
    readonly loggedByGroup: Readonly<Record<string, number>>;
  };
}

const NO_STAGE_CHANGE: StageChange = { nowLogged: { edges: 0, flows: 0 }, nowBlocked: { edges: 0, flows: 0 } };

/** Blocked edges the view lists: the worst first, enough to act on, few enough to send at every step. */
export const ESCAPED_LISTED = 200;

/** The analyst's edits as a log: what a workspace file keeps of the work. */
export interface WorkbenchLog {
  readonly edits: readonly WorkbenchEdit[];
  readonly position: number;
}

export interface WorkbenchMaterial {
  readonly policy: PolicyMaterial;
  readonly discoveryInput: Pick<DiscoveryInput, 'hosts' | 'edges'>;
  /** Discovery's placement of every internal host, with its reason. */
  readonly assignments: readonly HostAssignment[];
  readonly anomalies: readonly Anomaly[];
}

export class Workbench {
  private session: WhatIfSession;
  private readonly history: { state: WorkbenchState; label: string; edit: WorkbenchEdit | null }[];
  private position = 0;
  private tree: Dendrogram | undefined;
  private readonly matcher: GroupMatcher;
  /** The replay's blocked flows under the current state's stages; null while no stage decision is in effect (nothing is logged). */
  private staged: StagedFlows | null = null;
  private contentOf: { readonly state: WorkbenchState; readonly content: PolicyContent } | null = null;

  /** The workbench over a completed analysis (what the engine worker keeps after each run). */
  static of(analysis: Pick<Analysis, 'policy' | 'discoveryInput' | 'discovery' | 'anomalies'>): Workbench {
    return new Workbench({ policy: analysis.policy.material, discoveryInput: analysis.discoveryInput, assignments: analysis.discovery.assignments, anomalies: analysis.anomalies });
  }

  constructor(readonly material: WorkbenchMaterial) {
    const { policy } = material;
    const grouping = initialState(policy.groups, policy.assignment);
    const start: WorkbenchState = { grouping, ruleDecisions: new Map(), acceptedAnomalies: new Map(), approvedGroups: new Set(), stageAudit: [], promotionOrder: null };
    this.history = [{ state: start, label: '', edit: null }];
    this.session = this.sessionFor(start);
    this.matcher = new GroupMatcher(policy.groups, [...policy.assignment.keys()], policy.hosts);
  }

  /**
   * A workbench brought back to a saved log: the edits made again in order
   * (each is pure, so they give the same states), then undone down to where
   * the analyst was, so redo still works after reopening.
   */
  static restore(material: WorkbenchMaterial, log: WorkbenchLog): Workbench {
    if (!Number.isInteger(log.position) || log.position < 0 || log.position > log.edits.length) throw new WorkbenchError(`the edit log's position ${log.position} is outside its ${log.edits.length} edits`);
    const bench = new Workbench(material);
    log.edits.forEach((edit, index) => {
      try {
        bench.edit(edit);
      } catch (error) {
        throw new WorkbenchError(`edit ${index + 1} of the log cannot be made again: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    while (bench.position > log.position) bench.undo();
    return bench;
  }

  /**
   * Forgets the edits undone and not redone, as a new edit would: the page
   * does this when a map move (an edit of its own) ends the redo chain.
   */
  dropRedo(): void {
    this.history.length = this.position + 1;
  }

  /** Every edit of the current history and how many of them are in effect (the rest can be redone). */
  log(): WorkbenchLog {
    return { edits: this.history.slice(1).map((entry) => entry.edit!), position: this.position };
  }

  /** What undo would take back, most recent last, and what redo would make again, next first. */
  historyLabels(): { readonly undo: readonly string[]; readonly redo: readonly string[] } {
    return {
      undo: this.history.slice(1, this.position + 1).map((entry) => entry.label),
      redo: this.history.slice(this.position + 1).map((entry) => entry.label),
    };
  }

  get state(): WorkbenchState {
    return this.history[this.position]!.state;
  }

  /** Discovery's tree, built on the first cut (it profiles every host again, so only when asked). */
  dendrogram(): Dendrogram {
    this.tree ??= new Dendrogram(this.material.discoveryInput);
    return this.tree;
  }

  edit(edit: WorkbenchEdit): WorkbenchStep {
    const before = this.state;
    const names = (id: string): string => before.grouping.groups.get(id)?.name ?? id;
    const after = applyEdit(before, edit, {
      rules: new Set(this.session.rules.map((rule) => rule.id)),
      anomalies: this.material.anomalies.length,
      dendrogram: () => this.dendrogram(),
      decideStage: (request, at) => decideStage(this.content(), request, at),
    });
    const label = describeEdit(edit, names);
    this.history.length = this.position + 1;
    this.history.push({ state: after, label, edit });
    this.position++;
    return this.transition(before, after, edit, label);
  }

  undo(): WorkbenchStep | null {
    if (this.position === 0) return null;
    const { label } = this.history[this.position]!;
    this.position--;
    return this.transition(this.history[this.position + 1]!.state, this.state, 'undo', `Undid: ${label}`);
  }

  redo(): WorkbenchStep | null {
    if (this.position === this.history.length - 1) return null;
    this.position++;
    const { label } = this.history[this.position]!;
    return this.transition(this.history[this.position - 1]!.state, this.state, 'redo', `Redid: ${label}`);
  }

  /** The whole policy file of the current state, evidence and digest included. */
  policy(): Policy {
    if (this.state.stageAudit.length === 0) return this.session.policy(this.material.policy.parts, (groups) => this.matcher.rules(groups));
    const content = this.content();
    return { ...content, contentSha256: contentDigest(content) };
  }

  /**
   * The current policy without its digest, stage decisions applied. Kept
   * for the state it was built for: a state is immutable and the session
   * always follows it, so the step's staged replay and the view after it
   * build it once.
   */
  private content(): PolicyContent {
    const { state } = this;
    if (this.contentOf?.state !== state) {
      const content = withStages(
        this.session.policyContent(this.material.policy.parts, (groups) => this.matcher.rules(groups)),
        state.stageAudit,
      );
      this.contentOf = { state, content };
    }
    return this.contentOf.content;
  }

  /** The edges a rule of the current state was learned from, or null when there is no such rule now. */
  evidence(ruleId: string): readonly EvidenceEdge[] | null {
    return this.session.rule(ruleId)?.evidence.edges ?? null;
  }

  /** The replayed edges (the Traffic view's rows). */
  get replay(): readonly PolicyEdge[] {
    return this.material.policy.replay;
  }

  /** Each replayed edge's groups, by name, and verdict under the current state (the Traffic view's columns). */
  trafficState(): TrafficState {
    const names = new Map(this.view().policy.groups.map((group) => [group.id, group.name]));
    const placement = this.session.replayPlacement();
    const name = (id: string): string => names.get(id) ?? id;
    // An edge whose blocked flows its group's stage only logs passes today: "logged", not "blocked".
    const staged = this.staged;
    const verdict = staged === null ? placement.verdict : placement.verdict.map((judged, number) => (judged === 'blocked' && staged.logged[number]! > 0 ? 'logged' : judged));
    return { clientGroup: placement.clientGroup.map(name), serverGroup: placement.serverGroup.map(name), verdict };
  }

  view(): WorkbenchView {
    const { state } = this;
    const content = this.content();
    const { staged } = this;
    return {
      policy: policyView(content),
      simulation: this.session.simulation,
      exposure: this.session.exposure,
      escaped: this.session.escapedEdges(ESCAPED_LISTED),
      wouldBreak: Object.fromEntries([...this.session.escapedEdgesByGroup()].sort((a, b) => compareText(a[0], b[0]))),
      ruleDecisions: Object.fromEntries([...state.ruleDecisions].sort((a, b) => compareText(a[0], b[0]))),
      acceptedAnomalies: Object.fromEntries([...state.acceptedAnomalies].sort((a, b) => a[0] - b[0]).map(([number, reason]) => [String(number), reason])),
      approvedGroups: [...state.approvedGroups].sort(compareText),
      pinned: [...state.grouping.pinned].sort(compareText),
      clusters: state.grouping.clusters,
      canUndo: this.position > 0,
      canRedo: this.position < this.history.length - 1,
      undoLabel: this.position > 0 ? this.history[this.position]!.label : null,
      redoLabel: this.position < this.history.length - 1 ? this.history[this.position + 1]!.label : null,
      // Without a stage decision every group is enforced: the blocked flows are the simulation's escaped ones.
      stages:
        staged === null
          ? { logged: { edges: 0, flows: 0 }, blocked: { edges: this.session.simulation.escapedEdges, flows: this.session.simulation.escaped }, loggedByGroup: {} }
          : {
              logged: totalOf(staged.logged),
              blocked: totalOf(staged.blocked),
              loggedByGroup: Object.fromEntries([...staged.loggedByGroup].sort((a, b) => compareText(a[0], b[0]))),
            },
    };
  }

  /**
   * The promotion gate over the replay, in the analyst's order of promotion
   * (promotion-order.ts). Asked for by the Promotion view, not sent with
   * every step: it judges every replayed edge again.
   */
  promotion(): PromotionView {
    return promotionView({ ...this.content(), contentSha256: '' }, this.replay, this.material.policy.hosts, this.state.promotionOrder);
  }

  /** The current policy compiled for enforcement points, as one zip (rule-set-bundle.ts). */
  ruleSets(targets: readonly ExportTargetName[], logDrops: boolean): RuleSetBundle {
    return ruleSetBundle(this.policy(), targets, logDrops);
  }

  /** The files an export writes, for the current state (see workbench-exports.ts). */
  exports(): ExportFile[] {
    return workbenchExports({ policy: this.policy(), state: this.state, assignments: this.material.assignments, anomalies: this.material.anomalies, escaped: this.session.escapedEdges(Infinity) });
  }

  private transition(before: WorkbenchState, after: WorkbenchState, edit: WorkbenchStep['edit'], description: string): WorkbenchStep {
    const stagedBefore = this.staged;
    // Without stages before or after, the stages change nothing ("now blocked" would only repeat newlyEscaped): no replay pass for them.
    const withoutStages = before.stageAudit.length === 0 && after.stageAudit.length === 0;
    const unstagedBefore = stagedBefore === null && !withoutStages ? this.unstaged() : null;
    let step: Omit<WorkbenchStep, 'stageChange'>;
    if (before.acceptedAnomalies === after.acceptedAnomalies) {
      const moved = this.session.moveTo(after.grouping, decisionsOf(after), edit === 'undo' || edit === 'redo' ? edit : edit.kind === 'group' ? edit.op : 'decision');
      step = { edit, description, rules: moved.rules, newlyEscaped: moved.newlyEscaped, newlyPermitted: moved.newlyPermitted, exposureChange: moved.exposureChange };
    } else {
      const old = this.session;
      this.session = this.sessionFor(after);
      step = { edit, description, ...compareSessions(old, this.session) };
    }
    this.staged = this.stagedFor(after);
    if (withoutStages) return { ...step, stageChange: NO_STAGE_CHANGE };
    return { ...step, stageChange: stageChange(stagedBefore ?? unstagedBefore!, this.staged ?? this.unstaged()) };
  }

  /** The replay's blocked flows under a state's stages (the session must be at that state); null when it has no stage decision. */
  private stagedFor(state: WorkbenchState): StagedFlows | null {
    if (state.stageAudit.length === 0) return null;
    const placement = this.session.replayPlacement();
    return stagedFlows({ content: this.content(), replay: this.replay, hosts: this.material.policy.hosts, escapedFlows: this.session.escapedFlows, clientGroup: placement.clientGroup, serverGroup: placement.serverGroup });
  }

  /** Every group enforced: every flow the rules would block is blocked, none logged. */
  private unstaged(): StagedFlows {
    const blocked = this.session.escapedFlows;
    return { logged: blocked.map(() => 0), blocked, loggedByGroup: new Map() };
  }

  private sessionFor(state: WorkbenchState): WhatIfSession {
    const { policy, anomalies } = this.material;
    // Edges of accepted anomalies are evidence like any other, unless an anomaly still flagged holds them too.
    const accepted = new Set<string>();
    const stillFlagged = new Set<string>();
    anomalies.forEach((anomaly, number) => {
      for (const key of anomaly.edges) (state.acceptedAnomalies.has(number) ? accepted : stillFlagged).add(key);
    });
    const flagged = new Set([...policy.flagged].filter((key) => !accepted.has(key) || stillFlagged.has(key)));
    return new WhatIfSession({
      edges: policy.edges,
      replay: policy.replay,
      flagged,
      hosts: policy.hosts,
      logons: policy.logons,
      settings: policy.parts.settings,
      grouping: state.grouping,
      decisions: decisionsOf(state),
    });
  }
}

function decisionsOf(state: WorkbenchState): RuleDecisions {
  const decisions = new Map<string, 'approved' | 'rejected'>();
  for (const [id, decision] of state.ruleDecisions) decisions.set(id, decision.state);
  return decisions;
}

/** Rules, replay and exposure of two sessions over the same replay, compared rule by rule and edge by edge. */
function compareSessions(before: WhatIfSession, after: WhatIfSession): Pick<WorkbenchStep, 'rules' | 'newlyEscaped' | 'newlyPermitted' | 'exposureChange'> {
  const oldRules = new Map(before.rules.map((rule) => [rule.id, rule]));
  const added: string[] = [];
  const changed: string[] = [];
  for (const rule of after.rules) {
    const old = oldRules.get(rule.id);
    if (old === undefined) added.push(rule.id);
    else if (!sameContent(old, rule)) changed.push(rule.id);
    oldRules.delete(rule.id);
  }
  const removed = [...oldRules.keys()];
  const newlyEscaped = { edges: 0, flows: 0 };
  const newlyPermitted = { edges: 0, flows: 0 };
  const was = before.escapedFlows;
  after.escapedFlows.forEach((now, number) => {
    const then = was[number]!;
    if (now > then) {
      newlyEscaped.edges++;
      newlyEscaped.flows += now - then;
    } else if (now < then) {
      newlyPermitted.edges++;
      newlyPermitted.flows += then - now;
    }
  });
  return {
    rules: { added, removed, changed },
    newlyEscaped,
    newlyPermitted,
    exposureChange: {
      policyPairs: after.exposure.policyPairs - before.exposure.policyPairs,
      adminPaths: after.exposure.adminPaths - before.exposure.adminPaths,
    },
  };
}

/** Two builds of a rule from different sessions share no objects: they compare by content. */
function sameContent(a: PolicyRule, b: PolicyRule): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
